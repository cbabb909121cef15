// The conflict matrix's share of the cost estimate (spc_estimate.h): up to one diagnostic call per
// criterion pair and step, and the size of a classifier call.

#include "judgeopt/optim/estimate/spc_estimate.h"

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

const std::vector<std::string> kCriteria = {"clarity", "tone", "accuracy", "helpfulness"};

TEST(SpcEstimateTest, TheMatrixCostsUpToOneDiagnosticCallPerCriterionPairAndStep) {
  const data::Dataset dataset = testdata::MakeLoopDataset();
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  c.steps = 3;
  ASSERT_TRUE(ApplyModeName(c, "SSC", "mode").ok());
  const RunShape shape = ShapeOf(c, dataset, 4);
  EXPECT_EQ(StepCallCounts(c, shape, 1).diagnostic, (Bounds{0, 0}));
  ASSERT_TRUE(ApplyModeName(c, "SPC", "mode").ok());
  EXPECT_EQ(StepCallCounts(c, shape, 0).diagnostic, (Bounds{0, 0}));  // the baseline
  EXPECT_EQ(StepCallCounts(c, shape, 1).diagnostic, (Bounds{0, 6}));  // T(T-1)/2, T = 4
  EXPECT_EQ(StepCallCounts(c, shape, 1).gradient, (Bounds{4 * shape.batch, 4 * shape.batch}));

  auto e = EstimateRun(c, dataset);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  bool found = false;
  for (const RoleEstimate& r : e->roles) {
    if (r.role != llm::Role::kDiagnostic) continue;
    found = true;
    EXPECT_EQ(r.calls, (Bounds{0, 18}));
    EXPECT_GT(r.prompt_tokens.max, 0);
  }
  EXPECT_TRUE(found);
  const ConflictCallSize size =
      EstimateConflictCall(*SeedPromptFor(dataset, kCriteria), kCriteria, 2);
  EXPECT_GT(size.prompt_tokens, 100);
  EXPECT_DOUBLE_EQ(size.reply_tokens, 12.0 * 16);  // 4 edits a side, 16 pairs
  EXPECT_EQ(EstimateConflictCall(*SeedPromptFor(dataset, kCriteria), {"clarity"}, 2).reply_tokens,
            0);
}

}  // namespace
}  // namespace judgeopt::optim
