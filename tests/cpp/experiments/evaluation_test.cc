#include "judgeopt/experiments/evaluation.h"

#include <gtest/gtest.h>

#include <string>

#include "fakes/scripted_llm.h"
#include "judgeopt/base/work_pool.h"
#include "cpp/judge/review_dataset.h"

namespace judgeopt::experiments {
namespace {

// Replies the gold scores of the example whose review text appears in the prompt, except that
// the "tone" score of r2 is off by 2 and r3's reply is unusable.
void ScriptGoldEcho(testing::ScriptedLlm& llm) {
  llm.OnSubstring("Great blender", R"({"clarity": 4, "tone": 5, "accuracy": 3, "helpfulness": 4})");
  llm.OnSubstring("Broke after", R"({"clarity": 3, "tone": 4, "accuracy": 2, "helpfulness": 3})");
  llm.OnSubstring("Does what", "I cannot rate this.");
}

TEST(EvaluationTest, MetricsFollowPredictionsAndMissingValuesAreCounted) {
  auto ds = judge::testdata::MakeReviewDataset();
  testing::ScriptedLlm llm;
  ScriptGoldEcho(llm);
  WorkPool pool(2);
  judge::JudgeSettings settings;
  settings.max_reasks = 0;
  judge::Judge judge(llm, pool, settings);
  auto result = EvaluatePrompt(judge, ds, judge::JudgePrompt::FromDataset(ds), ds.splits.test);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->criteria.size(), 4u);
  EXPECT_EQ(result->failed_examples, 1u);
  const auto& clarity = result->criteria[0].metrics;
  EXPECT_EQ(clarity.n, 2);
  EXPECT_EQ(clarity.missing, 1);
  EXPECT_DOUBLE_EQ(clarity.mae, 0.0);
  const auto& tone = result->criteria[1].metrics;
  EXPECT_DOUBLE_EQ(tone.mae, 1.0);  // |5-5| and |4-2| over 2 pairs
  EXPECT_DOUBLE_EQ(tone.off_by_one, 0.5);
  // The average row is the unweighted mean over criteria.
  double mae_sum = 0;
  for (const auto& c : result->criteria) mae_sum += c.metrics.mae;
  EXPECT_DOUBLE_EQ(result->average.metrics.mae, mae_sum / 4);
  EXPECT_EQ(result->average.metrics.n, 8);
}

// An evaluation is no result when a call failure no example gets past stopped it (its error
// itself) or when no example got a usable score (kParse, with the first example's error).
TEST(EvaluationTest, CheckEvalUsableRefusesAStoppedOrEmptyEvaluation) {
  EvalResult r;
  r.predictions.resize(3);
  EXPECT_TRUE(CheckEvalUsable(r).ok());
  r.predictions[1].error = Error(ErrorCode::kParse, "no JSON");
  r.failed_examples = 1;
  EXPECT_TRUE(CheckEvalUsable(r).ok());  // one unusable reply: the others still count
  r.predictions[2].error = Error(ErrorCode::kBudgetExceeded, "spent");
  Status budget = CheckEvalUsable(r);
  ASSERT_FALSE(budget.ok());
  EXPECT_EQ(budget.error().code, ErrorCode::kBudgetExceeded);
  r.predictions[2].error = Error(ErrorCode::kParse, "no JSON either");
  r.predictions[0].error = Error(ErrorCode::kParse, "first");
  r.failed_examples = 3;
  Status none = CheckEvalUsable(r);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kParse);
  EXPECT_EQ(none.error().message,
            "none of the 3 examples got a usable score; the first error: first");
}

TEST(EvaluationTest, EvalJudgeSettingsFollowTheJudgeRole) {
  llm::RoleConfig role = llm::DefaultRoleConfig(llm::Role::kJudge);
  role.temperature = 0.3;
  role.max_tokens = 99;
  judge::JudgeSettings s = EvalJudgeSettings(role, 7, judge::JudgeMode::kPerCriterion);
  EXPECT_EQ(s.model, llm::kSimModelName);
  EXPECT_EQ(s.temperature, 0.3);
  EXPECT_EQ(s.max_tokens, 99);
  EXPECT_EQ(s.seed, 7);
  EXPECT_EQ(s.mode, judge::JudgeMode::kPerCriterion);
}

TEST(EvaluationTest, ScorePredictionsRejectsMisalignedInput) {
  auto ds = judge::testdata::MakeReviewDataset();
  auto r = ScorePredictions(ds, {0, 1}, {});
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace judgeopt::experiments
