#include "judgeopt/optim/textgrad/textgrad_step.h"

#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/gate.h"
#include "judgeopt/optim/methods/archive.h"
#include "judgeopt/optim/methods/length_balance.h"
#include "judgeopt/optim/methods/mgda.h"
#include "judgeopt/optim/methods/router.h"
#include "judgeopt/optim/methods/spc_stage.h"
#include "judgeopt/optim/textgrad/stages.h"

namespace judgeopt::optim {

Status EvaluateIfDue(RunContext& ctx, RunRecorder& recorder, int step, StepState& state,
                     StepRecord& record) {
  if (!ctx.config.eval.Due(step, ctx.config.steps)) return Status::Ok();
  JO_ASSIGN_OR_RETURN(EvaluationRecord eval,
                      EvaluateOnSplit(ctx, recorder, step, state.incumbent, state.last_eval));
  const int made_at =
      eval.reused_from_step && *eval.reused_from_step >= 0 ? *eval.reused_from_step : step;
  state.last_eval = LastEvaluation{eval, made_at};
  record.test_eval = std::move(eval);
  return Status::Ok();
}

Result<StepRecord> RunBaseline(RunContext& ctx, RunRecorder& recorder, StepState& state) {
  StepRecord record;
  record.step = 0;
  record.incumbent_before = MakePromptRecord(state.incumbent);
  record.candidate = record.incumbent_before;
  record.incumbent_after = record.incumbent_before;
  record.gate.metric = EnumName(ctx.config.gate.metric);
  JO_RETURN_IF_ERROR(EvaluateIfDue(ctx, recorder, 0, state, record));
  return record;
}

namespace {

// The study's update: optimizer candidates (length-balanced when configured), the training-batch
// ranking of several candidates, and the gate.
Status UpdateAndGate(RunContext& ctx, int step, const std::vector<BatchSample>& batch,
                     const std::vector<SampleText>& feedback, StepState& state,
                     StepRecord& record) {
  JO_ASSIGN_OR_RETURN(OptimizerOutput opt,
                      RunOptimizerStage(ctx, step, state.incumbent, batch, feedback));
  record.optimizer_calls = std::move(opt.calls);
  for (DecisionRecord& d : opt.decisions) record.decisions.push_back(std::move(d));
  JO_RETURN_IF_ERROR(
      ApplyLengthBalance(ctx, state.incumbent, opt.candidates, record.decisions));

  GateRecord candidates_info;
  JO_ASSIGN_OR_RETURN(const int chosen, PickCandidate(ctx, step, opt.candidates,
                                                      record.batch_positions, candidates_info));
  const judge::JudgePrompt candidate = opt.candidates[static_cast<std::size_t>(chosen)];
  record.candidate = MakePromptRecord(candidate);

  JO_ASSIGN_OR_RETURN(record.gate,
                      RunGate(ctx, step, state.incumbent, candidate, state.carried_gate_score,
                              &record.decisions));
  record.gate.candidate_batch_scores = std::move(candidates_info.candidate_batch_scores);
  record.gate.chosen_candidate = chosen;
  if (record.gate.accepted) state.incumbent = candidate;
  if (!record.gate.skipped && !ctx.config.switches.rescore_incumbent) {
    state.carried_gate_score =
        record.gate.accepted ? record.gate.candidate_score : record.gate.incumbent_score;
  }
  return Status::Ok();
}

}  // namespace

Result<StepRecord> RunTextGradStep(RunContext& ctx, RunRecorder& recorder, int step,
                                   StepState& state) {
  StepRecord record;
  record.step = step;
  record.incumbent_before = MakePromptRecord(state.incumbent);
  record.batch_positions = SampleBatch(ctx.dataset, ctx.config, step);

  ctx.Stage(step, "predict");
  JO_ASSIGN_OR_RETURN(auto preds,
                      PredictWave(ctx, state.incumbent, record.batch_positions, step, "predict",
                                  step));
  for (std::size_t i = 0; i < preds.size(); ++i) {
    record.batch_predictions.push_back(
        MakePredictionRecord(ctx, record.batch_positions[i], preds[i]));
  }
  const auto batch = MakeBatchSamples(ctx, record.batch_positions, std::move(preds));

  JO_ASSIGN_OR_RETURN(record.losses, RunLossStage(ctx, step, batch));
  const MethodConfig& method = ctx.config.method;
  if (method.name == Method::kRouter) {
    JO_ASSIGN_OR_RETURN(record.gradients,
                        RunRoutedGradientStage(ctx, step, state.incumbent, batch, record.losses,
                                               record.decisions));
  } else {
    JO_ASSIGN_OR_RETURN(record.gradients,
                        RunGradientStage(ctx, step, state.incumbent, batch, record.losses));
  }
  JO_ASSIGN_OR_RETURN(
      const std::vector<SampleText> feedback,
      ResolveConflicts(ctx, step, state.incumbent, record.gradients, record.decisions));
  if (method.name == Method::kMgda) {
    JO_ASSIGN_OR_RETURN(state.incumbent,
                        RunMgdaUpdate(ctx, step, state.incumbent, batch, feedback, record));
  } else {
    JO_RETURN_IF_ERROR(UpdateAndGate(ctx, step, batch, feedback, state, record));
  }
  record.carried_gate_score = state.carried_gate_score;
  // --select: the last step's incumbent comes from the run's Pareto archive (before its
  // evaluation, so the final test scores and --out are the chosen prompt's).
  JO_RETURN_IF_ERROR(SelectFinalPrompt(ctx, recorder, step, state.incumbent, record));
  record.incumbent_after = MakePromptRecord(state.incumbent);
  JO_RETURN_IF_ERROR(EvaluateIfDue(ctx, recorder, step, state, record));
  return record;
}

}  // namespace judgeopt::optim
