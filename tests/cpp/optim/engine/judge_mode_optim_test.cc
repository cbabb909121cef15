// The judge mode inside optimization: the evaluation settings key (reuse only under the same
// mode, joint keys unchanged), the estimate's judge calls per example, and the predict prompts a
// stored step rebuilds.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/base/sha256.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_evaluation.h"
#include "judgeopt/optim/engine/run_plan.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/estimate/judge_mode_estimate.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

class JudgeModeOptimTest : public ::testing::Test {
 protected:
  std::string Key(judge::JudgeMode mode) {
    judge::JudgeSettings settings;
    settings.mode = mode;
    const judge::Judge judge(llm_, pool_, settings);
    RunContext ctx{dataset_, config_, "run", criteria_, {}, pool_, judge};
    return EvalSettingsKey(ctx, "test", dataset_.splits.test);
  }

  data::Dataset dataset_ = testdata::MakeLoopDataset();
  OptimizeConfig config_;
  std::vector<std::string> criteria_ = {"clarity", "tone", "accuracy", "helpfulness"};
  testing::ScriptedLlm llm_;
  WorkPool pool_{1};
};

TEST_F(JudgeModeOptimTest, EvalKeyNamesTheModeOnlyWhenNotJoint) {
  const std::string joint = Key(judge::JudgeMode::kJoint);
  const std::string per = Key(judge::JudgeMode::kPerCriterion);
  const std::string sectioned = Key(judge::JudgeMode::kSectioned);
  EXPECT_NE(joint, per);
  EXPECT_NE(joint, sectioned);
  EXPECT_NE(per, sectioned);
  // The joint key is the one evaluations were stored under before judge modes existed: the
  // "judgeopt.eval.v1" text of dataset, protocol, split, judge backend, model, temperature,
  // max_tokens, seed, re-asks, criteria, endpoints and positions.
  const llm::RoleConfig& j = config_.llm.role(llm::Role::kJudge);
  std::string text = fmt::format("judgeopt.eval.v1|{}|{}|test|{}|{}|{}|{}|{}|{}|{}|",
                                 dataset_.name, dataset_.protocol, llm::BackendName(j.backend),
                                 j.model, j.temperature, j.max_tokens, config_.seed,
                                 config_.judge_reasks, "clarity,tone,accuracy,helpfulness");
  for (const auto& e : j.endpoints) text += e.base_url + ",";
  text += "|14,15,16,17,18,19,";
  EXPECT_EQ(joint, Sha256Hex(text));
}

TEST_F(JudgeModeOptimTest, ConfigModeReachesTheJudgeAndTheEstimate) {
  OptimizeConfig c = config_;
  EXPECT_EQ(JudgeSettingsFor(c).mode, judge::JudgeMode::kJoint);
  EXPECT_EQ(JudgeCallsPerExample(c, 4), 1);
  c.method.judge_mode = judge::JudgeMode::kPerCriterion;
  EXPECT_EQ(JudgeSettingsFor(c).mode, judge::JudgeMode::kPerCriterion);
  EXPECT_EQ(JudgeCallsPerExample(c, 4), 4);
  EXPECT_EQ(JudgeCallsPerExample(c, 1), 1);  // a single-task run
  c.method.judge_mode = judge::JudgeMode::kSectioned;
  EXPECT_EQ(JudgeSettingsFor(c).mode, judge::JudgeMode::kSectioned);
  EXPECT_EQ(JudgeCallsPerExample(c, 4), 1);
}

TEST_F(JudgeModeOptimTest, PerCriterionMultipliesEveryJudgeCountOfAStep) {
  OptimizeConfig joint = config_;
  joint.gate.metric = GateMetric::kMae;
  OptimizeConfig per = joint;
  per.method.judge_mode = judge::JudgeMode::kPerCriterion;
  const RunShape shape{4, 5, 6, 7};
  for (int step : {0, 1, 2}) {
    const CallCounts a = StepCallCounts(joint, shape, step);
    const CallCounts b = StepCallCounts(per, shape, step);
    EXPECT_EQ(b.judge_train, (Bounds{4 * a.judge_train.min, 4 * a.judge_train.max}));
    EXPECT_EQ(b.judge_gate, (Bounds{4 * a.judge_gate.min, 4 * a.judge_gate.max}));
    EXPECT_EQ(b.judge_eval, (Bounds{4 * a.judge_eval.min, 4 * a.judge_eval.max}));
    EXPECT_EQ(b.loss, a.loss);  // the other roles are untouched
    EXPECT_EQ(b.gradient, a.gradient);
    EXPECT_EQ(b.optimizer, a.optimizer);
  }
  OptimizeConfig sectioned = joint;
  sectioned.method.judge_mode = judge::JudgeMode::kSectioned;
  EXPECT_EQ(StepCallCounts(sectioned, shape, 1).Judge(), StepCallCounts(joint, shape, 1).Judge());
}

TEST_F(JudgeModeOptimTest, PerCriterionCallsAreSmallerPrompts) {
  OptimizeConfig per = config_;
  per.method.judge_mode = judge::JudgeMode::kPerCriterion;
  const judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(dataset_);
  auto joint_tokens = MeanJudgeCallTokens(config_, prompt, dataset_, dataset_.splits.test);
  auto per_tokens = MeanJudgeCallTokens(per, prompt, dataset_, dataset_.splits.test);
  ASSERT_TRUE(joint_tokens.ok() && per_tokens.ok());
  EXPECT_GT(*per_tokens, 0);
  EXPECT_LT(*per_tokens, *joint_tokens);
}

}  // namespace
}  // namespace judgeopt::optim
