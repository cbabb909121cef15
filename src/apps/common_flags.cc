#include "apps/common_flags.h"

#include "judgeopt/llm/sim/sim_client.h"

namespace judgeopt::apps {

void DatasetFlags::Add(CLI::App& app, bool required) {
  auto* opt = app.add_option("--dataset", dataset,
                             "Built-in dataset name (summeval, brighter) or a dataset spec file");
  if (required) opt->required();
  app.add_option("--protocol", protocol, "Split protocol: default or paper")
      ->check(CLI::IsMember({"default", "paper"}));
  app.add_option("--version", version, "Dataset version named in its spec (e.g. competition)");
}

Result<std::shared_ptr<const data::Dataset>> DatasetFlags::Load(
    const GlobalOptions& global) const {
  data::LoadOptions options;
  options.protocol = protocol;
  options.version = version;
  auto locator = data::DataLocator::FromProcess(global.data_dir);
  JO_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(dataset, locator, options));
  return std::make_shared<const data::Dataset>(std::move(ds));
}

void LlmFlags::Add(CLI::App& app) {
  app.add_option("--backend", backend, "LLM backend: sim (offline simulator)")
      ->check(CLI::IsMember({"sim"}));
  app.add_option("--model", model, "Model name for the roles this command uses");
  app.add_option("--concurrency", concurrency, "Concurrent requests")->check(CLI::Range(1, 1024));
  app.add_option("--seed", seed, "Seed for request sampling and the simulator");
}

std::string LlmFlags::model_or_default() const {
  if (!model.empty()) return model;
  return backend == "sim" ? "judgeopt-sim" : "";
}

Result<std::unique_ptr<llm::LlmClient>> MakeClient(const LlmFlags& flags,
                                                   std::shared_ptr<const data::Dataset> dataset) {
  if (flags.backend != "sim") {
    return InvalidArgument("--backend: unknown backend '" + flags.backend + "'");
  }
  sim::SimOptions options;
  options.seed = static_cast<uint64_t>(flags.seed);
  JO_ASSIGN_OR_RETURN(auto client, sim::SimClient::Create(std::move(dataset), options));
  return std::unique_ptr<llm::LlmClient>(std::move(client));
}

}  // namespace judgeopt::apps
