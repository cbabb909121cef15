#pragma once
// Cherry-pick, the instruction-interference experiment (reference-protocol §10.5, Table 2;
// docs/diagnostics.md): from single-task runs, pick each criterion's best instruction on the
// validation split (the study picked on test: `oracle`), stitch the picks into one
// multi-criterion prompt, and evaluate on test the seed prompt, each pick alone and the stitched
// prompt. Every evaluation is looked up first (a run's stored one, or one an earlier cherry-pick
// kept), so a rerun makes no call. Pure of storage: evaluations go through a port.

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/experiments/analysis_records.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::experiments {

/// Port: where cherry-pick finds evaluations (its own earlier ones and the runs') and keeps the
/// ones it makes. Implementations are used from one thread at a time.
class EvaluationStore {
 public:
  virtual ~EvaluationStore() = default;
  virtual Result<std::optional<optim::EvaluationRecord>> FindEvaluation(
      const std::string& prompt_fingerprint, const std::string& split,
      const std::string& settings_key) = 0;
  virtual Status SaveEvaluation(const optim::EvaluationRecord& evaluation) = 0;
};

/// A single-task run as cherry-pick reads it. Plain value.
struct SingleTaskRun {
  optim::RunInfo info;                   // mode "ST:<criterion>", one criterion
  optim::OptimizeConfig config;          // its config (judge settings and seed of evaluations)
  std::vector<optim::StepRecord> steps;  // stored steps; their incumbent_after are candidates
};

/// The metric a pick is made by: spearman and off_by_one (higher wins), mae (lower wins).
enum class PickMetric { kSpearman, kOffByOne, kMae };

/// The name table of PickMetric (base/enum_names.h): "spearman", "off_by_one", "mae". The
/// option's values, `cherrypick --metric`'s help and check and IsPickMetric all read it.
std::span<const NamedValue<PickMetric>> NamesOf(PickMetric);

/// Which instruction wins. Plain value.
struct CherrypickOptions {
  std::string metric = "spearman";  // a PickMetric name
  bool oracle = false;              // pick on the whole test split (the study's selection)
  int validation_samples = 100;     // the first N validation examples (the gate's)
  int test_samples = 0;             // the first N test examples (0 = all: the study's)
};

/// What the evaluations need. Borrowed; must outlive the call.
struct CherrypickDeps {
  llm::LlmClient& judge_client;
  WorkPool& pool;
  EvaluationStore& evaluations;
  /// Becomes CherrypickResult::simulated: the runs picked from used simulated replies. The
  /// caller ORs in whether its judge calls got any (llm::ClientStack::SimulatedRoles).
  bool simulated = false;
};

/// The result and how many evaluations were made (with calls) or found. Plain value.
struct CherrypickOutcome {
  CherrypickResult result;
  int evaluations_made = 0;
  int evaluations_reused = 0;
};

/// True for the names of PickMetric.
bool IsPickMetric(const std::string& metric);

/// Runs the experiment. `runs` are single-task runs of `dataset` (every one "ST:<criterion>"
/// over one of its criteria; several runs of one criterion pool their candidates). For each
/// criterion the candidates are the distinct incumbents of its runs' steps (run order, step
/// ascending); the first strictly best on the pick split wins (a missing value loses). A
/// criterion without a run keeps its seed instruction. The stitched prompt is the dataset's seed
/// prompt (preamble and output format kept) with every pick's instruction. Evaluations use the
/// first run's config (the runs' own config for candidates and picks alone).
Result<CherrypickOutcome> RunCherrypick(const data::Dataset& dataset,
                                        const std::vector<SingleTaskRun>& runs,
                                        const CherrypickOptions& options, CherrypickDeps& deps);

/// Table 2 (per criterion and average: initial, single-task best, stitched, stitched minus
/// single) for Spearman, off-by-one and MAE, then the picks; "SIMULATED" in the titles when the
/// result is simulated.
std::string RenderCherrypick(const CherrypickResult& result);

/// The whole result as JSON.
nlohmann::ordered_json CherrypickToJson(const CherrypickResult& result);

}  // namespace judgeopt::experiments
