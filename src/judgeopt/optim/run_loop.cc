#include "judgeopt/optim/run_loop.h"

#include <algorithm>

#include <fmt/format.h>

#include "judgeopt/base/sha256.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/optim/call_log.h"
#include "judgeopt/optim/opro_step.h"
#include "judgeopt/optim/textgrad_step.h"

namespace judgeopt::optim {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

judge::JudgeSettings JudgeSettingsFor(const OptimizeConfig& config) {
  const llm::RoleConfig& j = config.llm.role(llm::Role::kJudge);
  judge::JudgeSettings s;
  s.model = j.model;
  s.temperature = j.temperature;
  s.max_tokens = j.max_tokens;
  s.seed = config.seed;
  s.max_reasks = config.judge_reasks;
  // ValidateMethod has checked the name.
  auto mode = judge::ParseJudgeMode(config.method.judge_mode, "method.judge_mode");
  s.mode = mode.ok() ? *mode : judge::JudgeMode::kJoint;
  return s;
}

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
    if (auto role = llm::RoleFromName(c.role)) ++s.calls_by_role[static_cast<std::size_t>(*role)];
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
  info.algorithm = config.algorithm;
  info.criteria = plan.criteria;
  info.steps = config.steps;
  info.simulated = deps.simulated;
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

Result<judge::JudgePrompt> PromptFromRecord(const PromptRecord& r, const data::Dataset& dataset,
                                            const std::string& run_id) {
  const std::string origin = "run " + run_id + " stored prompt";
  JO_ASSIGN_OR_RETURN(auto tree, config::ParseJson(r.json, origin));
  JO_ASSIGN_OR_RETURN(const judge::JudgePrompt full, judge::PromptFromTree(tree, dataset, origin));
  // PromptFromTree gives criteria the text omits their seed instruction; a single-task or
  // subset run's prompt names only its own criteria, so keep exactly those.
  const config::Json* given = tree.contains("instructions") ? &tree["instructions"] : nullptr;
  std::vector<judge::CriterionInstruction> kept;
  for (const auto& ins : full.instructions()) {
    if (given != nullptr && given->contains(ins.criterion)) kept.push_back(ins);
  }
  const judge::JudgePrompt p(full.preamble(), full.output_format(), std::move(kept));
  if (p.Fingerprint() != r.fingerprint) {
    return InternalError(origin + ": fingerprint does not match the stored prompt text");
  }
  return p;
}

Result<judge::JudgePrompt> SeedPromptFor(const data::Dataset& dataset,
                                         const std::vector<std::string>& criteria) {
  const judge::JudgePrompt full = judge::JudgePrompt::FromDataset(dataset);
  if (criteria.size() == 1) return full.OnlyCriterion(criteria[0]);
  std::vector<judge::CriterionInstruction> kept;
  for (const auto& ins : full.instructions()) {
    if (std::find(criteria.begin(), criteria.end(), ins.criterion) != criteria.end()) {
      kept.push_back(ins);
    }
  }
  return judge::JudgePrompt(full.preamble(), full.output_format(), std::move(kept));
}

Result<std::vector<RunPlan>> PlanRuns(const OptimizeConfig& config,
                                      const data::Dataset& dataset) {
  std::vector<std::string> criteria = config.criteria;
  if (criteria.empty()) {
    for (const auto& c : dataset.criteria) criteria.push_back(c.name);
  }
  std::vector<std::string> known;
  for (const auto& c : dataset.criteria) known.push_back(c.name);
  for (const auto& c : criteria) {
    if (dataset.CriterionIndex(c) < 0) {
      return InvalidArgument(fmt::format("{}: optimize.criteria: '{}' is not a criterion of {} "
                                         "(it has: {})",
                                         config.origin.empty() ? "config" : config.origin, c,
                                         dataset.name, fmt::join(known, ", ")));
    }
  }
  const std::string hash = Sha256Hex(ResultKeyText(config)).substr(0, 10);
  const std::string group = fmt::format("{}-{}-{}-s{}-{}", dataset.name, Lower(RunLabel(config)),
                                        config.gate.metric, config.seed, hash);
  std::vector<RunPlan> plans;
  if (!config.single_task) {
    plans.push_back({group, group, RunLabel(config), criteria});
    return plans;
  }
  for (const auto& c : criteria) {
    plans.push_back({group + "-" + c, group, "ST:" + c, {c}});
  }
  return plans;
}

Result<RunResult> RunOptimization(const OptimizeConfig& config, const data::Dataset& dataset,
                                  const RunPlan& plan, RunDeps& deps) {
  JO_RETURN_IF_ERROR(deps.recorder.BeginRun(MakeRunInfo(config, dataset, plan, deps)));
  JO_ASSIGN_OR_RETURN(auto checkpoint, deps.recorder.LoadCheckpoint(plan.run_id));

  CallLog log;
  std::vector<std::unique_ptr<RecordingClient>> recording;
  std::array<llm::LlmClient*, 5> clients{};
  for (llm::Role role : llm::kAllRoles) {
    recording.push_back(std::make_unique<RecordingClient>(
        deps.stack.For(role), std::string(deps.stack.endpoint_kind(role)), log));
    clients[static_cast<std::size_t>(role)] = recording.back().get();
  }
  const judge::Judge judge(*clients[static_cast<std::size_t>(llm::Role::kJudge)], deps.pool,
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
  if (config.algorithm == "opro") {
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
