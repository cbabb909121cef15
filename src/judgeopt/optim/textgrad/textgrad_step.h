#pragma once
// One TextGrad optimization step (reference-protocol §3.2, §4.7): sample the batch, predict it,
// loss, gradient, optimizer (and candidate ranking), gate, and the scheduled evaluation. Waves
// per step: predict, loss, gradient, optimizer (+1 per optimizer retry round), candidates (when
// several), gate (2 the first time under the study's cached-score gate), eval (when due and the
// prompt was not evaluated before).

#include <optional>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_evaluation.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// Where a step starts from. Plain value.
struct StepState {
  judge::JudgePrompt incumbent;
  std::optional<double> carried_gate_score;
  std::optional<LastEvaluation> last_eval;
};

/// Runs step `step` (>= 1) from `state`: returns its record (calls excepted: the caller drains
/// the call log) and advances `state` to the post-gate incumbent. Nothing is recorded here.
Result<StepRecord> RunTextGradStep(RunContext& ctx, RunRecorder& recorder, int step,
                                   StepState& state);

/// The scheduled evaluation of `state.incumbent` at `step` (none when not due), reusing an
/// identical earlier one; sets record.test_eval and state.last_eval. Shared by every algorithm.
Status EvaluateIfDue(RunContext& ctx, RunRecorder& recorder, int step, StepState& state,
                     StepRecord& record);

/// The baseline (step 0): the seed prompt's evaluation when scheduled.
Result<StepRecord> RunBaseline(RunContext& ctx, RunRecorder& recorder, StepState& state);

}  // namespace judgeopt::optim
