#pragma once
// Optimization runs through the library with the simulator behind every role, for the tests of
// the calibrated simulator (optimize_modes_test.cc, calibrated_failures_test.cc): the SummEval
// loader, a harness that runs every plan of a config and keeps the steps in memory, and small
// readers of the results. All numbers they produce are SIMULATED.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/memory_run_recorder.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::optim::simrun {

inline constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

/// A built-in dataset from ../shared/data (nullptr when absent), its test split cut to
/// `test_size` examples when that is > 0 (fewer evaluation calls; same behaviour).
inline std::shared_ptr<const data::Dataset> Builtin(const std::string& name,
                                                    const std::string& protocol,
                                                    std::size_t test_size) {
  data::DataLocator locator(kDataRoot, "", {});
  data::LoadOptions options;
  options.protocol = protocol;
  auto loaded = data::LoadDataset(name, locator, options);
  if (!loaded.ok()) return nullptr;
  if (test_size > 0 && loaded->splits.test.size() > test_size) {
    loaded->splits.test.resize(test_size);
  }
  return std::make_shared<const data::Dataset>(std::move(*loaded));
}

inline std::shared_ptr<const data::Dataset> SummEval(const std::string& protocol,
                                                     std::size_t test_size) {
  if (!std::filesystem::exists(std::string(kDataRoot) + "/summeval/summeval.jsonl")) return nullptr;
  return Builtin("summeval", protocol, test_size);
}

inline llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

/// Runs every plan of a config through the simulator and keeps what the runs recorded. `wrap`
/// (optional) puts a decorator around the simulated client, e.g. to damage one role's replies.
/// Not thread-safe; one per test.
struct Harness {
  using Wrap = std::function<std::unique_ptr<llm::LlmClient>(std::unique_ptr<llm::LlmClient>)>;

  std::shared_ptr<const data::Dataset> dataset;
  std::shared_ptr<llm::ResponseCache> cache = std::make_shared<llm::MemoryResponseCache>();
  MemoryRunRecorder recorder;
  sim::SimOptions sim_options;
  Wrap wrap;

  Result<std::vector<RunResult>> Run(const OptimizeConfig& config) {
    llm::ClientStackPorts ports;
    ports.cache = cache;
    ports.env = NoEnv();
    auto ds = dataset;
    auto so = sim_options;
    auto w = wrap;
    ports.make_sim = [ds, so, w]() -> Result<std::unique_ptr<llm::LlmClient>> {
      JO_ASSIGN_OR_RETURN(auto client, sim::SimClient::Create(ds, so));
      std::unique_ptr<llm::LlmClient> out = std::move(client);
      return w ? w(std::move(out)) : std::move(out);
    };
    JO_ASSIGN_OR_RETURN(auto stack, llm::ClientStack::Create(config.llm, std::move(ports)));
    WorkPool pool(4);
    RunDeps deps{*stack, pool, recorder, nullptr, "test"};
    JO_ASSIGN_OR_RETURN(auto plans, PlanRuns(config, *dataset));
    std::vector<RunResult> out;
    for (const auto& plan : plans) {
      JO_ASSIGN_OR_RETURN(RunResult r, RunOptimization(config, *dataset, plan, deps));
      out.push_back(std::move(r));
    }
    return out;
  }
};

/// A TextGrad config: mode (or ST), gate metric and validation samples; test evaluations at the
/// baseline, step 1 and step 12 (set eval.every = 1 for every step).
inline OptimizeConfig Config(const std::string& mode, const std::string& gate, int gate_samples) {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig(NoEnv());
  EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
  c.gate.metric = FindEnum<GateMetric>(gate).value();
  c.gate.samples = gate_samples;
  c.eval.every = 12;
  return c;
}

/// The "average" row of an evaluation, when it has one.
inline const MetricRow* AverageRow(const std::optional<EvaluationRecord>& e) {
  if (!e) return nullptr;
  for (const auto& m : e->metrics) {
    if (m.criterion == "average") return &m;
  }
  return nullptr;
}

/// The average Spearman of an evaluation, when it has one.
inline std::optional<double> AverageSpearman(const std::optional<EvaluationRecord>& e) {
  const MetricRow* row = AverageRow(e);
  return row ? row->spearman : std::nullopt;
}

/// The average MAE of an evaluation, when it has one.
inline std::optional<double> AverageMae(const std::optional<EvaluationRecord>& e) {
  const MetricRow* row = AverageRow(e);
  return row ? row->mae : std::nullopt;
}

}  // namespace judgeopt::optim::simrun
