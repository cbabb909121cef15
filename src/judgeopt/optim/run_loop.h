#pragma once
// An optimization run from start to finish, resumable: each step is recorded in one transaction
// and a rerun (or `judgeopt resume`) continues after the last recorded step with exactly the
// state an uninterrupted run would have had (batches and request seeds depend only on the step
// number and the config; calls already paid for come back from the response cache).

#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_plan.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// What one step of this invocation did. Plain value.
struct StepSummary {
  int step = 0;
  bool accepted = true;
  bool gate_skipped = true;
  std::optional<double> incumbent_score;
  std::optional<double> candidate_score;
  std::optional<double> test_spearman;  // average over the run's criteria, when evaluated
  bool eval_reused = false;
  int waves = 0;        // sequential waves of calls
  int calls = 0;        // calls made (cache hits included)
  int cache_hits = 0;
  llm::PerRole<int> calls_by_role{};
};

/// The outcome of RunOptimization. Plain value.
struct RunResult {
  RunPlan plan;
  int resumed_after_step = -1;  // last step recorded before this invocation (-1: fresh run)
  std::vector<StepSummary> steps;  // the steps this invocation ran (0 = baseline)
  judge::JudgePrompt final_prompt;
  std::optional<EvaluationRecord> final_eval;
};

/// What a run needs besides its config. Borrowed; must outlive the call.
struct RunDeps {
  llm::ClientStack& stack;
  WorkPool& pool;
  RunRecorder& recorder;
  RunObserver* observer = nullptr;
  std::string code_version;
};

/// Runs (or resumes) `plan`. A failing step leaves every earlier step recorded and the run
/// marked "failed" with the message; rerunning continues from there. The run is begun as not
/// simulated; the recorder marks it (RunInfo::simulated, simulated_roles) as the steps that
/// used simulated replies are recorded.
Result<RunResult> RunOptimization(const OptimizeConfig& config, const data::Dataset& dataset,
                                  const RunPlan& plan, RunDeps& deps);

}  // namespace judgeopt::optim
