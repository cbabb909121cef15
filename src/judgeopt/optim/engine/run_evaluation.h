#pragma once
// Test-split evaluations inside a run, and the conversions of judge output into run records.
// An evaluation of a prompt already evaluated with the same settings (this run's last one, or
// any stored one) is reused and costs no call.

#include <optional>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

PromptRecord MakePromptRecord(const judge::JudgePrompt& prompt);

/// One example's verdict, values aligned with ctx.criteria.
PredictionRecord MakePredictionRecord(const RunContext& ctx, std::size_t position,
                                      const judge::Prediction& prediction);

/// Per-criterion metrics of `predictions` over ctx.criteria, then their unweighted "average".
std::vector<MetricRow> ComputeMetricRows(const RunContext& ctx,
                                         const std::vector<std::size_t>& positions,
                                         const std::vector<judge::Prediction>& predictions);

/// The row of `criterion` ("average" for the mean), or nullptr.
const MetricRow* FindRow(const EvaluationRecord& eval, const std::string& criterion);

/// The key of everything besides the prompt that decides an evaluation's predictions; the
/// judge's mode (ctx.judge) is part of it unless joint, so keys made before judge modes hold.
std::string EvalSettingsKey(const RunContext& ctx, const std::string& split,
                            const std::vector<std::size_t>& positions);

/// The order the evaluated split is judged and stored in at `step`: the split's own order, or
/// under the paper protocol the study's (its working order shuffled with the step number, or 0
/// for OPRO's fixed batch; reference-protocol section 3.4). The settings key takes the split's
/// own order, so an evaluation made at one step is reused at another, put in that step's order.
std::vector<std::size_t> EvaluationOrder(const RunContext& ctx,
                                         const std::vector<std::size_t>& split, int step);

/// This run's latest evaluation and the step that made (or first made) it.
struct LastEvaluation {
  EvaluationRecord record;
  int step = 0;
};

/// Evaluates `prompt` on the configured split at `step`, reusing `last` (reused_from_step = the
/// step that made it) or any stored evaluation (reused_from_step = -1) when fingerprint and
/// settings match; only otherwise are judge calls made.
Result<EvaluationRecord> EvaluateOnSplit(RunContext& ctx, RunRecorder& recorder, int step,
                                         const judge::JudgePrompt& prompt,
                                         const std::optional<LastEvaluation>& last);

}  // namespace judgeopt::optim
