// The length balance (method.max_length_ratio): word counts, the cut to leading whole sentences,
// the incumbent's instruction when even the first sentence is too long, one "length_cap" decision
// per cut with before/after lengths, and no change at ratio 0.

#include "judgeopt/optim/methods/length_balance.h"

#include <gtest/gtest.h>

#include "cpp/optim/methods/router_fixtures.h"

namespace judgeopt::optim {
namespace {

using testdata::Payload;

TEST(LengthBalanceTextTest, CountsWhitespaceSeparatedWords) {
  EXPECT_EQ(WordCount(""), 0);
  EXPECT_EQ(WordCount("  one\ttwo\n three  "), 3);
  EXPECT_EQ(WordCount("Rate 1.5 points."), 3);
}

TEST(LengthBalanceTextTest, KeepsLeadingWholeSentencesWithinTheCap) {
  const std::string text = "One two three. Four five! Six seven eight nine? Ten";
  EXPECT_EQ(LeadingSentencesWithin(text, 3), "One two three.");
  EXPECT_EQ(LeadingSentencesWithin(text, 4.9), "One two three.");
  EXPECT_EQ(LeadingSentencesWithin(text, 5), "One two three. Four five!");
  EXPECT_EQ(LeadingSentencesWithin(text, 9), "One two three. Four five! Six seven eight nine?");
  EXPECT_EQ(LeadingSentencesWithin(text, 10), text);
  EXPECT_EQ(LeadingSentencesWithin(text, 2), std::nullopt);
  // A decimal point is no sentence end; a line break is.
  EXPECT_EQ(LeadingSentencesWithin("Use 2.5 as the step. Then more words here", 5),
            "Use 2.5 as the step.");
  EXPECT_EQ(LeadingSentencesWithin("- first rule\n- second rule here", 3), "- first rule");
}

class LengthBalanceTest : public ::testing::Test {
 protected:
  LengthBalanceTest() : h_("SCC") {}

  // A candidate whose instructions are `texts` in criterion order.
  judge::JudgePrompt Candidate(const std::vector<std::string>& texts) {
    judge::JudgePrompt p = h_.Seed();
    for (std::size_t i = 0; i < texts.size(); ++i) {
      p = p.WithInstruction(h_.criteria()[i], texts[i]).value();
    }
    return p;
  }

  testdata::MethodHarness h_;
};

// Three 4-word instructions: the mean of the others is 4 for the fourth one.
const std::string kFour = "Rate it one two.";

TEST_F(LengthBalanceTest, CutsAnOutgrownInstructionToItsLeadingSentences) {
  h_.config().method.max_length_ratio = 1.75;  // cap 7 words
  const std::string long_text =
      "Check grammar and spelling. Reward clear structure. Penalize "
      "rambling answers strongly.";
  std::vector<judge::JudgePrompt> candidates = {Candidate({kFour, kFour, kFour, long_text}),
                                                Candidate({kFour, kFour, kFour, kFour})};
  std::vector<DecisionRecord> decisions;
  ASSERT_TRUE(ApplyLengthBalance(h_.ctx(), h_.Seed(), candidates, decisions).ok());
  EXPECT_EQ(*candidates[0].Instruction("helpfulness"),
            "Check grammar and spelling. Reward clear structure.");
  EXPECT_EQ(*candidates[0].Instruction("clarity"), kFour);
  EXPECT_EQ(*candidates[1].Instruction("helpfulness"), kFour);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind, "length_cap");
  EXPECT_EQ(decisions[0].criterion, "helpfulness");
  const auto p = Payload(decisions[0]);
  EXPECT_EQ(p["candidate"], 0);
  EXPECT_EQ(p["before_words"], 11);
  EXPECT_EQ(p["after_words"], 7);
  EXPECT_DOUBLE_EQ(p["cap_words"].get<double>(), 7.0);
  EXPECT_DOUBLE_EQ(p["others_mean_words"].get<double>(), 4.0);
  EXPECT_EQ(p["before_chars"], long_text.size());
  EXPECT_EQ(p["kept_incumbent"], false);
}

TEST_F(LengthBalanceTest, KeepsTheIncumbentsInstructionWhenTheFirstSentenceIsTooLong) {
  h_.config().method.max_length_ratio = 1.5;
  const judge::JudgePrompt incumbent = Candidate({kFour, kFour, kFour, "Old helpful rule."});
  std::vector<judge::JudgePrompt> candidates = {
      Candidate({kFour, kFour, kFour,
                 "One very long first sentence without any end in sight at "
                 "all. Short."})};
  std::vector<DecisionRecord> decisions;
  ASSERT_TRUE(ApplyLengthBalance(h_.ctx(), incumbent, candidates, decisions).ok());
  EXPECT_EQ(*candidates[0].Instruction("helpfulness"), "Old helpful rule.");
  ASSERT_EQ(decisions.size(), 1u);
  const auto p = Payload(decisions[0]);
  EXPECT_EQ(p["kept_incumbent"], true);
  EXPECT_EQ(p["after_words"], 3);
  EXPECT_NE(decisions[0].summary.find("incumbent"), std::string::npos);
}

TEST_F(LengthBalanceTest, RatioZeroChangesNothing) {
  h_.config().method.max_length_ratio = 0;
  const std::string huge(2000, 'x');
  std::vector<judge::JudgePrompt> candidates = {
      Candidate({"a.", "b.", "c.", "Very long. " + huge})};
  const auto before = candidates;
  std::vector<DecisionRecord> decisions;
  ASSERT_TRUE(ApplyLengthBalance(h_.ctx(), h_.Seed(), candidates, decisions).ok());
  EXPECT_EQ(candidates, before);
  EXPECT_TRUE(decisions.empty());
}

TEST_F(LengthBalanceTest, EveryOutgrownInstructionIsJudgedAgainstTheOptimizersLengths) {
  // Two long instructions (10 words) and two short ones (2): for each long one the others average
  // (10 + 2 + 2) / 3 = 4.67 words, so the cap at ratio 1.5 is 7 words.
  h_.config().method.max_length_ratio = 1.5;
  const std::string ten = "One two three four. Five six seven eight nine ten.";
  std::vector<judge::JudgePrompt> candidates = {Candidate({ten, ten, "Be brief.", "Be kind."})};
  std::vector<DecisionRecord> decisions;
  ASSERT_TRUE(ApplyLengthBalance(h_.ctx(), h_.Seed(), candidates, decisions).ok());
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].criterion, "clarity");
  EXPECT_EQ(decisions[1].criterion, "tone");
  EXPECT_EQ(*candidates[0].Instruction("clarity"), "One two three four.");
  EXPECT_EQ(*candidates[0].Instruction("tone"), "One two three four.");
  EXPECT_EQ(*candidates[0].Instruction("accuracy"), "Be brief.");
}

}  // namespace
}  // namespace judgeopt::optim
