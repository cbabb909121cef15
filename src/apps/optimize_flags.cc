#include "apps/optimize_flags.h"

#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/optim/config/overrides.h"

namespace judgeopt::apps {

void OptimizeFlags::Add(CLI::App& app) {
  app_ = &app;
  llm.Add(app);
  app.add_option("--dataset", dataset, "Dataset (overrides the config's `dataset`)");
  app.add_option("--algorithm", algorithm,
                 EnumChoiceText<optim::Algorithm>() +
                     " (overrides optimize.algorithm; opro runs mode CCC or ST)")
      ->check(CLI::IsMember(EnumChoices<optim::Algorithm>()));
  app.add_option("--mode", mode,
                 optim::ModeNameChoices() + " (ST: single-task runs; SPC, MGDA, ROUTER: the "
                 "conflict-aware methods, docs/methods.md)");
  app.add_option("--gate", gate, "Validation gate: " + EnumChoiceText<optim::GateMetric>())
      ->check(CLI::IsMember(EnumChoices<optim::GateMetric>()));
  app.add_option("--steps", steps, "Optimization steps")->check(CLI::Range(0, 100000));
  app.add_option("--batch-size", batch_size, "Training examples per step")
      ->check(CLI::Range(1, 100000));
  AddJudgeModeOption(app, judge_mode);  // overrides method.judge_mode
}

Result<optim::OptimizeConfig> OptimizeFlags::ResolveConfig() const {
  optim::OptimizeConfig c;
  if (!llm.config_file.empty()) {
    JO_ASSIGN_OR_RETURN(c, optim::LoadOptimizeConfig(llm.config_file));
  }
  JO_ASSIGN_OR_RETURN(c.llm, llm.ResolveConfig(kLoopRoles));
  optim::OptimizeOverrides o;
  if (!dataset.empty()) o.dataset = dataset;
  if (!algorithm.empty()) o.algorithm = algorithm;
  if (!mode.empty()) o.mode = mode;
  if (!gate.empty()) o.gate = gate;
  if (steps >= 0) o.steps = steps;
  if (batch_size > 0) o.batch_size = batch_size;
  if (!judge_mode.empty()) o.judge_mode = judge_mode;
  if (app_ != nullptr && app_->get_option("--seed")->count() > 0) o.seed = llm.seed;
  JO_RETURN_IF_ERROR(optim::ApplyOptimizeOverrides(c, o, optim::OverrideSpelling::kFlags));
  return c;
}

Result<std::shared_ptr<const data::Dataset>> OptimizeFlags::LoadData(
    const optim::OptimizeConfig& c, const GlobalOptions& global) const {
  data::LoadOptions options;
  options.protocol = EnumName(c.protocol);
  options.version = c.data_version;
  auto locator = data::DataLocator::FromProcess(global.data_dir);
  JO_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(c.dataset, locator, options));
  return std::make_shared<const data::Dataset>(std::move(ds));
}

llm::Budget OptimizeFlags::Budget(const optim::OptimizeConfig& config) const {
  llm::Budget b = config.budget;
  if (llm.max_usd) b.max_usd = llm.max_usd;
  if (llm.max_calls) b.max_calls = *llm.max_calls;
  return b;
}

}  // namespace judgeopt::apps
