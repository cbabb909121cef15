#pragma once
// A short simulated run on SummEval for method tests: the dataset with its test split cut to 30
// examples (nullptr when the shared data is absent), and one in-process run of a config over a
// fresh in-memory cache (or a given one, any recorder).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "fakes/memory_run_recorder.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::optim::testing {

inline std::shared_ptr<const data::Dataset> SmallSummEval() {
  const std::string root = JUDGEOPT_SOURCE_DIR "/../shared/data";
  if (!std::filesystem::exists(root + "/summeval/summeval.jsonl")) return nullptr;
  data::DataLocator locator(root, "", {});
  auto loaded = data::LoadDataset("summeval", locator, data::LoadOptions{});
  if (!loaded.ok()) return nullptr;
  if (loaded->splits.test.size() > 30) loaded->splits.test.resize(30);
  return std::make_shared<const data::Dataset>(std::move(*loaded));
}

/// With `cache` null, a fresh in-memory cache.
inline Result<RunResult> RunSim(std::shared_ptr<const data::Dataset> ds,
                                const OptimizeConfig& config, RunRecorder& recorder,
                                std::shared_ptr<llm::ResponseCache> cache = nullptr) {
  llm::ClientStackPorts ports;
  ports.cache = cache ? std::move(cache) : std::make_shared<llm::MemoryResponseCache>();
  ports.env = [](const std::string&) { return std::optional<std::string>(); };
  ports.make_sim = [ds]() -> Result<std::unique_ptr<llm::LlmClient>> {
    JO_ASSIGN_OR_RETURN(auto client, sim::SimClient::Create(ds, sim::SimOptions{}));
    return std::unique_ptr<llm::LlmClient>(std::move(client));
  };
  JO_ASSIGN_OR_RETURN(auto stack, llm::ClientStack::Create(config.llm, std::move(ports)));
  WorkPool pool(4);
  RunDeps deps{*stack, pool, recorder, nullptr, "test"};
  JO_ASSIGN_OR_RETURN(auto plans, PlanRuns(config, *ds));
  return RunOptimization(config, *ds, plans[0], deps);
}

}  // namespace judgeopt::optim::testing
