// Golden tests of the TextGrad backward prompts (reference-protocol §4.2-4.4): the preamble, the
// loss prompts S and C, and the gradient prompts S and C. Expected texts are written out by hand
// from the layouts documented in docs/prompts.md.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cpp/prompts/prompts_fixtures.h"
#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/tags.h"

namespace judgeopt::prompts {
namespace {

using testing::S;

std::string Pre() { return std::string(BackwardPreamble()) + "\n\n"; }

TEST(PromptsPreamble, CoversThePointsAndGlossaryWithoutOpeningTags) {
  const std::string_view p = BackwardPreamble();
  EXPECT_TRUE(p.starts_with("You are the feedback engine"));
  EXPECT_NE(p.find("Do not write a new version of the variable"), std::string_view::npos);
  EXPECT_NE(p.find("\"Including X would fix this mistake because ...\""), std::string_view::npos);
  EXPECT_NE(p.find("what it must keep"), std::string_view::npos);
  for (const char* tag :
       {"LM_SYSTEM_PROMPT", "LM_INPUT", "LM_OUTPUT", "OBJECTIVE_FUNCTION", "VARIABLE", "ROLE"}) {
    EXPECT_NE(p.find(std::string("\n- ") + tag + ": "), std::string_view::npos) << tag;
  }
  // Tags are named bare, so a reader never mistakes the glossary for a section.
  EXPECT_FALSE(NextTagName(p).has_value());
}

TEST(PromptsLoss, VerdictsAreNumericByDefault) {
  EXPECT_EQ(LossVerdict({"f", S(4), S(4)}), "CORRECT");
  EXPECT_EQ(LossVerdict({"f", Score{4, "4"}, Score{4, "4.0"}}), "CORRECT");
  EXPECT_EQ(LossVerdict({"f", S(2), S(4.5)}), "INCORRECT (difference: 2.50)");
  EXPECT_EQ(LossVerdict({"f", std::nullopt, S(3)}), "INCORRECT (missing prediction)");
  EXPECT_EQ(LossVerdict({"f", S(3), std::nullopt}), "UNKNOWN (missing ground truth)");
  EXPECT_EQ(LossVerdict({"f", S(std::nan("")), S(3)}), "INCORRECT");
}

TEST(PromptsLoss, PaperSwitchComparesTheTexts) {
  const LossOptions paper{.paper_string_compare = true};
  // The study's latent defect: an int prediction against a float gold reads INCORRECT.
  EXPECT_EQ(LossVerdict({"f", Score{4, "4"}, Score{4, "4.0"}}, paper),
            "INCORRECT (difference: 0.00)");
  EXPECT_EQ(LossVerdict({"f", S(4), S(4)}, paper), "CORRECT");
  EXPECT_FALSE(LossIsCorrect({"f", Score{4, "4"}, Score{4, "4.0"}}, paper));
}

// Issue 20: gold values never appear at full float precision, under either protocol.
TEST(PromptsLoss, GoldIsWholeOrHasAtMostTwoDecimals) {
  EXPECT_EQ(FormatGold(4), "4");
  EXPECT_EQ(FormatGold(5.0), "5");
  EXPECT_EQ(FormatGold(11.0 / 3), "3.67");
  EXPECT_EQ(FormatGold(13.0 / 3), "4.33");
  EXPECT_EQ(FormatGold(3.5), "3.5");
  EXPECT_EQ(FormatGold(0.125), "0.12");  // 0.125 is exact in binary: half-even
  EXPECT_EQ(FormatGold(4.999), "5");
  EXPECT_EQ(GoldScore(11.0 / 3).text, "3.67");
  EXPECT_EQ(GoldScore(11.0 / 3).value, 11.0 / 3);
}

// The lines of the separate loss prompt that depend on the gold value: the default protocol's
// 3-expert mean 11/3 against the paper protocol's one-expert integer 4, for a prediction of 4.
TEST(PromptsLoss, GoldLinesOfMeanAndIntegerGold) {
  const std::string mean = LossPromptSeparate({"fluency", S(4), GoldScore(11.0 / 3)});
  const std::string whole = LossPromptSeparate({"fluency", S(4), GoldScore(4)});
  EXPECT_NE(mean.find("\n**Ground truth (fluency)**: 3.67\n"), std::string::npos) << mean;
  EXPECT_NE(mean.find("INCORRECT (difference: 0.33)"), std::string::npos) << mean;
  EXPECT_EQ(mean.find("3.666"), std::string::npos) << mean;
  EXPECT_NE(whole.find("\n**Ground truth (fluency)**: 4\n"), std::string::npos) << whole;
  EXPECT_NE(whole.find("<OUTPUT_OF_FUNCTION> CORRECT </OUTPUT_OF_FUNCTION>"), std::string::npos);
  // Under the study's string comparison the integer gold reads CORRECT too.
  const LossOptions paper{.paper_string_compare = true};
  EXPECT_TRUE(LossIsCorrect({"fluency", Score{4, "4"}, GoldScore(4)}, paper));
  const std::vector<Outcome> outcomes = {{"fluency", S(4), GoldScore(11.0 / 3)}};
  const std::string combined = LossPromptCombined(outcomes);
  EXPECT_NE(combined.find("**Ground truths**:\n  fluency: 3.67"), std::string::npos) << combined;
}

TEST(PromptsLoss, SeparateGolden) {
  const std::string expected =
      Pre() +
      "You will give feedback on a variable whose role is <ROLE> predicted score of a language "
      "model for the criterion: fluency </ROLE>. A comparison function checked it, with this "
      "result:\n\n"
      "Function purpose: check whether the model's predicted fluency score equals the ground "
      "truth.\n\n"
      "<INPUTS_TO_FUNCTION>\n**Model prediction (fluency)**: 4\n**Ground truth (fluency)**: 3\n"
      "</INPUTS_TO_FUNCTION>\n\n"
      "<OUTPUT_OF_FUNCTION> INCORRECT (difference: 1.00) </OUTPUT_OF_FUNCTION>\n\n"
      "<OBJECTIVE_FUNCTION> Criticise the variable in light of the function's output above. "
      "Improving that result is the only aim; nothing else matters. </OBJECTIVE_FUNCTION>\n\n"
      "<VARIABLE> 4 </VARIABLE>\n\n"
      "Say how this prediction could get better. If it is correct, explain what makes it "
      "correct. If it is wrong, name exactly what went wrong and what the right prediction would "
      "be. Keep it brief.";
  EXPECT_EQ(LossPromptSeparate({"fluency", S(4), S(3)}), expected);
}

TEST(PromptsLoss, SeparateShowsMissingPredictionAndHidesEverythingElse) {
  const std::string p = LossPromptSeparate({"fluency", std::nullopt, S(3)});
  EXPECT_EQ(ExtractTag(p, "VARIABLE"), " missing ");
  EXPECT_EQ(ExtractTag(p, "OUTPUT_OF_FUNCTION"), " INCORRECT (missing prediction) ");
  EXPECT_EQ(p.find("LM_INPUT>"), std::string::npos);  // never the sample or the instruction
}

TEST(PromptsLoss, CombinedGolden) {
  const std::vector<Outcome> outcomes = {
      {"fluency", S(4), S(4)}, {"coherence", S(2), S(4)}, {"relevance", std::nullopt, S(5)}};
  const std::string expected =
      Pre() +
      "You will give feedback on a variable whose role is <ROLE> predicted scores of a language "
      "model for the criteria: fluency, coherence, relevance </ROLE>. A comparison function "
      "checked it, with this result:\n\n"
      "Function purpose: check, criterion by criterion, whether the model's predicted scores "
      "equal the ground truths.\n\n"
      "<INPUTS_TO_FUNCTION>\n**Model predictions**:\n  fluency: 4\n  coherence: 2\n"
      "  relevance: missing\n**Ground truths**:\n  fluency: 4\n  coherence: 4\n  relevance: 5\n"
      "</INPUTS_TO_FUNCTION>\n\n"
      "<OUTPUT_OF_FUNCTION>\n  fluency: CORRECT\n  coherence: INCORRECT (difference: 2.00)\n"
      "  relevance: INCORRECT (missing prediction)\n  Overall: 1 of 3 correct.\n"
      "</OUTPUT_OF_FUNCTION>\n\n"
      "<OBJECTIVE_FUNCTION> Criticise the variable in light of the function's output above. "
      "Improving that result is the only aim; nothing else matters. </OBJECTIVE_FUNCTION>\n\n"
      "<VARIABLE>\n  fluency: 4\n  coherence: 2\n  relevance: missing\n</VARIABLE>\n\n"
      "For each criterion, say how its prediction could get better: if it is correct, explain "
      "what makes it correct; if it is wrong, name exactly what went wrong and what the right "
      "prediction would be. Keep it brief.";
  EXPECT_EQ(LossPromptCombined(outcomes), expected);
}

TEST(PromptsLoss, CombinedOverallCountFollowsTheSwitch) {
  const std::vector<Outcome> outcomes = {{"fluency", Score{4, "4"}, Score{4, "4.0"}},
                                         {"coherence", S(3), S(3)}};
  EXPECT_NE(LossPromptCombined(outcomes).find("  Overall: 2 of 2 correct."), std::string::npos);
  const std::string paper = LossPromptCombined(outcomes, {.paper_string_compare = true});
  EXPECT_NE(paper.find("  fluency: INCORRECT (difference: 0.00)\n  coherence: CORRECT\n"
                       "  Overall: 1 of 2 correct."),
            std::string::npos);
}

TEST(PromptsGradient, SeparateGolden) {
  const std::string expected =
      Pre() +
      "You will give feedback on a variable whose role is <ROLE> instruction for the criterion "
      "'fluency' in the system prompt of a language model </ROLE>. Below is one conversation "
      "with that language model (LM):\n\n"
      "<LM_SYSTEM_PROMPT>\nJudge the summary.\n\n## Instructions:\n- fluency: Rate from 1 to 5.\n"
      "\n</LM_SYSTEM_PROMPT>\n\n"
      "<LM_INPUT>\nSummary: The cat sat.\nSource Text: A cat sat on a mat.\n</LM_INPUT>\n\n"
      "<LM_OUTPUT>\nfluency: 4\n</LM_OUTPUT>\n\n"
      "The conversation is one part of a larger system: its LM_OUTPUT was then used as the "
      "language model's prediction.\n\n"
      "<OBJECTIVE_FUNCTION>\nGive feedback on the variable so as to address this critique of the "
      "LM_OUTPUT:\nThe score is one point too high.\n</OBJECTIVE_FUNCTION>\n\n"
      "The variable is the instruction below, one part of the system prompt:\n\n"
      "<VARIABLE> Rate from 1 to 5. </VARIABLE>\n\n"
      "Explain how the instruction could change so that the objective is better met. Write "
      "exactly 3 paragraphs: (1) what the instruction already does well and must keep; (2) which "
      "specific weaknesses of the instruction led to wrong predictions; (3) concrete changes "
      "that remove those weaknesses while keeping what works.";
  EXPECT_EQ(GradientPromptSeparate(testing::kFluencySystemPrompt, testing::SampleA(), "fluency",
                                   "The score is one point too high.", "Rate from 1 to 5."),
            expected);
}

TEST(PromptsGradient, SeparateOutputIsTheParsedValueOnly) {
  const std::string p = GradientPromptSeparate(testing::kFluencySystemPrompt, testing::SampleB(),
                                               "coherence", "x", "Rate.");
  EXPECT_EQ(ExtractTag(p, "LM_OUTPUT"), "\ncoherence: missing\n");
  EXPECT_EQ(p.find("fluency: 5"), std::string::npos);  // no cross-criterion leakage
}

TEST(PromptsGradient, CombinedGolden) {
  const std::vector<CriterionText> feedback = {{"fluency", "Fluency is right."},
                                               {"coherence", "Coherence is too low."}};
  const std::string expected =
      Pre() +
      "You will give feedback on a variable whose role is <ROLE> instructions for the criteria "
      "(fluency, coherence) in the system prompt of a language model </ROLE>. Below is one "
      "conversation with that language model (LM):\n\n"
      "<LM_SYSTEM_PROMPT>\nJudge the summary.\n\n## Instructions:\n- fluency: Rate from 1 to 5.\n"
      "- coherence: Rate from 1 to 5.\n\n</LM_SYSTEM_PROMPT>\n\n"
      "<LM_INPUT>\nSummary: The cat sat.\nSource Text: A cat sat on a mat.\n</LM_INPUT>\n\n"
      "<LM_OUTPUT>\n```json\n{\"fluency\": 4, \"coherence\": 2}\n```\n</LM_OUTPUT>\n\n"
      "The conversation is one part of a larger system: its LM_OUTPUT was then used as the "
      "language model's predictions.\n\n"
      "<OBJECTIVE_FUNCTION>\nGive feedback on the variable so as to address these critiques of "
      "the LM_OUTPUT:\n\nFeedback for fluency:\nFluency is right.\n\nFeedback for coherence:\n"
      "Coherence is too low.\n</OBJECTIVE_FUNCTION>\n\n"
      "The variable is the set of instructions below, one per criterion, all part of the system "
      "prompt:\n\n"
      "<VARIABLE>\n  fluency: Rate from 1 to 5.\n  coherence: Rate \"flow\" from 1 to 5.\n"
      "</VARIABLE>\n\n"
      "Explain how the instructions could change so that the objective is better met. Write "
      "exactly 3 paragraphs: (1) what the instructions already do well and must keep; (2) which "
      "specific weaknesses of the instructions led to wrong predictions; (3) concrete changes "
      "that remove those weaknesses while keeping what works.";
  EXPECT_EQ(GradientPromptCombined(testing::kFullSystemPrompt, testing::SampleA(), feedback,
                                   testing::TwoInstructions()),
            expected);
}

TEST(PromptsGradient, JointCritiqueIsLabelledForAllCriteriaByDefault) {
  const std::vector<std::string> criteria = {"fluency", "coherence", "relevance"};
  const std::vector<CriterionText> ccc = {
      {"fluency", "Joint."}, {"coherence", "Joint."}, {"relevance", "Joint."}};
  EXPECT_EQ(CombinedFeedbackBlocks(ccc, criteria), "Feedback for all criteria (joint):\nJoint.");
  // The study keeps one block, under the first criterion's name.
  EXPECT_EQ(CombinedFeedbackBlocks(ccc, criteria, {.paper_mislabel_joint = true}),
            "Feedback for fluency:\nJoint.");
}

TEST(PromptsGradient, PartlySharedCritiquesNameEveryOwner) {
  const std::vector<std::string> criteria = {"fluency", "coherence", "relevance"};
  const std::vector<CriterionText> fb = {
      {"fluency", "A."}, {"coherence", "B."}, {"relevance", "A."}};
  EXPECT_EQ(CombinedFeedbackBlocks(fb, criteria),
            "Feedback for fluency, relevance:\nA.\n\nFeedback for coherence:\nB.");
  EXPECT_EQ(CombinedFeedbackBlocks(fb, criteria, {.paper_mislabel_joint = true}),
            "Feedback for fluency:\nA.\n\nFeedback for coherence:\nB.");
}

}  // namespace
}  // namespace judgeopt::prompts
