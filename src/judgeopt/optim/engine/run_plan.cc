#include "judgeopt/optim/engine/run_plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "judgeopt/base/sha256.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/judge/prompt_file.h"

namespace judgeopt::optim {

judge::JudgeSettings JudgeSettingsFor(const OptimizeConfig& config) {
  const llm::RoleConfig& j = config.llm.role(llm::Role::kJudge);
  judge::JudgeSettings s;
  s.model = j.model;
  s.temperature = j.temperature;
  s.max_tokens = j.max_tokens;
  s.seed = config.seed;
  s.max_reasks = config.judge_reasks;
  s.mode = config.method.judge_mode;
  return s;
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
  const std::string group =
      fmt::format("{}-{}-{}-s{}-{}", dataset.name, AsciiLower(RunLabel(config)),
                  EnumName(config.gate.metric), config.seed, hash);
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

}  // namespace judgeopt::optim
