// Judge modes with a scripted client (no simulator): per-criterion calls and their merge into
// one Prediction, failures and re-asks per call, and the sectioned layout's conversation.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cpp/judge/review_dataset.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/reask.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/cache.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeReviewDataset;
using testing::ScriptedLlm;
using Values = std::vector<std::optional<double>>;

Values ValuesOf(const Prediction& p) {
  Values out;
  for (const auto& v : p.values) out.push_back(v.value);
  return out;
}

// A judge that answers every criterion whose "- <name>: " instruction line its prompt shows,
// with fixed per-criterion scores: clarity 4, tone 5, accuracy 2, helpfulness 3.
ScriptedLlm::Reply JsonForShownCriteria(const llm::ChatRequest& request) {
  const std::string text = ScriptedLlm::LastUserMessage(request);
  std::string out;
  for (const auto& [name, score] : std::vector<std::pair<std::string, int>>{
           {"clarity", 4}, {"tone", 5}, {"accuracy", 2}, {"helpfulness", 3}}) {
    if (text.find("\n- " + name + ": ") == std::string::npos) continue;
    out += (out.empty() ? "{" : ", ") + ("\"" + name + "\": " + std::to_string(score));
  }
  return out.empty() ? std::string("no criterion shown") : out + "}";
}

class JudgeModesTest : public ::testing::Test {
 protected:
  Result<std::vector<Prediction>> Run(ScriptedLlm& llm, JudgeSettings settings,
                                      std::vector<std::size_t> positions,
                                      const PredictOptions& options = {}) {
    Judge judge(llm, pool_, std::move(settings));
    return judge.Predict(dataset_, prompt_, positions, options);
  }
  static JudgeSettings Mode(JudgeMode mode, int reasks = 1) {
    JudgeSettings s;
    s.mode = mode;
    s.max_reasks = reasks;
    return s;
  }

  data::Dataset dataset_ = MakeReviewDataset();
  JudgePrompt prompt_ = JudgePrompt::FromDataset(dataset_);
  WorkPool pool_{3};
};

TEST_F(JudgeModesTest, ModeNamesRoundTrip) {
  for (JudgeMode m : {JudgeMode::kJoint, JudgeMode::kPerCriterion, JudgeMode::kSectioned}) {
    auto parsed = ParseJudgeMode(JudgeModeName(m), "flag");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  auto bad = ParseJudgeMode("separate", "--judge-mode");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--judge-mode"), std::string::npos);
  EXPECT_EQ(CallsPerExample(JudgeMode::kJoint, 4), 1u);
  EXPECT_EQ(CallsPerExample(JudgeMode::kSectioned, 4), 1u);
  EXPECT_EQ(CallsPerExample(JudgeMode::kPerCriterion, 4), 4u);
}

TEST_F(JudgeModesTest, PerCriterionCallsSeeOnlyTheirOwnInstructionAndMerge) {
  ScriptedLlm llm(JsonForShownCriteria);
  auto preds = Run(llm, Mode(JudgeMode::kPerCriterion), {0, 2}, {"step2/train", 1});
  ASSERT_TRUE(preds.ok()) << preds.error().ToString();
  ASSERT_EQ(preds->size(), 2u);
  for (const Prediction& p : *preds) {
    EXPECT_EQ(ValuesOf(p), (Values{4, 5, 2, 3}));
    EXPECT_FALSE(p.error.has_value());
    EXPECT_EQ(p.attempts, 4);
    EXPECT_EQ(p.replies, (std::vector<std::string>{R"({"clarity": 4})", R"({"tone": 5})",
                                                   R"({"accuracy": 2})", R"({"helpfulness": 3})"}));
    EXPECT_EQ(p.raw_reply,
              "{\"clarity\": 4}\n{\"tone\": 5}\n{\"accuracy\": 2}\n{\"helpfulness\": 3}");
  }
  EXPECT_EQ((*preds)[1].id, "r3");

  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 8u);
  std::set<std::string> tags;
  std::set<std::string> keys;
  int64_t prompt_tokens = 0;
  for (const auto& r : requests) {
    tags.insert(r.tag);
    keys.insert(llm::RequestKey(r, "openai"));
    EXPECT_EQ(r.sample_index, 1);
    if (r.tag.rfind("step2/train/r1/", 0) == 0) prompt_tokens += llm::ApproxPromptTokens(r);
    // Each call is the filtered (single-criterion) rendering of the study's layout.
    const std::string criterion = r.tag.substr(r.tag.rfind('/') + 1);
    const data::Example& ex = dataset_.examples[r.tag.find("/r1/") != std::string::npos ? 0 : 2];
    auto expected = RenderJudgeMessages(prompt_, dataset_, ex, criterion);
    ASSERT_TRUE(expected.ok()) << r.tag;
    EXPECT_EQ(r.messages, *expected) << r.tag;
  }
  EXPECT_EQ(tags, (std::set<std::string>{"step2/train/r1/clarity", "step2/train/r1/tone",
                                         "step2/train/r1/accuracy", "step2/train/r1/helpfulness",
                                         "step2/train/r3/clarity", "step2/train/r3/tone",
                                         "step2/train/r3/accuracy", "step2/train/r3/helpfulness"}));
  EXPECT_EQ(keys.size(), 8u);  // every criterion call is its own cache entry
  // Usage is summed over the example's calls (the fake's usage is the estimate of the prompt).
  EXPECT_EQ((*preds)[0].usage.prompt_tokens, prompt_tokens);
}

TEST_F(JudgeModesTest, FailedCriterionCallOnlyLeavesItsValueMissing) {
  // The tone instruction appears only in tone calls, "Kettle Y" only in example r2's.
  ScriptedLlm llm([](const llm::ChatRequest& r) -> ScriptedLlm::Reply {
    const std::string text = ScriptedLlm::LastUserMessage(r);
    if (text.find("Rate politeness") != std::string::npos &&
        text.find("Kettle Y") != std::string::npos) {
      return Error(ErrorCode::kUnavailable, "connection reset");
    }
    return JsonForShownCriteria(r);
  });
  auto preds = Run(llm, Mode(JudgeMode::kPerCriterion), {0, 1});
  ASSERT_TRUE(preds.ok());
  const Prediction& hit = (*preds)[1];
  EXPECT_EQ(ValuesOf(hit), (Values{4, std::nullopt, 2, 3}));
  EXPECT_FALSE(hit.error.has_value());
  EXPECT_NE(hit.values[1].problem.find("judge call failed"), std::string::npos);
  EXPECT_NE(hit.values[1].problem.find("connection reset"), std::string::npos);
  EXPECT_EQ(hit.replies[1], "");
  EXPECT_EQ(hit.raw_reply, "{\"clarity\": 4}\n{\"accuracy\": 2}\n{\"helpfulness\": 3}");
  EXPECT_EQ(ValuesOf((*preds)[0]), (Values{4, 5, 2, 3}));  // the other example is untouched
}

TEST_F(JudgeModesTest, EveryCriterionCallFailingIsTheExamplesError) {
  ScriptedLlm llm([](const llm::ChatRequest& r) -> ScriptedLlm::Reply {
    if (ScriptedLlm::LastUserMessage(r).find("Rate politeness") != std::string::npos) {
      return "not JSON at all";
    }
    return Error(ErrorCode::kBudgetExceeded, "budget spent");
  });
  auto preds = Run(llm, Mode(JudgeMode::kPerCriterion, 0), {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(ValuesOf(p), (Values(4, std::nullopt)));
  ASSERT_TRUE(p.error.has_value());
  EXPECT_EQ(p.error->code, ErrorCode::kBudgetExceeded);  // a call failure beats a parse failure
}

TEST_F(JudgeModesTest, MalformedCriterionReplyWithoutReaskIsMissing) {
  ScriptedLlm llm(JsonForShownCriteria);
  llm.OnSubstring("Rate factual accuracy", "```\n{\"accuracy\": \n```");
  auto preds = Run(llm, Mode(JudgeMode::kPerCriterion, 0), {0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(ValuesOf(p), (Values{4, 5, std::nullopt, 3}));
  EXPECT_FALSE(p.error.has_value());
  EXPECT_EQ(p.attempts, 4);
  EXPECT_NE(p.raw_reply.find("{\"accuracy\":"), std::string::npos);  // the bad reply is kept
}

TEST_F(JudgeModesTest, ReaskHappensWithinTheFailingCriterionsCall) {
  ScriptedLlm llm(JsonForShownCriteria);
  llm.OnSubstring("Rate factual accuracy", "I'd rather explain my reasoning first.");
  llm.OnSubstring(std::string(kCorrectivePrefix), R"({"accuracy": 1})");
  auto preds = Run(llm, Mode(JudgeMode::kPerCriterion, 2), {0}, {"eval/test", 0});
  ASSERT_TRUE(preds.ok());
  const Prediction& p = (*preds)[0];
  EXPECT_EQ(ValuesOf(p), (Values{4, 5, 1, 3}));
  EXPECT_EQ(p.attempts, 5);
  EXPECT_EQ(p.replies[2], R"({"accuracy": 1})");
  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 5u);
  const llm::ChatRequest* reask = nullptr;
  for (const auto& r : requests) {
    if (r.tag == "eval/test/r1/accuracy/reask1") reask = &r;
  }
  ASSERT_NE(reask, nullptr);
  ASSERT_EQ(reask->messages.size(), 3u);
  auto first = RenderJudgeMessages(prompt_, dataset_, dataset_.examples[0], "accuracy");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(reask->messages[0], (*first)[0]);
  // The corrective message asks for this call's criterion only.
  EXPECT_NE(reask->messages[2].content.find("\"accuracy\": 0|1|2|3"), std::string::npos);
  EXPECT_EQ(reask->messages[2].content.find("clarity"), std::string::npos);
}

TEST_F(JudgeModesTest, AllCallsOfTheExamplesRunInOneWave) {
  // Each call waits until every call of both examples has arrived: only one concurrent wave of
  // all 8 calls can get past the barrier (a wave per example would stop at 4).
  WorkPool wide(8);
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  ScriptedLlm llm([&](const llm::ChatRequest& r) -> ScriptedLlm::Reply {
    std::unique_lock lock(mu);
    ++arrived;
    cv.notify_all();
    if (!cv.wait_for(lock, std::chrono::seconds(20), [&] { return arrived >= 8; })) {
      return Error(ErrorCode::kUnavailable, "barrier not reached");
    }
    lock.unlock();
    return JsonForShownCriteria(r);
  });
  Judge judge(llm, wide, Mode(JudgeMode::kPerCriterion));
  const std::vector<std::size_t> positions = {0, 1};
  auto preds = judge.Predict(dataset_, prompt_, positions);
  ASSERT_TRUE(preds.ok());
  for (const auto& p : *preds) EXPECT_EQ(ValuesOf(p), (Values{4, 5, 2, 3}));
}

TEST_F(JudgeModesTest, SingleCriterionPromptPerCriterionEqualsJointMessages) {
  auto only = prompt_.OnlyCriterion("tone");
  ASSERT_TRUE(only.ok());
  auto joint = RenderJudgeCalls(*only, dataset_, dataset_.examples[0], JudgeMode::kJoint);
  auto per = RenderJudgeCalls(*only, dataset_, dataset_.examples[0], JudgeMode::kPerCriterion);
  ASSERT_TRUE(joint.ok() && per.ok());
  ASSERT_EQ(per->size(), 1u);
  EXPECT_EQ((*per)[0].messages, (*joint)[0].messages);
  EXPECT_EQ((*per)[0].label, "tone");
  EXPECT_EQ((*joint)[0].label, "");
}

TEST_F(JudgeModesTest, SectionedSendsOneCallAndReadsScoreLines) {
  ScriptedLlm llm;
  llm.OnSubstring("## Response:", "clarity: 4\ntone: 5\naccuracy: 2\nhelpfulness: 3");
  auto preds = Run(llm, Mode(JudgeMode::kSectioned), {0}, {"step1/gate", 0});
  ASSERT_TRUE(preds.ok());
  EXPECT_EQ(ValuesOf((*preds)[0]), (Values{4, 5, 2, 3}));
  EXPECT_EQ((*preds)[0].attempts, 1);
  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].tag, "step1/gate/r1");
  auto expected = RenderSectionedTaskPrompt(prompt_, dataset_, dataset_.examples[0]);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(requests[0].messages.size(), 1u);
  EXPECT_EQ(requests[0].messages[0].content, *expected);
}

TEST_F(JudgeModesTest, SectionedReaskAsksForScoreLines) {
  ScriptedLlm llm;
  llm.OnSubstring(std::string(kCorrectivePrefix),
                  "clarity: 1\ntone: 2\naccuracy: 3\n"
                  "helpfulness: 4");
  llm.OnSubstring("## Response:", "Sure! The review is clear and polite.");
  auto preds = Run(llm, Mode(JudgeMode::kSectioned), {0});
  ASSERT_TRUE(preds.ok());
  EXPECT_EQ(ValuesOf((*preds)[0]), (Values{1, 2, 3, 4}));
  const auto requests = llm.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].tag, "judge/r1/reask1");
  const std::string corrective = ScriptedLlm::LastUserMessage(requests[1]);
  EXPECT_NE(corrective.find("\naccuracy: 0|1|2|3"), std::string::npos);
  EXPECT_EQ(corrective.find('{'), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::judge
