#include "judgeopt/judge/judge.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "cpp/judge/review_dataset.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/judge/reask.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/sample_seed.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeReviewDataset;
using testing::ScriptedLlm;

const std::string kGood = R"({"clarity": 4, "tone": 5, "accuracy": 3, "helpfulness": 2})";

std::vector<std::optional<double>> Values(const Prediction& p) {
  std::vector<std::optional<double>> out;
  for (const auto& v : p.values) out.push_back(v.value);
  return out;
}

class JudgeTest : public ::testing::Test {
 protected:
  Result<std::vector<Prediction>> Run(ScriptedLlm& llm, JudgeSettings settings,
                                      std::vector<std::size_t> positions,
                                      const PredictOptions& options = {}) {
    Judge judge(llm, pool_, std::move(settings));
    return judge.Predict(dataset_, prompt_, positions, options);
  }

  data::Dataset dataset_ = MakeReviewDataset();
  JudgePrompt prompt_ = JudgePrompt::FromDataset(dataset_);
  WorkPool pool_{3};
};

TEST_F(JudgeTest, RequestCarriesSettingsMessagesAndTags) {
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", kGood);
  JudgeSettings s;
  s.model = "judge-model";
  s.temperature = 0.25;
  s.max_tokens = 99;
  s.seed = 7;
  auto preds = Run(llm, s, {1}, {"step3/train", 2});
  ASSERT_TRUE(preds.ok()) << preds.error().ToString();
  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.role, llm::Role::kJudge);
  EXPECT_EQ(r.model, "judge-model");
  EXPECT_EQ(r.temperature, 0.25);
  EXPECT_EQ(r.max_tokens, 99);
  // Sample 2 has its own seed, derived from the configured one (llm/sample_seed.h).
  EXPECT_EQ(r.seed, llm::SampleSeed(7, llm::Role::kJudge, llm::kJudgeSampleStep, 2));
  EXPECT_NE(r.seed, std::optional<int64_t>(7));
  EXPECT_EQ(r.sample_index, 2);
  EXPECT_EQ(r.tag, "step3/train/r2");
  auto expected = RenderJudgeMessages(prompt_, dataset_, dataset_.examples[1]);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(r.messages, *expected);
}

TEST_F(JudgeTest, DefaultSettingsFollowTheStudy) {
  const JudgeSettings s;
  EXPECT_EQ(s.temperature, 0.1);
  EXPECT_EQ(s.max_tokens, 256);
  EXPECT_EQ(s.max_reasks, 1);
  EXPECT_EQ(s.mode, JudgeMode::kJoint);
}

TEST_F(JudgeTest, GoodReplyGivesValuesInDatasetOrder) {
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", kGood);
  auto preds = Run(llm, {}, {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(p.id, "r1");
  EXPECT_EQ(Values(p), (std::vector<std::optional<double>>{4, 5, 3, 2}));
  EXPECT_EQ(p.raw_reply, kGood);
  EXPECT_EQ(p.attempts, 1);
  EXPECT_FALSE(p.error.has_value());
  EXPECT_GT(p.usage.prompt_tokens, 0);
  EXPECT_EQ(p.Value(1), 5);
}

TEST_F(JudgeTest, GarbageThenGoodReplyIsReaskedOnce) {
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", "I would rather not say.");
  llm.OnSubstring(std::string(kCorrectivePrefix), "```json\n" + kGood + "\n```");
  auto preds = Run(llm, {}, {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(p.attempts, 2);
  EXPECT_EQ(Values(p), (std::vector<std::optional<double>>{4, 5, 3, 2}));
  EXPECT_FALSE(p.error.has_value());

  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].tag, "judge/r1/reask1");
  EXPECT_EQ(requests[1].sample_index, requests[0].sample_index);
  ASSERT_EQ(requests[1].messages.size(), 3u);
  EXPECT_EQ(requests[1].messages[0], requests[0].messages[0]);
  EXPECT_EQ(requests[1].messages[1], (llm::ChatMessage{"assistant", "I would rather not say."}));
  EXPECT_EQ(requests[1].messages[2].role, "user");
  EXPECT_NE(requests[1].messages[2].content.find("\"accuracy\": 0|1|2|3"), std::string::npos);
}

TEST_F(JudgeTest, AlwaysGarbageEndsMissingAfterMaxReasks) {
  ScriptedLlm llm;
  llm.OnSubstring("", "no scores today");
  JudgeSettings s;
  s.max_reasks = 2;
  auto preds = Run(llm, s, {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(p.attempts, 3);
  EXPECT_EQ(llm.CallCount(), 3u);
  for (const auto& v : p.values) EXPECT_FALSE(v.value.has_value());
  ASSERT_TRUE(p.error.has_value());
  EXPECT_EQ(p.error->code, ErrorCode::kParse);
  EXPECT_EQ(p.raw_reply, "no scores today");
  // The conversation grows by one assistant/user pair per re-ask.
  EXPECT_EQ(llm.Requests()[2].messages.size(), 5u);
  EXPECT_EQ(llm.Requests()[2].tag, "judge/r1/reask2");
}

// A reply cut off at max_tokens is not read, even when its text happens to parse: the judge
// re-asks as after an unparsable reply, and the error after the last re-ask says how to fix it.
TEST_F(JudgeTest, ACutOffReplyIsNotReadButReasked) {
  ScriptedLlm llm;
  llm.OnSubstring("", ScriptedLlm::Reply::Finished(kGood, "length"));
  JudgeSettings s;
  s.model = "judge-model";
  s.max_tokens = 12;
  s.max_reasks = 1;
  auto preds = Run(llm, s, {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(p.attempts, 2);
  for (const auto& v : p.values) EXPECT_FALSE(v.value.has_value());
  ASSERT_TRUE(p.error.has_value());
  EXPECT_EQ(p.error->code, ErrorCode::kParse);
  for (const char* part : {"judge", "judge-model", "max_tokens = 12", "[llm.judge]"}) {
    EXPECT_NE(p.error->message.find(part), std::string::npos) << part << ": " << p.error->message;
  }
  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 2u);
  ASSERT_EQ(requests[1].messages.size(), 3u);
  EXPECT_EQ(requests[1].messages[1].content, kGood);
  EXPECT_NE(requests[1].messages[2].content.find("cut off"), std::string::npos);
  EXPECT_EQ(requests[1].messages[2].content.find("max_tokens"), std::string::npos)
      << "settings advice is for the user, not the model";
}

TEST_F(JudgeTest, AFilteredReplyIsReaskedAndAGoodAnswerIsUsed) {
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", ScriptedLlm::Reply::Finished(kGood, "content_filter"));
  llm.OnSubstring(std::string(kCorrectivePrefix), R"({"clarity": 1, "tone": 2, "accuracy": 0,
                  "helpfulness": 3})");
  auto preds = Run(llm, {}, {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(Values(p), (std::vector<std::optional<double>>{1, 2, 0, 3}));
  EXPECT_FALSE(p.error.has_value());
  EXPECT_NE(llm.Requests()[1].messages[2].content.find("content filter"), std::string::npos);
}

TEST_F(JudgeTest, NoReaskWhenDisabled) {
  ScriptedLlm llm;
  llm.OnSubstring("", "garbage");
  JudgeSettings s;
  s.max_reasks = 0;
  auto preds = Run(llm, s, {0});
  ASSERT_TRUE(preds.ok());
  EXPECT_EQ((*preds)[0].attempts, 1);
  EXPECT_TRUE((*preds)[0].error.has_value());
}

TEST_F(JudgeTest, MissingCriterionIsReaskedOnlyWhenAsked) {
  const std::string partial = R"({"clarity": 4, "tone": 5, "accuracy": 3, "helpfulness": 9})";
  for (bool on_missing : {false, true}) {
    ScriptedLlm llm;
    llm.OnSubstring("## Response:", partial);
    llm.OnSubstring(std::string(kCorrectivePrefix), R"({"helpfulness": 1})");
    JudgeSettings s;
    s.reask_on_missing = on_missing;
    auto preds = Run(llm, s, {0});
    ASSERT_TRUE(preds.ok());
    const Prediction& p = (*preds)[0];
    EXPECT_FALSE(p.error.has_value());
    if (!on_missing) {
      EXPECT_EQ(p.attempts, 1);
      EXPECT_EQ(Values(p), (std::vector<std::optional<double>>{4, 5, 3, std::nullopt}));
      EXPECT_NE(p.values[3].problem.find("outside the scale"), std::string::npos);
    } else {
      // The re-ask names what was wrong; earlier good values survive a partial second reply.
      EXPECT_EQ(p.attempts, 2);
      EXPECT_EQ(Values(p), (std::vector<std::optional<double>>{4, 5, 3, 1}));
      const auto corrective = ScriptedLlm::LastUserMessage(llm.Requests()[1]);
      EXPECT_NE(corrective.find("helpfulness (9 is outside the scale 1-5)"), std::string::npos);
    }
  }
}

TEST_F(JudgeTest, CallErrorOnlyAffectsItsExample) {
  ScriptedLlm llm;
  llm.OnSubstring("Kettle Y", Error(ErrorCode::kUnavailable, "connection reset"));
  llm.OnSubstring("## Response:", kGood);
  auto preds = Run(llm, {}, {0, 1, 2});
  ASSERT_TRUE(preds.ok());
  ASSERT_EQ(preds->size(), 3u);
  for (std::size_t i : {0u, 2u}) {
    EXPECT_FALSE((*preds)[i].error.has_value());
    EXPECT_EQ(Values((*preds)[i]), (std::vector<std::optional<double>>{4, 5, 3, 2}));
  }
  const Prediction& failed = (*preds)[1];
  EXPECT_EQ(failed.id, "r2");
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(failed.attempts, 1);
  for (const auto& v : failed.values) {
    EXPECT_FALSE(v.value.has_value());
    EXPECT_NE(v.problem.find("connection reset"), std::string::npos);
  }
}

// Each request waits until every later example has been answered, so the replies complete in
// reverse input order; the result must still follow the input order.
TEST_F(JudgeTest, ResultsFollowInputOrderWhateverTheCompletionOrder) {
  const std::vector<std::string> products = {"Blender X", "Kettle Y", "Toaster Z"};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> completed;
  ScriptedLlm llm([&](const llm::ChatRequest& r) -> ScriptedLlm::Reply {
    const std::string text = ScriptedLlm::LastUserMessage(r);
    std::size_t k = 0;
    while (text.find(products[k]) == std::string::npos) ++k;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return completed.size() == products.size() - 1 - k; });
    completed.push_back(products[k]);
    cv.notify_all();
    return R"({"clarity": )" + std::to_string(k + 1) +
           R"(, "tone": 1, "accuracy": 0, "helpfulness": 1})";
  });
  auto preds = Run(llm, {}, {2, 0, 1});
  ASSERT_TRUE(preds.ok());
  EXPECT_EQ(completed, (std::vector<std::string>{"Toaster Z", "Kettle Y", "Blender X"}));
  ASSERT_EQ(preds->size(), 3u);
  EXPECT_EQ((*preds)[0].id, "r3");
  EXPECT_EQ((*preds)[0].Value(0), 3);
  EXPECT_EQ((*preds)[1].id, "r1");
  EXPECT_EQ((*preds)[1].Value(0), 1);
  EXPECT_EQ((*preds)[2].id, "r2");
  EXPECT_EQ((*preds)[2].Value(0), 2);
}

TEST_F(JudgeTest, SameResultsWithOneThreadOrMany) {
  ScriptedLlm llm;
  llm.OnSubstring("Blender X", "```json\n" + kGood + "\n```");
  llm.OnSubstring("Kettle Y", "oops");
  llm.OnSubstring(std::string(kCorrectivePrefix), R"({"clarity": 1})");
  llm.OnSubstring("Toaster Z", R"({"clarity": 2, "tone": 2, "accuracy": 2, "helpfulness": 2})");
  WorkPool one(1);
  Judge sequential(llm, one, {});
  Judge parallel(llm, pool_, {});
  const std::vector<std::size_t> positions = {0, 1, 2};
  auto a = sequential.Predict(dataset_, prompt_, positions);
  auto b = parallel.Predict(dataset_, prompt_, positions);
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*a)[i].values, (*b)[i].values);
    EXPECT_EQ((*a)[i].raw_reply, (*b)[i].raw_reply);
    EXPECT_EQ((*a)[i].attempts, (*b)[i].attempts);
  }
  EXPECT_EQ((*a)[1].attempts, 2);
}

TEST_F(JudgeTest, SingleCriterionPromptLeavesOtherCriteriaUncovered) {
  auto single = prompt_.OnlyCriterion("tone");
  ASSERT_TRUE(single.ok());
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", R"({"tone": 3})");
  Judge judge(llm, pool_, {});
  const std::vector<std::size_t> positions = {0};
  auto preds = judge.Predict(dataset_, *single, positions);
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_FALSE(p.error.has_value());
  EXPECT_EQ(p.attempts, 1);
  EXPECT_EQ(p.Value(1), 3);
  EXPECT_NE(p.values[0].problem.find("not covered"), std::string::npos);
  EXPECT_EQ(ScriptedLlm::LastUserMessage(llm.Requests()[0]).find("clarity"), std::string::npos);
}

TEST_F(JudgeTest, RejectsBadPositionsAndForeignPromptsBeforeCalling) {
  ScriptedLlm llm;
  llm.OnSubstring("", kGood);
  auto bad_position = Run(llm, {}, {0, 3});
  ASSERT_FALSE(bad_position.ok());
  EXPECT_NE(bad_position.error().message.find("position 3"), std::string::npos);
  EXPECT_TRUE(Run(llm, {}, {})->empty());
  prompt_ = JudgePrompt("", true, {{"humour", "x"}});
  EXPECT_FALSE(Run(llm, {}, {0}).ok());
  EXPECT_EQ(llm.CallCount(), 0u);
}

TEST(ScriptedLlmTest, RulesQueueFallbackAndErrors) {
  ScriptedLlm llm;
  llm.OnSubstring("alpha", std::vector<ScriptedLlm::Reply>{"a1", "a2"});
  llm.Enqueue("q1");
  llm::ChatRequest alpha;
  alpha.messages = {{"user", "say alpha"}, {"assistant", "beta"}};
  llm::ChatRequest other;
  other.messages = {{"user", "something else"}};
  EXPECT_EQ(llm.Complete(alpha)->content, "a1");
  EXPECT_EQ(llm.Complete(alpha)->content, "a2");
  EXPECT_EQ(llm.Complete(alpha)->content, "a2");  // the last reply repeats
  EXPECT_EQ(llm.Complete(other)->content, "q1");
  auto none = llm.Complete(other);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  llm.SetFallback([](const llm::ChatRequest&) -> ScriptedLlm::Reply { return "fb"; });
  EXPECT_EQ(llm.Complete(other)->content, "fb");
  EXPECT_EQ(llm.CallCount(), 6u);
  EXPECT_EQ(llm.Requests()[3].messages, other.messages);
}

}  // namespace
}  // namespace judgeopt::judge
