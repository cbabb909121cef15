#pragma once
// A scripted model and a loop harness for the tests of MGDA, the noise-aware gate and the
// Pareto archive on MakeLoopDataset. The judge's values depend on markers in the instructions it
// is shown: "GOOD-<c>" makes criterion c exact (the gold value), "HURT-<c>" puts c at the far end
// of its scale; otherwise every criterion gets a fixed value. Separate optimizer replies come
// from a test-supplied function of (criterion, step).

#include <cstdio>
#include <functional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::optim::testdata {

/// The scripted model described above (loss and gradient texts from LayoutModel). Configure
/// `rewrite` before a run; Answer is then safe to call from many threads.
class MarkerModel {
 public:
  /// The separate optimizer's reply for `criterion` at `step` (default: "<c> rule s<step>").
  std::function<std::string(const std::string& criterion, int step)> rewrite =
      [](const std::string& c, int step) { return fmt::format("{} rule s{}", c, step); };

  testing::ScriptedLlm::Reply Answer(const llm::ChatRequest& r) {
    const auto layout = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r));
    using K = prompts::PromptKind;
    if (layout.kind == K::kOptimizerSeparate) {
      int step = 0;
      std::sscanf(r.tag.c_str(), "step%d", &step);
      return rewrite(layout.criteria[0], step);
    }
    const bool backward = layout.kind == K::kLossSeparate || layout.kind == K::kLossCombined ||
                          layout.kind == K::kGradientSeparate ||
                          layout.kind == K::kGradientCombined;
    return backward ? backward_.Answer(r) : Judge(r);
  }

 private:
  LayoutModel backward_;  // loss and gradient texts

  static testing::ScriptedLlm::Reply Judge(const llm::ChatRequest& r) {
    std::string all;
    for (const auto& m : r.messages) all += m.content;
    int i = 0;
    const auto at = all.find("Review number ");
    if (at != std::string::npos) std::sscanf(all.c_str() + at, "Review number %d.", &i);
    const nlohmann::ordered_json gold = {{"clarity", 1 + i % 5},
                                         {"tone", 1 + (i * 3) % 5},
                                         {"accuracy", i % 4},
                                         {"helpfulness", 1 + (i * 7) % 5}};
    nlohmann::ordered_json reply = {
        {"clarity", 3}, {"tone", 3}, {"accuracy", 2}, {"helpfulness", 3}};
    for (auto& [c, v] : reply.items()) {
      if (all.find("GOOD-" + c) != std::string::npos) v = gold[c];
      if (all.find("HURT-" + c) != std::string::npos) {
        const int g = gold[c].get<int>();
        const int lo = c == "accuracy" ? 0 : 1, hi = c == "accuracy" ? 3 : 5;
        v = g - lo < hi - g ? hi : lo;
      }
    }
    return reply.dump();
  }
};

/// Runs configs on MakeLoopDataset with a MarkerModel behind every role. Owns the dataset, the
/// model and one response cache shared by its runs. One run at a time.
class MarkerHarness {
 public:
  MarkerHarness()
      : dataset_(MakeLoopDataset()),
        client_([this](const llm::ChatRequest& r) { return model.Answer(r); }) {}

  /// Method `method` on SSS with `steps` steps, batch 3, the gate metric `gate` on 6 validation
  /// examples.
  OptimizeConfig Config(const std::string& method, const std::string& gate, int steps) {
    OptimizeConfig c;
    c.dataset = dataset_.name;
    c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    c.method.name = FindEnum<Method>(method).value();
    EXPECT_TRUE(ApplyModeName(c, "SSS", "mode").ok());
    c.steps = steps;
    c.batch_size = 3;
    c.gate.metric = FindEnum<GateMetric>(gate).value();
    c.gate.samples = 6;
    return c;
  }

  Result<RunResult> Run(const OptimizeConfig& c, MemoryRunRecorder& recorder) {
    auto stack = MakeStack(client_, cache_);
    if (stack == nullptr) return InternalError("no client stack");
    WorkPool pool(4);
    RunDeps deps{*stack, pool, recorder, nullptr, "test"};
    JO_ASSIGN_OR_RETURN(auto plans, PlanRuns(c, dataset_));
    return RunOptimization(c, dataset_, plans[0], deps);
  }

  const data::Dataset& dataset() const { return dataset_; }

  MarkerModel model;

 private:
  data::Dataset dataset_;
  testing::ScriptedLlm client_;
  std::shared_ptr<llm::ResponseCache> cache_ = std::make_shared<llm::MemoryResponseCache>();
};

/// The decisions of `kind` in a step, in order.
inline std::vector<DecisionRecord> DecisionsOf(const StepRecord& step, const std::string& kind) {
  std::vector<DecisionRecord> out;
  for (const DecisionRecord& d : step.decisions) {
    if (d.kind == kind) out.push_back(d);
  }
  return out;
}

}  // namespace judgeopt::optim::testdata
