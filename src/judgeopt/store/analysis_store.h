#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The analysis tables of the run store (docs/results-schema.md, schema version 2): diagnostic
// scores (`judgeopt diagnose specificity|adherence`), cherry-pick results (`judgeopt
// cherrypick`) and the evaluations cherry-pick made outside any run (so a rerun makes no call).
// Reading works on any connection to a runs database, including RunReader::db() (read-only):
// a file written before version 2 simply has no rows.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/optim/run_record.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

/// The two diagnostics (reference-protocol §10.3-10.4).
inline constexpr const char* kSpecificity = "specificity";
inline constexpr const char* kAdherence = "adherence";

/// One diagnostic score: one (run, step, criterion, kind). Plain value.
struct DiagnosticRow {
  std::string run_id;
  std::string mode;   // the run's mode ("SSS", ..., "ST:<criterion>"), filled when read
  std::string kind;   // kSpecificity or kAdherence
  int step = 0;       // 1..steps (step 0 has no gradient)
  std::string criterion;
  std::optional<int> score;  // 1..10; nullopt when the reply held no valid score
  std::string raw_reply;
  std::string request_hash;  // llm::RequestKey of the diagnostic request (hex)
  std::string model;         // the diagnostic role's model
  bool simulated = false;    // answered by the offline simulator
};

/// Test (or pick-split) metrics of one criterion under one prompt. Plain value.
struct CherrypickValues {
  std::optional<double> spearman;
  std::optional<double> off_by_one;
  std::optional<double> mae;
  int64_t n = 0;        // pairs with both values
  int64_t missing = 0;  // examples without a usable prediction
};

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
  const CherrypickRow* Row(const std::string& criterion) const;
};

/// Diagnostic rows of `run_ids` (every run when empty), optionally of one `kind` ("" = both),
/// ordered by run (as begun), kind, step and criterion (the run's prompt order). The mode comes
/// from the runs table. A database without the analysis tables gives no rows.
Result<std::vector<DiagnosticRow>> ListDiagnostics(Db& db,
                                                   const std::vector<std::string>& run_ids = {},
                                                   const std::string& kind = "");

/// Every stored cherry-pick result, in the order stored. A database without the analysis
/// tables gives none.
Result<std::vector<CherrypickResult>> ListCherrypicks(Db& db);

/// One cherry-pick result by id, or nullopt.
Result<std::optional<CherrypickResult>> LoadCherrypick(Db& db, const std::string& id);

/// Writer (and reader) of the analysis tables in a runs database. Owns one read-write
/// connection guarded by a mutex, so it is thread-safe; other connections (RunStore, readers,
/// other processes) may use the same file at once. Move-only through the unique_ptr.
class AnalysisStore {
 public:
  /// Opens (creating and migrating when needed) the runs database at `path`.
  static Result<std::unique_ptr<AnalysisStore>> Open(const std::string& path);
  static Result<std::unique_ptr<AnalysisStore>> OpenInWorkspace(const Workspace& workspace);

  /// Stores `rows` in one transaction. A row whose (run, step, criterion, kind) is already
  /// stored is an error naming it (nothing is stored then). `mode` is not stored (read from
  /// the runs table).
  Status SaveDiagnostics(const std::vector<DiagnosticRow>& rows);
  /// The stored rows of `run_ids` (every run when empty) and `kind` ("" = both).
  Result<std::vector<DiagnosticRow>> ListDiagnostics(const std::vector<std::string>& run_ids,
                                                     const std::string& kind = "");

  /// Stores `result` in one transaction, replacing a stored result with the same id.
  Status SaveCherrypick(const CherrypickResult& result);
  Result<std::vector<CherrypickResult>> ListCherrypicks();
  Result<std::optional<CherrypickResult>> LoadCherrypick(const std::string& id);

  /// An evaluation cherry-pick stored (SaveEvaluation) with this fingerprint, split and settings
  /// key, else one of any run (RunStore::FindEvaluation's rule), else nullopt.
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(
      const std::string& prompt_fingerprint, const std::string& split,
      const std::string& settings_key);
  /// Stores an evaluation made outside any run (idempotent for the same key).
  Status SaveEvaluation(const optim::EvaluationRecord& evaluation);

  const std::string& path() const { return db_.path(); }

 private:
  explicit AnalysisStore(Db db) : db_(std::move(db)) {}

  std::mutex mu_;
  Db db_;
};

}  // namespace judgeopt::store
