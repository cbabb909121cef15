// Golden tests of the optimizer meta-prompts and the CONTEXT block (reference-protocol §4.6).
// Expected texts are written out by hand from the layouts in docs/prompts.md.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpp/prompts/prompts_fixtures.h"
#include "judgeopt/prompts/optimizer.h"
#include "judgeopt/prompts/tags.h"

namespace judgeopt::prompts {
namespace {

const std::string kOpening =
    "You are one part of an optimization system that improves a piece of text, the variable. "
    "You receive the variable, the context in which it was used and feedback on it, and you "
    "write an improved version of it. The feedback can be noisy: work out which points matter "
    "and which are right before you act on them. Keep the variable's role in mind, and what the "
    "context shows about how it is used.";

const std::string kConversationA =
    "<CONVERSATION>\n<LM_INPUT>\nSummary: The cat sat.\nSource Text: A cat sat on a mat.\n"
    "</LM_INPUT>\n\n<LM_OUTPUT>\n";

std::vector<JudgedSample> Samples() { return {testing::SampleA(), testing::SampleB()}; }

TEST(PromptsContext, SeparateGolden) {
  const std::vector<JudgedSample> one = {testing::SampleA()};
  const std::string expected =
      "<CONTEXT>\n\n<LM_SYSTEM_PROMPT>\nJudge the summary.\n\n## Instructions:\n"
      "- fluency: Rate from 1 to 5.\n\n</LM_SYSTEM_PROMPT>\n\n" +
      kConversationA +
      "fluency: 4\n</LM_OUTPUT>\n</CONVERSATION>\n\n"
      "This is the feedback we received on the instruction for 'fluency' in the conversations "
      "above:\n\n<FEEDBACK>\n  - g1\n</FEEDBACK>\n\n</CONTEXT>";
  EXPECT_EQ(ContextBlockSeparate(testing::kFluencySystemPrompt, one, "fluency", "  - g1"),
            expected);
}

TEST(PromptsContext, CombinedShowsSystemPromptOnceAndRawReplies) {
  const std::string block = ContextBlockCombined(testing::kFullSystemPrompt, Samples(), "FB");
  const std::string expected =
      "<CONTEXT>\n\n<LM_SYSTEM_PROMPT>\n" + testing::kFullSystemPrompt +
      "\n</LM_SYSTEM_PROMPT>\n\n" + kConversationA +
      "```json\n{\"fluency\": 4, \"coherence\": 2}\n```\n</LM_OUTPUT>\n"
      "</CONVERSATION>\n\n"
      "<CONVERSATION>\n<LM_INPUT>\nSummary: Dogs bark.\nSource Text: The dog barked twice.\n"
      "</LM_INPUT>\n\n<LM_OUTPUT>\n{\"fluency\": 5}\n</LM_OUTPUT>\n</CONVERSATION>\n\n"
      "This is the feedback we received on the instructions of all criteria in the conversations "
      "above:\n\n<FEEDBACK>\nFB\n</FEEDBACK>\n\n</CONTEXT>";
  EXPECT_EQ(block, expected);
  EXPECT_EQ(ExtractAllTags(block, "LM_SYSTEM_PROMPT").size(), 1u);
  EXPECT_EQ(ExtractAllTags(block, "CONVERSATION").size(), 2u);
}

TEST(PromptsContext, EmptyPredictionsGiveAnEmptyBlock) {
  EXPECT_EQ(ContextBlockCombined(testing::kFullSystemPrompt, {}, "FB"), "");
  EXPECT_EQ(ContextBlockSeparate(testing::kFluencySystemPrompt, {}, "fluency", "FB"), "");
}

TEST(PromptsContext, SeparateOutputShowsMissingValuesAndNoOtherCriterion) {
  const std::vector<JudgedSample> b = {testing::SampleB()};
  const std::string block = ContextBlockSeparate("SP", b, "coherence", "");
  EXPECT_EQ(ExtractTag(block, "LM_OUTPUT"), "\ncoherence: missing\n");
  EXPECT_EQ(ExtractTag(block, "FEEDBACK"), "\n\n");  // empty feedback keeps the layout
  EXPECT_EQ(block.find("fluency"), std::string::npos);
}

TEST(PromptsOptimizer, SeparateGolden) {
  const std::vector<JudgedSample> one = {testing::SampleA()};
  const std::vector<std::string> grads = {"Keep the scale.", "Mention grammar."};
  const std::string expected =
      kOpening +
      "\n\n<ROLE> instruction for the criterion 'fluency' in the system prompt of a language "
      "model </ROLE>\n\n<VARIABLE> Rate from 1 to 5. </VARIABLE>\n\n"
      "Below are the context and the feedback gathered for the variable:\n\n"
      "<CONTEXT>\n\n<LM_SYSTEM_PROMPT>\n" +
      testing::kFluencySystemPrompt + "\n</LM_SYSTEM_PROMPT>\n\n" + kConversationA +
      "fluency: 4\n</LM_OUTPUT>\n</CONVERSATION>\n\n"
      "This is the feedback we received on the instruction for 'fluency' in the conversations "
      "above:\n\n<FEEDBACK>\n  - Keep the scale.\n  - Mention grammar.\n</FEEDBACK>\n\n"
      "</CONTEXT>\n\n"
      "Improve the instruction for 'fluency' using the feedback inside the FEEDBACK section. "
      "Reply with nothing but the new instruction text for 'fluency', without JSON, quotation "
      "marks or any other formatting.";
  EXPECT_EQ(OptimizerPromptSeparate("fluency", "Rate from 1 to 5.", testing::kFluencySystemPrompt,
                                    one, grads),
            expected);
}

TEST(PromptsOptimizer, CombinedGoldenWithJointGradientsShownOnce) {
  const std::vector<CriterionGradients> grads = {{"fluency", {"J1.", "J2."}},
                                                 {"coherence", {"J1.", "J2."}}};
  const std::string expected =
      kOpening +
      "\n\n<ROLE> instructions for the criteria (fluency, coherence) in the system prompt of a "
      "language model </ROLE>\n\n"
      "<VARIABLE>\n{\n  \"fluency\": \"Rate from 1 to 5.\",\n"
      "  \"coherence\": \"Rate \\\"flow\\\" from 1 to 5.\"\n}\n</VARIABLE>\n\n"
      "Below are the context and the feedback gathered for the variable:\n\n" +
      ContextBlockCombined(testing::kFullSystemPrompt, Samples(),
                           "Feedback for all criteria (joint):\n  - J1.\n  - J2.") +
      "\n\nImprove the instructions using the feedback inside the FEEDBACK section. Produce "
      "exactly one improved set of instructions, as a single JSON object and nothing else, shaped "
      "like this:\n"
      "{\"instructions\": {\"fluency\": \"<improved instruction for fluency>\", \"coherence\": "
      "\"<improved instruction for coherence>\"}}";
  EXPECT_EQ(OptimizerPromptCombined(testing::TwoInstructions(), testing::kFullSystemPrompt,
                                    Samples(), grads),
            expected);
}

TEST(PromptsOptimizer, PaperRepeatsJointGradientsAndPastesInstructionsRaw) {
  const std::vector<CriterionGradients> grads = {{"fluency", {"J1.", "J2."}},
                                                 {"coherence", {"J1.", "J2."}}};
  const OptimizerOptions paper{.dedupe_joint_gradients = false, .escape_variable_json = false};
  EXPECT_EQ(CombinedGradientSections(grads, paper),
            "Feedback for criterion 'fluency':\n  - J1.\n  - J2.\n\n---\n\n"
            "Feedback for criterion 'coherence':\n  - J1.\n  - J2.");
  const std::string p =
      OptimizerPromptCombined(testing::TwoInstructions(), "SP", Samples(), grads, paper);
  EXPECT_EQ(ExtractTag(p, "VARIABLE"),
            "\n{\n  \"fluency\": \"Rate from 1 to 5.\",\n  \"coherence\": \"Rate \"flow\" from 1 "
            "to 5.\"\n}\n");
}

TEST(PromptsOptimizer, DistinctGradientsKeepOneSectionPerCriterion) {
  const std::vector<CriterionGradients> grads = {
      {"fluency", {"F1."}}, {"coherence", {"C1.", "C2."}}, {"relevance", {}}};
  EXPECT_EQ(CombinedGradientSections(grads),
            "Feedback for criterion 'fluency':\n  - F1.\n\n---\n\n"
            "Feedback for criterion 'coherence':\n  - C1.\n  - C2.");
}

TEST(PromptsOptimizer, PartlySharedGradientsNameTheirCriteria) {
  const std::vector<CriterionGradients> grads = {
      {"fluency", {"A."}}, {"coherence", {"B."}}, {"relevance", {"A."}}};
  EXPECT_EQ(CombinedGradientSections(grads),
            "Feedback for criteria 'fluency', 'relevance':\n  - A.\n\n---\n\n"
            "Feedback for criterion 'coherence':\n  - B.");
}

TEST(PromptsOptimizer, EscapedVariableIsValidJson) {
  const std::vector<Instruction> tricky = {{"fluency", "Say \"yes\"\\no\tthen"}};
  const std::string p = OptimizerPromptCombined(tricky, "SP", Samples(), {});
  EXPECT_EQ(ExtractTag(p, "VARIABLE"), "\n{\n  \"fluency\": \"Say \\\"yes\\\"\\\\no\\tthen\"\n}\n");
}

TEST(PromptsOptimizer, NoPredictionsLeaveNoContext) {
  const std::string p =
      OptimizerPromptSeparate("fluency", "Rate.", "SP", {}, std::vector<std::string>{"g"});
  EXPECT_FALSE(ExtractTag(p, "CONTEXT").has_value());
  EXPECT_FALSE(ExtractTag(p, "FEEDBACK").has_value());
}

}  // namespace
}  // namespace judgeopt::prompts
