// Diagnostic prompts (specificity, adherence; reference-protocol §10.3-10.4) and the parse of
// their one-integer answers.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "judgeopt/prompts/diagnostics.h"

namespace judgeopt::prompts {
namespace {

TEST(PromptsDiagnostics, SpecificityGolden) {
  const std::vector<std::string> all = {"fluency", "coherence", "relevance"};
  const std::string expected =
      "You are rating how specific a piece of optimization feedback is. The feedback (a "
      "\"gradient\") was written to improve the instruction for one criterion of an LLM judge "
      "that scores text on several criteria. Decide how much of it concentrates on that target "
      "criterion rather than offering generic advice or advice that concerns other criteria.\n\n"
      "## Target Criterion\ncoherence\n\n"
      "## All Criteria\n- fluency\n- coherence\n- relevance\n\n"
      "## Scale\nAnswer with one integer from 1 to 10. 1: the feedback is entirely generic, or "
      "mostly about other criteria. 10: the feedback is squarely about 'coherence' and proposes "
      "concrete fixes that belong to it alone. Reply with the integer only.\n\n"
      "## The Gradient\nG1\n\nG2";
  EXPECT_EQ(SpecificityPrompt("coherence", all, "G1\n\nG2"), expected);
}

TEST(PromptsDiagnostics, AdherenceGolden) {
  const std::string expected =
      "You are rating how closely a revised instruction follows optimization feedback. An LLM "
      "judge scores text on several criteria. The feedback below (a \"gradient\") was written to "
      "improve its instruction for one criterion, and that instruction was then rewritten. Judge "
      "the rewrite only against the points of the feedback that concern this criterion.\n\n"
      "## Criterion\nfluency\n\n## Old Instruction\nRate from 1 to 5.\n\n"
      "## New Instruction\nRate grammar from 1 to 5.\n\n"
      "## Scale\nAnswer with one integer from 1 to 10. 1: the new instruction ignores or "
      "contradicts the feedback for 'fluency'. 10: the new instruction takes up each of its "
      "points exactly while keeping the parts that already worked. Reply with the integer "
      "only.\n\n## The Gradient\nMention grammar.";
  EXPECT_EQ(AdherencePrompt("fluency", "Rate from 1 to 5.", "Rate grammar from 1 to 5.",
                            "Mention grammar."),
            expected);
}

TEST(PromptsDiagnostics, GradientTextJoinsNonEmptyGradients) {
  const std::vector<std::string> g = {"A", "", "B"};
  EXPECT_EQ(DiagnosticGradientText(g), "A\n\nB");
  EXPECT_EQ(DiagnosticGradientText({}), "");
}

TEST(PromptsDiagnostics, ScoreParse) {
  EXPECT_EQ(ParseDiagnosticScore("7"), 7);
  EXPECT_EQ(ParseDiagnosticScore("10"), 10);
  EXPECT_EQ(ParseDiagnosticScore("1"), 1);
  EXPECT_EQ(ParseDiagnosticScore("Score: 8/10"), 8);
  EXPECT_EQ(ParseDiagnosticScore("Rating: 9."), 9);
  EXPECT_EQ(ParseDiagnosticScore("7.5"), 7);  // "." bounds the first integer
  EXPECT_EQ(ParseDiagnosticScore("-3"), 3);
  EXPECT_EQ(ParseDiagnosticScore(" 05"), 5);
  EXPECT_EQ(ParseDiagnosticScore("100 but really 6"), 6);  // 3 digits is not standalone 1-2
  EXPECT_EQ(ParseDiagnosticScore("a7 then 5"), 5);         // touching a letter is not standalone
}

TEST(PromptsDiagnostics, ScoreParseMissing) {
  EXPECT_EQ(ParseDiagnosticScore(""), std::nullopt);
  EXPECT_EQ(ParseDiagnosticScore("seven"), std::nullopt);
  EXPECT_EQ(ParseDiagnosticScore("0"), std::nullopt);
  EXPECT_EQ(ParseDiagnosticScore("11 or 7"), std::nullopt);  // the first integer decides
  EXPECT_EQ(ParseDiagnosticScore("v2_5"), std::nullopt);
  EXPECT_EQ(ParseDiagnosticScore("x_5"), std::nullopt);
  EXPECT_EQ(ParseDiagnosticScore("\xC3\xA9"
                                 "7"),
            std::nullopt);  // "é7": a letter touches it
}

}  // namespace
}  // namespace judgeopt::prompts
