#include "judgeopt/judge/render.h"

#include <gtest/gtest.h>

#include "cpp/judge/review_dataset.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeReviewDataset;

// Written by hand from the layout in reference-protocol §1.2: preamble (stripped) and our fixed
// sentence, blank line, output-format block, blank line, instruction list, two blank lines,
// sample fields, blank line, response header, final newline.
constexpr char kExpectedFullPrompt[] =
    "## Task\n"
    "You grade short product reviews written by customers.\n"
    "1. Read the review and the product name.\n"
    "2. Score each criterion on its own.\n"
    "Follow the Instructions below to carry out this evaluation. Reply with a JSON object "
    "holding the requested scores, with no reasoning and no explanation.\n"
    "\n"
    "## Output format (follow this EXACTLY):\n"
    "{\n"
    "  \"clarity\": 1|2|3|4|5,\n"
    "  \"tone\": 1|2|3|4|5,\n"
    "  \"accuracy\": 0|1|2|3,\n"
    "  \"helpfulness\": 1|2|3|4|5\n"
    "}\n"
    "\n"
    "## Instructions:\n"
    "- clarity: Rate from 1 to 5.\n"
    "- tone: Rate politeness from 1 to 5.\n"
    "- accuracy: Rate factual accuracy from 0 to 3.\n"
    "- helpfulness: Rate from 1 to 5.\n"
    "\n"
    "\n"
    "## Sample:\n"
    "Review: Great blender.\n"
    "Loud though.\n"
    "Product: Blender X\n"
    "\n"
    "## Response:\n";

TEST(RenderTest, FullJudgePromptMatchesTheStudyLayout) {
  const auto d = MakeReviewDataset();
  auto text = RenderTaskPrompt(JudgePrompt::FromDataset(d), d, d.examples[0]);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, kExpectedFullPrompt);
}

TEST(RenderTest, JudgeMessagesAreOneUserMessageWithThePrompt) {
  const auto d = MakeReviewDataset();
  auto messages = RenderJudgeMessages(JudgePrompt::FromDataset(d), d, d.examples[0]);
  ASSERT_TRUE(messages.ok()) << messages.error().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].role, "user");
  EXPECT_EQ((*messages)[0].content, kExpectedFullPrompt);
}

TEST(RenderTest, FilteredRenderingKeepsOnlyThatCriterion) {
  const auto d = MakeReviewDataset();
  const auto prompt = JudgePrompt::FromDataset(d).WithInstruction("tone", "Judge politeness.");
  ASSERT_TRUE(prompt.ok());
  auto text = RenderTaskPrompt(*prompt, d, d.examples[1], "tone");
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text,
            "## Task\n"
            "You grade short product reviews written by customers.\n"
            "1. Read the review and the product name.\n"
            "2. Score each criterion on its own.\n"
            "Follow the Instructions below to carry out this evaluation. Reply with a JSON "
            "object holding the requested scores, with no reasoning and no explanation.\n"
            "\n"
            "## Output format (follow this EXACTLY):\n"
            "{\n"
            "  \"tone\": 1|2|3|4|5\n"
            "}\n"
            "\n"
            "## Instructions:\n"
            "- tone: Judge politeness.\n"
            "\n"
            "\n"
            "## Sample:\n"
            "Review: Broke after a week.\n"
            "Product: Kettle Y\n"
            "\n"
            "## Response:\n");
}

TEST(RenderTest, InstructionsPartEndsWithOneNewline) {
  const auto d = MakeReviewDataset();
  auto text = RenderInstructions(JudgePrompt::FromDataset(d), d, "accuracy");
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(
      text->ends_with("\n## Instructions:\n- accuracy: Rate factual accuracy from 0 to "
                      "3.\n"));
  EXPECT_NE(text->find("{\n  \"accuracy\": 0|1|2|3\n}\n\n## Instructions:"), std::string::npos);
}

TEST(RenderTest, OutputFormatOffDropsTheBlockOnly) {
  const auto d = MakeReviewDataset();
  auto text = RenderInstructions(JudgePrompt::FromDataset(d).WithOutputFormat(false), d);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("## Output format"), std::string::npos);
  EXPECT_NE(text->find("no explanation.\n\n## Instructions:\n- clarity: Rate from 1 to 5.\n"),
            std::string::npos);
}

TEST(RenderTest, EmptyPreambleStartsWithTheSentence) {
  const auto d = MakeReviewDataset();
  auto text = RenderInstructions(JudgePrompt::FromDataset(d).WithPreamble("  \n"), d);
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text->starts_with("Follow the Instructions below"));
}

TEST(RenderTest, SingleCriterionPromptRendersOneLine) {
  const auto d = MakeReviewDataset();
  auto single = JudgePrompt::FromDataset(d).OnlyCriterion("helpfulness");
  ASSERT_TRUE(single.ok());
  auto text = RenderInstructions(*single, d);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("{\n  \"helpfulness\": 1|2|3|4|5\n}"), std::string::npos);
  EXPECT_EQ(text->find("clarity"), std::string::npos);
}

TEST(RenderTest, ScaleFormats) {
  EXPECT_EQ(ScaleFormat({1, 5, true}), "1|2|3|4|5");
  EXPECT_EQ(ScaleFormat({0, 3, true}), "0|1|2|3");
  EXPECT_EQ(ScaleFormat({-1, 1, true}), "-1|0|1");
  EXPECT_EQ(ScaleFormat({0, 1, false}), "<0.0 to 1.0>");
  EXPECT_EQ(ScaleFormat({1, 4.5, false}), "<1.0 to 4.5>");
  EXPECT_EQ(ScaleFormat({0, 100, true}), "<0 to 100>");  // too many values to list
  EXPECT_EQ(ScaleFormat({1, 21, true}), "1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21");
}

TEST(RenderTest, NounIsValuesWhenAnyScaleIsContinuous) {
  auto d = MakeReviewDataset();
  d.criteria[2].scale = {0, 1, false};
  auto text = RenderInstructions(JudgePrompt::FromDataset(d), d);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("holding the requested values,"), std::string::npos);
  EXPECT_NE(text->find("\"accuracy\": <0.0 to 1.0>,\n"), std::string::npos);
}

TEST(RenderTest, Errors) {
  const auto d = MakeReviewDataset();
  const auto seed = JudgePrompt::FromDataset(d);
  auto bad_filter = RenderInstructions(seed, d, "verbosity");
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_NE(bad_filter.error().message.find("verbosity"), std::string::npos);

  const JudgePrompt foreign("", true, {{"clarity", "x"}, {"humour", "y"}});
  auto bad_prompt = RenderInstructions(foreign, d);
  ASSERT_FALSE(bad_prompt.ok());
  EXPECT_NE(bad_prompt.error().message.find("humour"), std::string::npos);

  data::Example short_example{"x", {"only one input"}, {}, "", 0};
  auto bad_example = RenderTaskPrompt(seed, d, short_example);
  ASSERT_FALSE(bad_example.ok());
  EXPECT_NE(bad_example.error().message.find("'x'"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::judge
