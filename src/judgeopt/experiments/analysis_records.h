#pragma once
// The plain values the analyses produce and the run store keeps (store/analysis_store.h,
// docs/results-schema.md): diagnostic scores (reference-protocol §10.3-10.4) and cherry-pick
// results (§10.5, Table 2).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/metrics/criterion_metrics.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::experiments {

/// The two diagnostics.
inline constexpr const char* kSpecificity = "specificity";
inline constexpr const char* kAdherence = "adherence";

/// One diagnostic score: one (run, step, criterion, kind). Plain value.
struct DiagnosticRow {
  std::string run_id;
  std::string mode;   // the run's mode ("SSS", ..., "ST:<criterion>")
  std::string kind;   // kSpecificity or kAdherence
  int step = 0;       // 1..steps (step 0 has no gradient)
  std::string criterion;
  std::optional<int> score;  // 1..10; nullopt when the reply held no valid score
  std::string raw_reply;
  std::string request_hash;  // llm::RequestKey of the diagnostic request (hex)
  std::string model;         // the diagnostic role's model
  bool simulated = false;    // answered by the offline simulator
};

/// Metrics of one criterion under one prompt; cherry-pick keeps spearman, off_by_one, mae, n
/// and missing (examples without a usable prediction), the rest stay nullopt. Plain value.
using CherrypickValues = metrics::OptionalMetrics;

/// One instruction considered for a criterion: the incumbent of a single-task run's step, with
/// its pick-metric value on the pick split (raw, not direction-normalized). Plain value.
struct CherrypickCandidate {
  std::string run_id;
  int step = 0;
  std::string prompt_fingerprint;  // of the one-criterion prompt
  std::optional<double> score;
};

/// One row of Table 2: a criterion, or "average" (last row: unweighted means over the
/// criteria rows; its source fields are empty). Plain value.
struct CherrypickRow {
  std::string criterion;
  std::string source_run_id;  // the ST run the pick came from ("" when none: seed kept)
  int source_step = -1;       // its step whose incumbent was picked (-1 when none)
  std::string instruction;    // the picked instruction (the seed's when none)
  std::optional<double> pick_score;  // the pick metric of the pick on the pick split
  CherrypickValues initial;   // the multi-criterion seed prompt on test, this criterion
  CherrypickValues single;    // the pick alone (one-criterion prompt) on test
  CherrypickValues stitched;  // the stitched multi-criterion prompt on test, this criterion
  std::vector<CherrypickCandidate> candidates;  // in (run, step) order; empty for "average"
};

/// A whole cherry-pick result. Plain value.
struct CherrypickResult {
  std::string id;       // derived from the inputs; a rerun with the same inputs replaces it
  std::string dataset;
  std::string group_id;               // the ST runs' group ("" when they span several)
  std::vector<std::string> run_ids;   // the single-task runs used, in criteria order
  std::string pick_metric;            // "spearman", "off_by_one" or "mae"
  std::string pick_split;             // "validation", or "test" with --oracle
  int pick_samples = 0;               // examples of the pick split used
  bool simulated = false;             // the judge was the offline simulator
  std::string judge_model;
  optim::PromptRecord initial_prompt;   // the multi-criterion seed prompt
  optim::PromptRecord stitched_prompt;  // the picks stitched into it
  std::vector<CherrypickRow> rows;      // dataset criteria order, then "average"

  /// The row of `criterion` ("average" for the means), or nullptr.
  const CherrypickRow* Row(const std::string& criterion) const {
    for (const CherrypickRow& r : rows) {
      if (r.criterion == criterion) return &r;
    }
    return nullptr;
  }
};

}  // namespace judgeopt::experiments
