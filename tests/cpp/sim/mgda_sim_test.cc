// Textual MGDA, the noise-aware gate and --select end to end on SummEval with the simulator
// behind every role: short runs (2 steps, small batch, cut splits) whose every step stores its
// decisions. All numbers are SIMULATED.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cpp/sim/small_summeval_run.h"
#include "cpp/skip_policy.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::optim {
namespace {

constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

using testing::RunSim;
using testing::SmallSummEval;

OptimizeConfig MgdaConfig() {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  c.method.name = Method::kMgda;
  EXPECT_TRUE(ApplyModeName(c, "SSS", "mode").ok());
  c.steps = 2;
  c.batch_size = 2;
  c.gate.metric = GateMetric::kMae;
  c.gate.samples = 12;
  c.eval.every = 2;
  return c;
}

// Loads SummEval once for the suite (nullptr when the data is absent).
class MgdaSimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = SmallSummEval(); }
  static void TearDownTestSuite() { dataset_.reset(); }
  static std::shared_ptr<const data::Dataset> Dataset() { return dataset_; }

 private:
  static inline std::shared_ptr<const data::Dataset> dataset_;
};

int Count(const StepRecord& s, const std::string& kind) {
  int n = 0;
  for (const DecisionRecord& d : s.decisions) n += d.kind == kind;
  return n;
}

TEST_F(MgdaSimTest, ValidationScoredMgdaWithSelectionStoresItsDecisions) {
  auto ds = Dataset();
  if (!ds) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  OptimizeConfig c = MgdaConfig();
  c.method.mgda_eval = MgdaEval::kValidation;
  c.method.select = FinalSelect::kMaxMin;
  ASSERT_TRUE(ValidateOptimizeConfig(c).ok()) << ValidateOptimizeConfig(c).error().ToString();
  MemoryRunRecorder recorder;
  auto result = RunSim(ds, c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_EQ(steps.size(), 3u);
  for (int s = 1; s <= 2; ++s) {
    const StepRecord& st = steps[static_cast<std::size_t>(s)];
    SCOPED_TRACE(::testing::Message() << "simulated step " << s);
    ASSERT_EQ(Count(st, "mgda"), 1);
    EXPECT_EQ(st.optimizer_calls.size(), 4u);  // one separate call per criterion
    for (const DecisionRecord& d : st.decisions) {
      if (d.kind != "mgda") continue;
      const auto p = nlohmann::json::parse(d.payload_json);
      EXPECT_EQ(p["examples"], 12);
      EXPECT_FALSE(p["candidates"].empty());  // the simulated optimizer rewrites instructions
      // Every candidate that was scored is in the archive, with the incumbent.
      EXPECT_EQ(Count(st, "archive"), static_cast<int>(p["candidates"].size()) + 1);
      EXPECT_EQ(p["chosen"].is_null(), !st.gate.accepted);
    }
  }
  EXPECT_EQ(Count(steps[2], "select"), 1);
  EXPECT_EQ(steps[2].test_eval->prompt_fingerprint, steps[2].incumbent_after.fingerprint);
  EXPECT_EQ(result->final_prompt.Fingerprint(), steps[2].incumbent_after.fingerprint);
}

TEST_F(MgdaSimTest, BatchScoredMgdaBehindTheNoiseAwareGate) {
  auto ds = Dataset();
  if (!ds) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  OptimizeConfig c = MgdaConfig();
  c.gate.kind = GateKind::kNoiseAware;
  c.gate.bootstrap = 200;
  MemoryRunRecorder recorder;
  auto result = RunSim(ds, c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  for (int s = 1; s <= 2; ++s) {
    const StepRecord& st = steps[static_cast<std::size_t>(s)];
    SCOPED_TRACE(::testing::Message() << "simulated step " << s);
    ASSERT_EQ(Count(st, "mgda"), 1);
    nlohmann::json p;
    for (const DecisionRecord& d : st.decisions) {
      if (d.kind == "mgda") p = nlohmann::json::parse(d.payload_json);
    }
    EXPECT_EQ(p["eval"], "batch");
    // A chosen candidate faces the noise-aware gate; without one there is no gate.
    EXPECT_EQ(Count(st, "noise_gate"), p["chosen"].is_null() ? 0 : 1);
    EXPECT_EQ(Count(st, "select"), 0);
  }
}

}  // namespace
}  // namespace judgeopt::optim
