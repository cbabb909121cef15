// The sectioned judge layout (docs/judge.md, "Judge modes"): its rendering, the reader of its
// score-line replies, and its corrective message.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "cpp/judge/review_dataset.h"
#include "judgeopt/judge/reask.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/judge/score_parser.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeCriterion;

// Two criteria on different scales, a one-line example.
data::Dataset TwoCriteria() {
  data::Dataset d;
  d.name = "reviews2";
  d.preamble = "## Task\nGrade a customer review.\n";
  d.inputs = {{"review", "Review"}, {"product", "Product"}};
  d.criteria = {MakeCriterion("clarity", 1, 5, "Rate from 1 to 5."),
                MakeCriterion("accuracy", 0, 3, "Rate factual accuracy from 0 to 3.")};
  d.examples = {{"r1", {"Great blender.", "Blender X"}, {4, 3}, "g1", 1}};
  d.splits.test = {0};
  return d;
}

// Written by hand from the layout in docs/judge.md: preamble (stripped) and the sectioned
// sentence, a blank line, the sample, a blank line, the criteria header, then per criterion a
// blank line, "### k. name", the instruction and its reply line; a blank line and the response
// header with a final newline.
constexpr char kExpectedSectioned[] =
    "## Task\n"
    "Grade a customer review.\n"
    "Score the Sample on each criterion below, one criterion at a time and in the order given: "
    "read the criterion's instruction, then write its reply line before going on to the next "
    "criterion. Reply with the reply lines only, one per line, holding the requested scores, "
    "with no reasoning and no explanation.\n"
    "\n"
    "## Sample:\n"
    "Review: Great blender.\n"
    "Product: Blender X\n"
    "\n"
    "## Criteria (score each one right after reading its instruction):\n"
    "\n"
    "### 1. clarity\n"
    "Rate from 1 to 5.\n"
    "Reply line: clarity: 1|2|3|4|5\n"
    "\n"
    "### 2. accuracy\n"
    "Rate factual accuracy from 0 to 3.\n"
    "Reply line: accuracy: 0|1|2|3\n"
    "\n"
    "## Response:\n";

TEST(SectionedRenderTest, TwoCriterionPromptMatchesTheDocumentedLayout) {
  const auto d = TwoCriteria();
  auto text = RenderSectionedTaskPrompt(JudgePrompt::FromDataset(d), d, d.examples[0]);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, kExpectedSectioned);
}

TEST(SectionedRenderTest, FormatSwitchOffHidesTheAllowedValues) {
  const auto d = TwoCriteria();
  auto text = RenderSectionedTaskPrompt(JudgePrompt::FromDataset(d).WithOutputFormat(false), d,
                                        d.examples[0]);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Reply line: clarity: <score>\n"), std::string::npos);
  EXPECT_EQ(text->find("1|2|3|4|5"), std::string::npos);
}

TEST(SectionedRenderTest, InstructionsAreTrimmedAndMultiLineOnesKept) {
  const auto d = TwoCriteria();
  auto prompt = JudgePrompt::FromDataset(d).WithInstruction("clarity",
                                                            "  Short sentences.\n"
                                                            "- no jargon\n\n");
  ASSERT_TRUE(prompt.ok());
  auto text = RenderSectionedTaskPrompt(*prompt, d, d.examples[0]);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("### 1. clarity\nShort sentences.\n- no jargon\nReply line: clarity:"),
            std::string::npos);
}

TEST(SectionedRenderTest, ForeignPromptAndBadExampleFail) {
  const auto d = TwoCriteria();
  JudgePrompt foreign("p", true, {{"humour", "Rate."}});
  EXPECT_FALSE(RenderSectionedTaskPrompt(foreign, d, d.examples[0]).ok());
  data::Example short_example{"x", {"only one field"}, {1, 1}, "g", 0};
  EXPECT_FALSE(RenderSectionedTaskPrompt(JudgePrompt::FromDataset(d), d, short_example).ok());
}

// ---- reading score lines ------------------------------------------------------------------

struct LinesCase {
  std::string name;
  std::string reply;
  std::optional<double> clarity;
  std::optional<double> accuracy;
  ReplyError error = ReplyError::kNone;
};

void PrintTo(const LinesCase& c, std::ostream* os) { *os << c.name; }

const std::optional<double> kNone;

// Replies a model could plausibly give to the sectioned prompt above.
std::vector<LinesCase> LinesCases() {
  return {
      {"exact", "clarity: 4\naccuracy: 2", 4, 2},
      {"trailing_newline_and_spaces", "  clarity: 4  \n accuracy:3\n\n", 4, 3},
      {"capitalized_bold", "**Clarity**: 5\n**Accuracy**: 1", 5, 1},
      {"bulleted", "- clarity: 3\n- accuracy: 0", 3, 0},
      {"numbered", "1. clarity: 2\n2. accuracy: 3", 2, 3},
      {"echoed_reply_line_prefix", "Reply line: clarity: 4\nReply line: accuracy: 2", 4, 2},
      {"code_fence", "```\nclarity: 4\naccuracy: 1\n```", 4, 1},
      {"prose_lead_in_on_the_first_line",
       "Sure. Based on the text above, these are my ratings: clarity: 4\naccuracy: 2", 4, 2},
      {"prose_around", "Here are my scores:\nclarity: 4\naccuracy: 2\nHope this helps.", 4, 2},
      {"comments_after_value", "clarity: 4 (short, direct sentences)\naccuracy: 2 - one error", 4,
       2},
      {"fraction_over_scale_max", "clarity: 4/5\naccuracy: 2/3", 4, 2},
      {"fraction_over_other_max", "clarity: 8/10\naccuracy: 2", kNone, 2},
      {"equals_sign", "clarity = 3\naccuracy = 1", 3, 1},
      {"one_line_pairs", "clarity: 4, accuracy: 2", 4, 2},
      {"headings_then_values", "### 1. clarity\n4\n\n### 2. accuracy\nScore: 2", 4, 2},
      {"echoed_sections",
       "### 1. clarity\nRate from 1 to 5.\nReply line: clarity: 5\n"
       "### 2. accuracy\nRate factual accuracy from 0 to 3.\n"
       "Reply line: accuracy: 3",
       5, 3},
      {"echoed_format_then_value", "clarity: 1|2|3|4|5\nclarity: 4\naccuracy: 2", 4, 2},
      {"key_with_scale_and_word_score", "Clarity score (1-5): 4\nAccuracy (0-3): 3", 4, 3},
      {"out_of_range_is_missing", "clarity: 7\naccuracy: 2", kNone, 2},
      {"not_whole_is_missing", "clarity: 3.5\naccuracy: 2", kNone, 2},
      {"word_is_missing", "clarity: four\naccuracy: 2", kNone, 2},
      {"first_usable_wins", "clarity: 4\nclarity: 2\naccuracy: 1", 4, 1},
      {"one_criterion_left_out", "clarity: 4", 4, kNone},
      {"json_object_instead", R"({"clarity": 4, "accuracy": 2})", 4, 2},
      {"fenced_json_instead", "```json\n{\"clarity\": 3, \"accuracy\": 1}\n```", 3, 1},
      {"prose_then_json", "My scores are {\"clarity\": 2, \"accuracy\": 0}.", 2, 0},
      {"refusal", "I cannot score this review.", kNone, kNone, ReplyError::kNoScoreLines},
      {"empty", " \n ", kNone, kNone, ReplyError::kNoScoreLines},
      {"lines_without_values", "clarity: n/a\naccuracy: unsure", kNone, kNone,
       ReplyError::kNoValues},
  };
}

class ScoreLinesTest : public ::testing::TestWithParam<LinesCase> {};

TEST_P(ScoreLinesTest, ReadsTheReply) {
  const auto d = TwoCriteria();
  const std::vector<const data::Criterion*> criteria = {&d.criteria[0], &d.criteria[1]};
  const LinesCase& c = GetParam();
  const ParsedReply parsed = ParseScoreLines(c.reply, criteria);
  ASSERT_EQ(parsed.values.size(), 2u);
  EXPECT_EQ(parsed.values[0].value, c.clarity);
  EXPECT_EQ(parsed.values[1].value, c.accuracy);
  EXPECT_EQ(parsed.error, c.error);
  for (const auto& v : parsed.values) EXPECT_EQ(v.problem.empty(), v.value.has_value());
}

INSTANTIATE_TEST_SUITE_P(Replies, ScoreLinesTest, ::testing::ValuesIn(LinesCases()),
                         [](const auto& info) { return info.param.name; });

TEST(ScoreLinesTest, ProblemsNameTheCause) {
  const auto d = TwoCriteria();
  const std::vector<const data::Criterion*> criteria = {&d.criteria[0], &d.criteria[1]};
  const ParsedReply parsed = ParseScoreLines("clarity: 9", criteria);
  EXPECT_EQ(parsed.values[0].problem, "9 is outside the scale 1-5");
  EXPECT_EQ(parsed.values[1].problem, "no line for 'accuracy' in the reply");
  EXPECT_TRUE(ParseScoreLines("nothing useful", criteria).Unparsable());
  EXPECT_FALSE(parsed.Unparsable());
}

TEST(ScoreLinesTest, ParseReplyDispatchesOnTheShape) {
  const auto d = TwoCriteria();
  const std::vector<const data::Criterion*> criteria = {&d.criteria[0], &d.criteria[1]};
  EXPECT_EQ(ParseReply("clarity: 4", criteria, ReplyShape::kScoreLines).values[0].value, 4);
  EXPECT_TRUE(ParseReply("clarity: 4", criteria, ReplyShape::kJsonObject).Unparsable());
}

TEST(ScoreLinesTest, CorrectiveMessageAsksForLines) {
  const auto d = TwoCriteria();
  const std::vector<const data::Criterion*> criteria = {&d.criteria[0], &d.criteria[1]};
  const ParsedReply parsed = ParseScoreLines("no idea", criteria);
  const std::string msg = CorrectiveMessage(parsed, criteria, ReplyShape::kScoreLines);
  EXPECT_EQ(msg.rfind(kCorrectivePrefix, 0), 0u);
  EXPECT_NE(msg.find("\nclarity: 1|2|3|4|5\naccuracy: 0|1|2|3"), std::string::npos);
  EXPECT_EQ(msg.find('{'), std::string::npos);
  // What the reader then accepts: the lines the message asks for.
  EXPECT_EQ(ParseScoreLines("clarity: 2\naccuracy: 0", criteria).MissingCount(), 0u);
}

}  // namespace
}  // namespace judgeopt::judge
