// The specificity-aware router against a scripted model (no simulator): every criterion above the
// threshold keeps the joint gradient; every criterion below gets its separate gradient calls; a
// score equal to the threshold is not below it; an unparseable specificity reply routes and is
// recorded; an empty joint gradient routes everything without a specificity call. One "route"
// decision per criterion, in criterion order. The combined optimizer shows joint and per-criterion
// feedback each once, labelled.

#include "judgeopt/optim/methods/router.h"

#include <gtest/gtest.h>

#include <map>

#include "cpp/optim/methods/router_fixtures.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::optim {
namespace {

using prompts::PromptKind;
using testdata::Payload;

constexpr int kB = 3;

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : h_("SCC") {
    h_.config().method.name = Method::kRouter;
    h_.config().method.router_threshold = 6;
    h_.llm.SetFallback([this](const llm::ChatRequest& r) { return Answer(r); });
  }

  testing::ScriptedLlm::Reply Answer(const llm::ChatRequest& r) {
    const auto layout = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r));
    switch (layout.kind) {
      case PromptKind::kGradientCombined:
        return joint_reply_;
      case PromptKind::kGradientSeparate:
        return "own feedback for " + layout.criteria[0] + " " + r.tag;
      case PromptKind::kSpecificity: {
        auto it = specificity_.find(layout.criteria[0]);
        return it == specificity_.end() ? std::string("7") : it->second;
      }
      default:
        return Error(ErrorCode::kInternal, "unexpected prompt for " + r.tag);
    }
  }

  Result<std::vector<SampleText>> Run() {
    return RunRoutedGradientStage(h_.ctx(), 1, h_.Seed(), h_.Batch(kB), h_.Losses(kB), decisions_);
  }

  // Texts of the result by criterion ("*" for joint).
  static std::map<std::string, int> CountByCriterion(const std::vector<SampleText>& texts) {
    std::map<std::string, int> out;
    for (const SampleText& t : texts) ++out[t.criterion];
    return out;
  }

  testdata::MethodHarness h_;
  std::string joint_reply_ = "The rubric is vague for every criterion.";
  std::map<std::string, std::string> specificity_;
  std::vector<DecisionRecord> decisions_;
};

TEST_F(RouterTest, AllAboveThresholdKeepsTheJointGradientOnly) {
  for (const auto& c : h_.criteria()) specificity_[c] = "9";
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(CountByCriterion(*out), (std::map<std::string, int>{{"*", kB}}));
  EXPECT_EQ(h_.RequestsTagged("step1/route/").size(), 4u);
  EXPECT_EQ(h_.llm.CallCount(), static_cast<std::size_t>(kB + 4));
  ASSERT_EQ(decisions_.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(decisions_[i].kind, "route");
    EXPECT_EQ(decisions_[i].criterion, h_.criteria()[i]);
    const auto p = Payload(decisions_[i]);
    EXPECT_EQ(p["specificity"], 9);
    EXPECT_EQ(p["threshold"], 6.0);
    EXPECT_EQ(p["routed"], false);
    EXPECT_EQ(p["separate_calls"], 0);
  }
}

TEST_F(RouterTest, AllBelowThresholdFallsBackToSeparateCallsPerSample) {
  for (const auto& c : h_.criteria()) specificity_[c] = "2";
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::map<std::string, int> expected = {{"*", kB}};
  for (const auto& c : h_.criteria()) expected[c] = kB;
  EXPECT_EQ(CountByCriterion(*out), expected);
  // The fallback sends the study's separate gradient prompt for each (criterion, sample).
  const auto separate = h_.RequestsTagged("step1/gradient/");
  int separate_prompts = 0;
  for (const auto& r : separate) {
    const auto kind = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r)).kind;
    separate_prompts += kind == PromptKind::kGradientSeparate ? 1 : 0;
  }
  EXPECT_EQ(separate_prompts, 4 * kB);
  for (const SampleText& t : *out) {
    if (t.criterion == "*") continue;
    EXPECT_EQ(t.text, fmt::format("own feedback for {} step1/gradient/{}/s{}", t.criterion,
                                  t.criterion, t.sample));
  }
  ASSERT_EQ(decisions_.size(), 4u);
  for (const auto& d : decisions_) {
    const auto p = Payload(d);
    EXPECT_EQ(p["routed"], true) << d.criterion;
    EXPECT_EQ(p["reason"], "below_threshold");
    EXPECT_EQ(p["separate_calls"], kB);
    EXPECT_NE(d.summary.find("2 < threshold 6"), std::string::npos) << d.summary;
  }
}

TEST_F(RouterTest, AScoreEqualToTheThresholdIsNotBelowIt) {
  specificity_ = {{"clarity", "6"}, {"tone", "5"}, {"accuracy", "10"}, {"helpfulness", "6"}};
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(CountByCriterion(*out), (std::map<std::string, int>{{"*", kB}, {"tone", kB}}));
  ASSERT_EQ(decisions_.size(), 4u);
  EXPECT_EQ(Payload(decisions_[0])["routed"], false);  // clarity: 6 = threshold
  EXPECT_EQ(Payload(decisions_[0])["reason"], "at_or_above_threshold");
  EXPECT_EQ(Payload(decisions_[1])["routed"], true);   // tone: 5
  EXPECT_EQ(Payload(decisions_[3])["routed"], false);  // helpfulness: 6
}

TEST_F(RouterTest, AnUnparseableSpecificityReplyRoutesAndIsRecorded) {
  for (const auto& c : h_.criteria()) specificity_[c] = "8";
  specificity_["accuracy"] = "Quite specific, I would say.";
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(CountByCriterion(*out), (std::map<std::string, int>{{"*", kB}, {"accuracy", kB}}));
  ASSERT_EQ(decisions_.size(), 4u);
  const DecisionRecord& d = decisions_[2];
  EXPECT_EQ(d.criterion, "accuracy");
  const auto p = Payload(d);
  EXPECT_TRUE(p["specificity"].is_null());
  EXPECT_EQ(p["routed"], true);
  EXPECT_EQ(p["reason"], "unparseable_reply");
  EXPECT_EQ(p["reply"], "Quite specific, I would say.");
  EXPECT_NE(d.summary.find("unparseable"), std::string::npos);
}

TEST_F(RouterTest, AnEmptyJointGradientRoutesEveryCriterionWithoutScoring) {
  joint_reply_ = "   ";
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::map<std::string, int> expected;
  for (const auto& c : h_.criteria()) expected[c] = kB;
  EXPECT_EQ(CountByCriterion(*out), expected);
  EXPECT_TRUE(h_.RequestsTagged("step1/route/").empty());
  ASSERT_EQ(decisions_.size(), 4u);
  for (const auto& d : decisions_) {
    const auto p = Payload(d);
    EXPECT_TRUE(p["specificity"].is_null());
    EXPECT_EQ(p["reason"], "empty_joint_gradient");
    EXPECT_EQ(p["routed"], true);
  }
}

TEST_F(RouterTest, ScoresTheStepsJointGradientTextForEachCriterion) {
  auto out = Run();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const auto route = h_.RequestsTagged("step1/route/");
  ASSERT_EQ(route.size(), 4u);
  for (const auto& r : route) {
    EXPECT_EQ(r.role, llm::Role::kDiagnostic);
    const std::string text = testing::ScriptedLlm::LastUserMessage(r);
    // Every sample's joint gradient, joined by blank lines, after "## The Gradient".
    const std::string joint = joint_reply_ + "\n\n" + joint_reply_ + "\n\n" + joint_reply_;
    EXPECT_NE(text.find("## The Gradient\n" + joint), std::string::npos) << text;
  }
}

TEST_F(RouterTest, TheCombinedOptimizerShowsJointAndOwnFeedbackOnceEach) {
  const std::vector<SampleText> gradients = {
      {"*", 0, "JOINT-ZERO"}, {"*", 1, "JOINT-ONE"}, {"tone", 0, "TONE-OWN"}};
  h_.llm.SetFallback([](const llm::ChatRequest&) -> testing::ScriptedLlm::Reply {
    return std::string(R"({"instructions": {"tone": "new tone"}})");
  });
  auto opt = RunOptimizerStage(h_.ctx(), 1, h_.Seed(), h_.Batch(2), gradients);
  ASSERT_TRUE(opt.ok()) << opt.error().ToString();
  ASSERT_EQ(opt->calls.size(), 1u);
  const std::string& meta = opt->calls[0].meta_prompt;
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (auto at = meta.find(needle); at != std::string::npos; at = meta.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("JOINT-ZERO"), 1);
  EXPECT_EQ(count("JOINT-ONE"), 1);
  EXPECT_EQ(count("TONE-OWN"), 1);
  const auto joint_at = meta.find("Feedback for all criteria (joint):\n  - JOINT-ZERO");
  const auto own_at = meta.find(
      "Feedback for criterion 'tone' only (its own gradient calls):\n"
      "  - TONE-OWN");
  ASSERT_NE(joint_at, std::string::npos) << meta;
  ASSERT_NE(own_at, std::string::npos) << meta;
  EXPECT_LT(joint_at, own_at);
}

}  // namespace
}  // namespace judgeopt::optim
