#include "judgeopt/optim/run_loop.h"

#include <algorithm>

#include <fmt/format.h>

#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/optim/opro/opro_step.h"
#include "judgeopt/optim/textgrad/textgrad_step.h"

namespace judgeopt::optim {

StepSummary Summarize(const StepRecord& r, int waves) {
  StepSummary s;
  s.step = r.step;
  s.accepted = r.gate.accepted;
  s.gate_skipped = r.gate.skipped;
  s.incumbent_score = r.gate.incumbent_score;
  s.candidate_score = r.gate.candidate_score;
  s.waves = waves;
  if (r.test_eval) {
    for (const MetricRow& m : r.test_eval->metrics) {
      if (m.criterion == "average") s.test_spearman = m.spearman;
    }
    s.eval_reused = r.test_eval->reused_from_step.has_value();
  }
  for (const CallRecord& c : r.calls) {
    ++s.calls;
    if (c.cache_hit) ++s.cache_hits;
    if (auto role = llm::RoleFromName(c.role)) ++s.calls_by_role[*role];
  }
  return s;
}

RunInfo MakeRunInfo(const OptimizeConfig& config, const data::Dataset& dataset,
                    const RunPlan& plan, const RunDeps& deps) {
  RunInfo info;
  info.run_id = plan.run_id;
  info.group_id = plan.group_id;
  info.config_json = OptimizeConfigToJson(config).dump(2);
  info.code_version = deps.code_version;
  info.dataset = dataset.name;
  info.mode = plan.mode_label;
  info.algorithm = EnumName(config.algorithm);
  info.criteria = plan.criteria;
  info.steps = config.steps;  // simulated and simulated_roles follow the recorded calls
  return info;
}

// One step of the configured algorithm (`opro` is set for OPRO runs).
Result<StepRecord> RunStep(RunContext& ctx, RunRecorder& recorder, int step, StepState& state,
                           OproState* opro) {
  if (step == 0) return RunBaseline(ctx, recorder, state);
  if (opro != nullptr) return RunOproStep(ctx, recorder, step, state, *opro);
  return RunTextGradStep(ctx, recorder, step, state);
}

// Runs the steps after `state`'s checkpoint; fills `result`.
Status RunSteps(RunContext& ctx, RunDeps& deps, CallLog& log, int first, StepState& state,
                OproState* opro, RunResult& result) {
  for (int step = first; step <= ctx.config.steps; ++step) {
    ctx.waves = 0;
    Result<StepRecord> record = RunStep(ctx, deps.recorder, step, state, opro);
    if (!record.ok()) {
      log.Drain();  // not recorded: the step reruns (from the cache) on resume
      return record.error().WithContext(fmt::format("run {} step {}", ctx.run_id, step));
    }
    record->calls = log.Drain();
    JO_RETURN_IF_ERROR(deps.recorder.RecordStep(ctx.run_id, *record));
    result.steps.push_back(Summarize(*record, ctx.waves.load()));
    if (record->test_eval) result.final_eval = record->test_eval;
    if (ctx.observer != nullptr) {
      ctx.observer->OnStepDone(ctx.run_id, step, ctx.config.steps, StepDecision(*record),
                               result.steps.back().test_spearman);
    }
  }
  return Status::Ok();
}

Result<RunResult> RunOptimization(const OptimizeConfig& config, const data::Dataset& dataset,
                                  const RunPlan& plan, RunDeps& deps) {
  JO_RETURN_IF_ERROR(deps.recorder.BeginRun(MakeRunInfo(config, dataset, plan, deps)));
  JO_ASSIGN_OR_RETURN(auto checkpoint, deps.recorder.LoadCheckpoint(plan.run_id));

  CallLog log;
  std::vector<std::unique_ptr<RecordingClient>> recording;
  llm::PerRole<llm::LlmClient*> clients{};
  for (llm::Role role : llm::kAllRoles) {
    recording.push_back(std::make_unique<RecordingClient>(
        deps.stack.For(role), std::string(deps.stack.endpoint_kind(role)), log));
    clients[role] = recording.back().get();
  }
  const judge::Judge judge(*clients[llm::Role::kJudge], deps.pool,
                           JudgeSettingsFor(config));
  RunContext ctx{dataset, config, plan.run_id, plan.criteria, clients, deps.pool, judge,
                 deps.observer};

  RunResult result;
  result.plan = plan;
  StepState state;
  JO_ASSIGN_OR_RETURN(state.incumbent, SeedPromptFor(dataset, plan.criteria));
  int first = 0;
  if (checkpoint && checkpoint->last_step >= 0) {
    result.resumed_after_step = checkpoint->last_step;
    JO_ASSIGN_OR_RETURN(state.incumbent,
                        PromptFromRecord(checkpoint->incumbent, dataset, plan.run_id));
    state.carried_gate_score = checkpoint->carried_gate_score;
    if (checkpoint->last_test_eval) {
      const auto& made = checkpoint->last_test_eval->reused_from_step;
      state.last_eval = LastEvaluation{
          *checkpoint->last_test_eval,
          made && *made >= 0 ? *made : checkpoint->last_test_eval_step};
      result.final_eval = checkpoint->last_test_eval;
    }
    first = checkpoint->last_step + 1;
  }
  std::optional<OproState> opro;
  if (config.algorithm == Algorithm::kOpro) {
    opro.emplace(config);
    Status restored = opro->Restore(ctx, deps.recorder, first - 1);
    if (!restored.ok()) {
      (void)deps.recorder.FinishRun(plan.run_id, "failed", restored.error().message);
      return restored.error();
    }
  }
  Status st = RunSteps(ctx, deps, log, first, state, opro ? &*opro : nullptr, result);
  if (!st.ok()) {
    (void)deps.recorder.FinishRun(plan.run_id, "failed", st.error().message);
    return st.error();
  }
  JO_RETURN_IF_ERROR(deps.recorder.FinishRun(plan.run_id, "finished", ""));
  result.final_prompt = state.incumbent;
  return result;
}

}  // namespace judgeopt::optim
