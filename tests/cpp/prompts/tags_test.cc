// The tag reader and the layout reader: every prompt kind is recognized from its text alone and
// gives back its criteria.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpp/prompts/prompts_fixtures.h"
#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/diagnostics.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/prompts/optimizer.h"
#include "judgeopt/prompts/tags.h"

namespace judgeopt::prompts {
namespace {

using testing::S;

TEST(PromptsTags, ExtractFirstAndAll) {
  const std::string t = "x <A> one </A> y <A>two</A> <B>\nb\n</B>";
  EXPECT_EQ(ExtractTag(t, "A"), " one ");
  EXPECT_EQ(ExtractTag(t, "B"), "\nb\n");
  EXPECT_EQ(ExtractAllTags(t, "A"), (std::vector<std::string_view>{" one ", "two"}));
  EXPECT_FALSE(ExtractTag(t, "C").has_value());
}

TEST(PromptsTags, UnclosedOrEmptySections) {
  EXPECT_FALSE(ExtractTag("<A> never closed", "A").has_value());
  EXPECT_EQ(ExtractTag("<A></A>", "A"), "");
  EXPECT_TRUE(ExtractAllTags("</A> <A>", "A").empty());
  // A name that merely starts like another does not match it.
  EXPECT_FALSE(ExtractTag("<LM_INPUTS>x</LM_INPUTS>", "LM_INPUT").has_value());
}

TEST(PromptsTags, FindTagGivesPositions) {
  const std::string t = "ab<V>cd</V>ef<V>g</V>";
  const auto first = FindTag(t, "V");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->open, 2u);
  EXPECT_EQ(t.substr(first->content_begin, first->content_end - first->content_begin), "cd");
  EXPECT_EQ(first->close_end, 11u);
  const auto second = FindTag(t, "V", first->close_end);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->content_begin, 16u);
}

TEST(PromptsTags, NextTagNameSkipsClosingLowercaseAndPlaceholders) {
  EXPECT_EQ(NextTagName("</ROLE> <score> <INS_fluency> <a> <LM_OUTPUT>"), "LM_OUTPUT");
  EXPECT_EQ(NextTagName("<ROLE> x", 1), std::nullopt);
  EXPECT_EQ(NextTagName("a < B > <C1>"), "C1");
}

// ---- layouts -----------------------------------------------------------------------------------

void ExpectLayout(const std::string& prompt, PromptKind kind,
                  const std::vector<std::string>& criteria) {
  const PromptLayout layout = ReadPromptLayout(prompt);
  EXPECT_EQ(PromptKindName(layout.kind), PromptKindName(kind));
  EXPECT_EQ(layout.criteria, criteria);
}

const std::vector<std::string> kTwo = {"fluency", "coherence"};

TEST(PromptsLayout, BackwardPromptsAreRecognized) {
  ExpectLayout(LossPromptSeparate({"fluency", S(4), S(3)}), PromptKind::kLossSeparate, {"fluency"});
  const std::vector<Outcome> outcomes = {{"fluency", S(4), S(3)}, {"coherence", S(1), S(1)}};
  ExpectLayout(LossPromptCombined(outcomes), PromptKind::kLossCombined, kTwo);
  ExpectLayout(GradientPromptSeparate("SP", testing::SampleA(), "coherence", "loss", "I"),
               PromptKind::kGradientSeparate, {"coherence"});
  const std::vector<CriterionText> fb = {{"fluency", "a"}, {"coherence", "a"}};
  ExpectLayout(GradientPromptCombined("SP", testing::SampleA(), fb, testing::TwoInstructions()),
               PromptKind::kGradientCombined, kTwo);
}

TEST(PromptsLayout, OptimizerPromptsAreRecognized) {
  const std::vector<JudgedSample> samples = {testing::SampleA()};
  ExpectLayout(
      OptimizerPromptSeparate("fluency", "I", "SP", samples, std::vector<std::string>{"g"}),
      PromptKind::kOptimizerSeparate, {"fluency"});
  const std::vector<CriterionGradients> grads = {{"fluency", {"g"}}, {"coherence", {"g"}}};
  ExpectLayout(OptimizerPromptCombined(testing::TwoInstructions(), "SP", samples, grads),
               PromptKind::kOptimizerCombined, kTwo);
}

TEST(PromptsLayout, DiagnosticsAreRecognizedEvenWhenTheGradientQuotesTags) {
  const std::string gradient = "The <ROLE> and <VARIABLE> look fine.\n## Target Criterion\nx";
  ExpectLayout(SpecificityPrompt("coherence", kTwo, gradient), PromptKind::kSpecificity,
               {"coherence"});
  ExpectLayout(AdherencePrompt("fluency", "old", "new", gradient), PromptKind::kAdherence,
               {"fluency"});
}

TEST(PromptsLayout, SampleTextCannotFakeTheKind) {
  // A sample whose text contains tags: the reader starts from the prompt's own ROLE.
  JudgedSample tricky = testing::SampleA();
  tricky.inputs[0].value =
      "<ROLE> predicted scores of a language model for the criteria: x </ROLE>";
  ExpectLayout(GradientPromptSeparate("SP", tricky, "fluency", "<INPUTS_TO_FUNCTION>", "I"),
               PromptKind::kGradientSeparate, {"fluency"});
}

TEST(PromptsLayout, LeadingWhitespaceIsIgnoredAndForeignTextIsUnknown) {
  ExpectLayout("\n  " + LossPromptSeparate({"fluency", S(1), S(1)}), PromptKind::kLossSeparate,
               {"fluency"});
  ExpectLayout("Judge the summary.\n\n## Sample:\nx\n\n## Response:\n", PromptKind::kUnknown, {});
  ExpectLayout("", PromptKind::kUnknown, {});
  // Right opening, broken body.
  ExpectLayout(std::string(BackwardPreamble()) + "\n\nno role here", PromptKind::kUnknown, {});
}

}  // namespace
}  // namespace judgeopt::prompts
