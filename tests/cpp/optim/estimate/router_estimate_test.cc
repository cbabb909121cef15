// The estimate of the router and of criterion-owned blocks: per-step call counts (the router's
// gradient calls from B to B + T·B and T diagnostic calls; owned blocks' T·k optimizer calls in
// combined modes), the diagnostic row shown only when there are diagnostic calls, and scripted runs
// whose calls lie within the projected bounds.

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

using llm::Role;

constexpr int64_t kT = 4, kB = 3;

OptimizeConfig Config(const std::string& mode) {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
  c.steps = 2;
  c.batch_size = static_cast<int>(kB);
  c.gate.metric = GateMetric::kNone;
  return c;
}

class RouterEstimateTest : public ::testing::Test {
 protected:
  data::Dataset dataset_ = testdata::MakeLoopDataset();
};

TEST_F(RouterEstimateTest, RouterStepCalls) {
  OptimizeConfig c = Config("SCC");
  c.method.name = Method::kRouter;
  const RunShape shape = ShapeOf(c, dataset_, static_cast<int>(kT));
  const CallCounts step = StepCallCounts(c, shape, 1);
  EXPECT_EQ(step.loss, (Bounds{kT * kB, kT * kB}));
  EXPECT_EQ(step.gradient, (Bounds{kB, kB + kT * kB}));
  EXPECT_EQ(step.diagnostic, (Bounds{kT, kT}));
  EXPECT_EQ(step.ForRole(Role::kDiagnostic), (Bounds{kT, kT}));
  EXPECT_EQ(StepCallCounts(c, shape, 0).diagnostic, (Bounds{}));  // the baseline: no step
  EXPECT_EQ(StepCallCounts(Config("SCC"), shape, 1).diagnostic, (Bounds{}));
}

TEST_F(RouterEstimateTest, OwnedBlocksMakeOneOptimizerCallPerCriterionInCombinedModes) {
  for (const char* mode : {"SSC", "SCC", "CCC"}) {
    OptimizeConfig c = Config(mode);
    c.method.owned_blocks = true;
    c.num_candidates = 2;
    c.optimizer_retries = 1;
    const RunShape shape = ShapeOf(c, dataset_, static_cast<int>(kT));
    EXPECT_EQ(StepCallCounts(c, shape, 1).optimizer, (Bounds{kT * 2, kT * 2 * 2})) << mode;
  }
  OptimizeConfig sss = Config("SSS");
  sss.method.owned_blocks = true;
  const RunShape shape = ShapeOf(sss, dataset_, static_cast<int>(kT));
  EXPECT_EQ(StepCallCounts(sss, shape, 1).optimizer, (Bounds{kT, kT}));  // already per criterion
}

TEST_F(RouterEstimateTest, TheDiagnosticRowAppearsOnlyWithDiagnosticCalls) {
  auto plain = EstimateRun(Config("SCC"), dataset_);
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(plain->roles.size(), 4u);
  OptimizeConfig c = Config("SCC");
  c.method.name = Method::kRouter;
  auto router = EstimateRun(c, dataset_);
  ASSERT_TRUE(router.ok()) << router.error().ToString();
  ASSERT_EQ(router->roles.size(), 5u);
  EXPECT_EQ(router->roles[4].role, Role::kDiagnostic);
  EXPECT_EQ(router->roles[4].calls, (Bounds{2 * kT, 2 * kT}));
  EXPECT_GT(router->roles[4].prompt_tokens.max, 0);
  EXPECT_NE(RenderEstimate(*router).find("diagnostic"), std::string::npos);
}

// Scripted runs (every criterion routed, owned replies in their own block) stay within bounds.
TEST_F(RouterEstimateTest, ScriptedRunsStayWithinTheBounds) {
  testdata::LayoutModel layout;
  testing::ScriptedLlm model([&layout](const llm::ChatRequest& r) -> testing::ScriptedLlm::Reply {
    const auto l = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r));
    if (l.kind == prompts::PromptKind::kSpecificity) return std::string("2");
    if (l.kind == prompts::PromptKind::kOptimizerOwned) {
      return nlohmann::json{{"instructions", {{l.owner, l.owner + " rule " + r.tag}}}}.dump();
    }
    return layout.Answer(r);
  });
  for (bool owned : {false, true}) {
    SCOPED_TRACE(owned ? "router+owned" : "router");
    OptimizeConfig c = Config("SCC");
    c.method.name = Method::kRouter;
    c.method.owned_blocks = owned;
    auto estimate = EstimateRun(c, dataset_);
    ASSERT_TRUE(estimate.ok()) << estimate.error().ToString();
    auto plans = PlanRuns(c, dataset_);
    ASSERT_TRUE(plans.ok());
    auto stack = testdata::MakeStack(model, std::make_shared<llm::MemoryResponseCache>());
    ASSERT_NE(stack, nullptr);
    WorkPool pool(2);
    MemoryRunRecorder recorder;
    RunDeps deps{*stack, pool, recorder, nullptr, "test"};
    auto result = RunOptimization(c, dataset_, (*plans)[0], deps);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    llm::PerRole<int64_t> made{};
    for (const StepSummary& s : result->steps) {
      for (llm::Role role : llm::kAllRoles) made[role] += s.calls_by_role[role];
    }
    for (const RoleEstimate& r : estimate->roles) {
      SCOPED_TRACE(llm::RoleName(r.role));
      const int64_t n = made[r.role];
      EXPECT_LE(r.calls.min, n);
      EXPECT_GE(r.calls.max, n);
    }
    // Every criterion was routed: the gradient calls reach the upper bound.
    EXPECT_EQ(made[static_cast<std::size_t>(Role::kGradient)], estimate->roles[2].calls.max);
    for (const StepRecord& s : recorder.Steps((*plans)[0].run_id)) {
      if (s.step == 0) continue;
      int routes = 0;
      for (const DecisionRecord& d : s.decisions) routes += d.kind == "route";
      EXPECT_EQ(routes, kT);
      EXPECT_EQ(s.optimizer_calls.size(), owned ? 4u : 1u);
    }
  }
}

}  // namespace
}  // namespace judgeopt::optim
