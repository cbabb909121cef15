// The OPRO projection: calls per step against reference-protocol §13.2 (B + C·B judge calls and
// C optimizer calls, no loss or gradient calls) on the SummEval shape, the gate's calls added as
// for TextGrad, and the meta-prompt sized with the real OPRO builder.

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {
namespace {

OptimizeConfig Opro(const std::string& gate) {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  EXPECT_TRUE(ApplyAlgorithmName(c, "opro", "algorithm").ok());
  c.gate.metric = FindEnum<GateMetric>(gate).value();
  return c;
}

TEST(OproEstimateTest, SummEvalShapeGivesTheProtocolsCountsPerStep) {
  const RunShape summeval{4, 3, 100, 480};  // T, B, V, N
  const OptimizeConfig c = Opro("none");
  const CallCounts step = StepCallCounts(c, summeval, 5);
  // §13.2 with B = 3, C = 8: 27 + N judge calls and 8 optimizer calls per step.
  EXPECT_EQ(step.Judge(), (Bounds{27 + 480, 27 + 480}));
  EXPECT_EQ(step.optimizer, (Bounds{8, 8}));
  EXPECT_EQ(step.loss, (Bounds{0, 0}));
  EXPECT_EQ(step.gradient, (Bounds{0, 0}));
  const CallCounts run = RunCallCounts(c, summeval);
  EXPECT_EQ(run.Judge().max, 480 + 12 * (27 + 480));  // the baseline, then 12 steps
  EXPECT_EQ(run.optimizer.max, 12 * 8);

  // A gate adds TextGrad's gate calls: 2V per step by default, V (+V once) under paper.
  const CallCounts gated = StepCallCounts(Opro("mae"), summeval, 1);
  EXPECT_EQ(gated.judge_gate, (Bounds{200, 200}));
  OptimizeConfig paper = Opro("mae");
  paper.switches = PaperSwitches();
  EXPECT_EQ(StepCallCounts(paper, summeval, 1).judge_gate, (Bounds{200, 200}));
  EXPECT_EQ(StepCallCounts(paper, summeval, 2).judge_gate, (Bounds{100, 100}));
}

TEST(OproEstimateTest, ProjectionSizesTheMetaPromptAndLabelsTheRun) {
  const data::Dataset dataset = testdata::MakeLoopDataset();
  OptimizeConfig c = Opro("none");
  c.steps = 3;
  auto e = EstimateRun(c, dataset);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->mode_label, "OPRO");
  for (const RoleEstimate& r : e->roles) {
    SCOPED_TRACE(std::string(llm::RoleName(r.role)));
    if (r.role == llm::Role::kLoss || r.role == llm::Role::kGradient) {
      EXPECT_EQ(r.calls.max, 0);
      EXPECT_EQ(r.prompt_tokens.max, 0);
    }
    if (r.role == llm::Role::kOptimizer) {
      EXPECT_EQ(r.calls.max, 3 * 8);
      // Each meta-prompt holds the trajectory (the four seed instructions at least once), the
      // exemplars and the answer template: well over 100 tokens per call.
      EXPECT_GT(r.prompt_tokens.max, 3 * 8 * 100);
      EXPECT_GT(r.completion_tokens.max, 0);
    }
  }
  // A larger trajectory makes larger meta-prompts.
  OptimizeConfig small = c;
  small.opro.trajectory_size = 1;
  auto e1 = EstimateRun(small, dataset);
  ASSERT_TRUE(e1.ok());
  EXPECT_LT(e1->roles[3].prompt_tokens.max, e->roles[3].prompt_tokens.max);
}

}  // namespace
}  // namespace judgeopt::optim
