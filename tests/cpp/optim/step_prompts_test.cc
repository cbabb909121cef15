// Rebuilding a stored step's prompts: every loss, gradient, optimizer and predict prompt the loop
// sent (and the router's and SPC's diagnostic calls) is rebuilt, text for text, from the step's
// record alone, for each mode and method.

#include "judgeopt/optim/step_prompts.h"

#include <map>

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/optim/textgrad/stages.h"

namespace judgeopt::optim {
namespace {

class StepPromptsTest : public ::testing::TestWithParam<const char*> {
 protected:
  StepPromptsTest()
      : dataset_(testdata::MakeLoopDataset()),
        model_([this](const llm::ChatRequest& r) { return layout_.Answer(r); }) {}

  OptimizeConfig Config(const std::string& mode) {
    OptimizeConfig c;
    c.dataset = dataset_.name;
    c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
    c.steps = 2;
    c.batch_size = 3;
    c.num_candidates = 2;
    return c;
  }

  // Runs the config; returns the plan's run id.
  std::string Run(const OptimizeConfig& c) {
    auto stack = testdata::MakeStack(model_, nullptr);  // no cache: every request reaches model_
    EXPECT_NE(stack, nullptr);
    WorkPool pool(4);
    RunDeps deps{*stack, pool, recorder_, nullptr, "test"};
    auto plans = PlanRuns(c, dataset_);
    EXPECT_TRUE(plans.ok());
    auto result = RunOptimization(c, dataset_, (*plans)[0], deps);
    EXPECT_TRUE(result.ok()) << result.error().ToString();
    plan_ = (*plans)[0];
    return plan_.run_id;
  }

  // The user message of every request sent, by tag.
  std::map<std::string, std::string> SentByTag() const {
    std::map<std::string, std::string> sent;
    for (const auto& r : model_.Requests()) sent[r.tag] = testing::ScriptedLlm::LastUserMessage(r);
    return sent;
  }

  data::Dataset dataset_;
  testdata::LayoutModel layout_;
  testing::ScriptedLlm model_;
  MemoryRunRecorder recorder_;
  RunPlan plan_;
};

TEST_P(StepPromptsTest, EveryPromptOfAStepIsRebuiltAsSent) {
  const OptimizeConfig config = Config(GetParam());
  const std::string run_id = Run(config);
  const auto sent = SentByTag();
  const auto steps = recorder_.Steps(run_id);
  ASSERT_EQ(steps.size(), 3u);
  for (int s = 1; s <= 2; ++s) {
    SCOPED_TRACE(::testing::Message() << GetParam() << " step " << s);
    auto rebuilt = RebuildStepPrompts(dataset_, config, plan_.criteria, run_id,
                                      steps[static_cast<std::size_t>(s)]);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().ToString();
    std::map<std::string, int> per_stage;
    for (const StepPrompt& p : *rebuilt) {
      ++per_stage[p.stage];
      auto it = sent.find(p.tag);
      ASSERT_NE(it, sent.end()) << "no request was sent with tag " << p.tag;
      ASSERT_FALSE(p.messages.empty());
      EXPECT_EQ(p.messages.back().content, it->second) << p.tag;
    }
    // Every loss, gradient, route, conflicts and optimizer request of the step is among the
    // rebuilt ones.
    for (const char* stage : {"loss", "gradient", "route", "conflicts", "optimizer"}) {
      int sent_in_stage = 0;
      for (const auto& [tag, text] : sent) {
        if (tag.rfind(StepTag(s, stage) + "/", 0) == 0) ++sent_in_stage;
      }
      EXPECT_EQ(per_stage[stage], sent_in_stage) << stage;
    }
    EXPECT_EQ(per_stage["predict"], config.batch_size);
    EXPECT_GT(per_stage["loss"], 0);
    EXPECT_GT(per_stage["gradient"], 0);
    EXPECT_EQ(per_stage["optimizer"] % config.num_candidates, 0);
    const std::string mode = GetParam();
    if (mode == "ROUTER") {
      EXPECT_EQ(per_stage["route"], static_cast<int>(plan_.criteria.size()));
    }
    if (mode == "SPC") {
      EXPECT_GT(per_stage["conflicts"], 0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, StepPromptsTest,
                         ::testing::Values("SSS", "SSC", "SCC", "CCC", "SPC", "ROUTER"));

TEST(StepPromptTest, ConcernsItsCriterionSharedTextsAndPairsNamingIt) {
  StepPrompt p;
  p.criterion = "fluency";
  EXPECT_TRUE(p.Concerns("fluency"));
  EXPECT_FALSE(p.Concerns("coherence"));
  p.criterion = kJoint;
  EXPECT_TRUE(p.Concerns("coherence"));
  p.criterion = "fluency,coherence";
  EXPECT_TRUE(p.Concerns("fluency"));
  EXPECT_TRUE(p.Concerns("coherence"));
  EXPECT_FALSE(p.Concerns("relevance"));
  EXPECT_FALSE(p.Concerns("fluency,"));
}

TEST(StepPromptsErrorsTest, TheBaselineAndForeignExamplesAreRefusedWithReasons) {
  const data::Dataset dataset = testdata::MakeLoopDataset();
  OptimizeConfig config;
  StepRecord baseline;
  auto r = RebuildStepPrompts(dataset, config, {}, "run-x", baseline);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("baseline"), std::string::npos) << r.error().message;

  StepRecord step;
  step.step = 1;
  step.batch_positions = {0};
  PredictionRecord p;
  p.position = 0;
  p.example_id = "not-in-the-dataset";
  step.batch_predictions = {p};
  r = RebuildStepPrompts(dataset, config, {}, "run-x", step);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not-in-the-dataset"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace judgeopt::optim
