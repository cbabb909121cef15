#include "judgeopt/judge/score_parser.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>

#include "cpp/judge/review_dataset.h"

namespace judgeopt::judge {
namespace {

// Criteria order: clarity 1-5, tone 1-5, accuracy 0-3, helpfulness 1-5.
constexpr std::nullopt_t kMissing = std::nullopt;
using Want = std::array<std::optional<double>, 4>;

struct Case {
  const char* name;
  std::string reply;
  Want want;
  ReplyError error = ReplyError::kNone;
  int problem_index = -1;         // a criterion whose problem text is checked
  const char* problem_part = "";  // ... must contain this
};

const std::string kGood = R"({"clarity": 4, "tone": 5, "accuracy": 3, "helpfulness": 2})";
const Want kGoodWant = {4, 5, 3, 2};
const Want kNone = {kMissing, kMissing, kMissing, kMissing};

const Case kCases[] = {
    {"plain_object", kGood, kGoodWant},
    {"json_fence", "```json\n" + kGood + "\n```", kGoodWant},
    {"bare_fence", "```\n" + kGood + "\n```", kGoodWant},
    {"prose_before", "Here are my scores for this review:\n" + kGood, kGoodWant},
    {"prose_after", kGood + "\nLet me know if you need anything else.", kGoodWant},
    {"prose_around_fence", "Sure!\n```json\n" + kGood + "\n```\nHope this helps.", kGoodWant},
    {"fence_wins_over_braces_in_prose",
     "Scores {see below}:\n```json\n" + kGood + "\n```\n(end {note})", kGoodWant},
    {"fence_without_json_is_skipped", "```\nno scores here\n```\n" + kGood, kGoodWant},
    {"curly_quotes",
     "{\u201Cclarity\u201D: 4, \u201Ctone\u201D: 5, \u201Caccuracy\u201D: 3, "
     "\u201Chelpfulness\u201D: 2}",
     kGoodWant},
    {"angle_quotes",
     "{\u00ABclarity\u00BB: 4, \u00ABtone\u00BB: 5, \u00ABaccuracy\u00BB: 3, "
     "\u00ABhelpfulness\u00BB: 2}",
     kGoodWant},
    {"doubled_braces", "{" + kGood + "}", kGoodWant},
    {"nested_scores", R"({"scores": )" + kGood + "}", kGoodWant},
    {"nested_after_reasoning", R"({"reasoning": "brief", "scores": )" + kGood + "}", kGoodWant},
    {"numbers_as_strings",
     R"({"clarity": "4", "tone": " 5 ", "accuracy": "3", "helpfulness": "+2"})", kGoodWant},
    {"fraction_string",
     R"({"clarity": "4/5", "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "not a number: \"4/5\""},
    {"word_string",
     R"({"clarity": "four", "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "not a number"},
    {"whole_float_string", R"({"clarity": "4.0", "tone": 5.0, "accuracy": 3, "helpfulness": 2})",
     kGoodWant},
    {"booleans",
     R"({"clarity": true, "tone": false, "accuracy": 3, "helpfulness": 2})",
     {kMissing, kMissing, 3, 2},
     ReplyError::kNone,
     0,
     "boolean true"},
    {"refusal", "I'm sorry, but I can't evaluate this review.", kNone, ReplyError::kNoJson, 2,
     "no JSON object"},
    {"truncated_json", R"({"clarity": 4, "tone": 5, "accu)", kNone, ReplyError::kNoJson},
    {"truncated_nested", "```json\n{\"scores\": {\"clarity\": 4, \"tone\": 5}", kNone,
     ReplyError::kInvalidJson},
    {"unquoted_keys", "{clarity: 4, tone: 5, accuracy: 3, helpfulness: 2}", kNone,
     ReplyError::kInvalidJson, 1, "invalid JSON"},
    {"two_objects", "{\"clarity\": 4, \"tone\": 5}\n{\"accuracy\": 3, \"helpfulness\": 2}", kNone,
     ReplyError::kInvalidJson},
    {"extra_criteria",
     R"({"clarity": 4, "verbosity": 1, "tone": 5, "accuracy": 3, "helpfulness": 2, "overall": 4})",
     kGoodWant},
    {"out_of_range",
     R"({"clarity": 7, "tone": 0, "accuracy": 3, "helpfulness": 2})",
     {kMissing, kMissing, 3, 2},
     ReplyError::kNone,
     0,
     "7 is outside the scale 1-5"},
    {"half_point_on_integer_scale",
     R"({"clarity": 3.5, "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "3.5 is not a whole number"},
    {"negative",
     R"({"clarity": 4, "tone": 5, "accuracy": -1, "helpfulness": 2})",
     {4, 5, kMissing, 2},
     ReplyError::kNone,
     2,
     "-1 is outside the scale 0-3"},
    {"zero_is_in_range_on_0_to_3",
     R"({"clarity": 1, "tone": 1, "accuracy": 0, "helpfulness": 5})",
     {1, 1, 0, 5}},
    {"huge_number",
     R"({"clarity": 1e9, "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2}},
    {"nan_string",
     R"({"clarity": "NaN", "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "not a finite number"},
    {"empty_reply", "", kNone, ReplyError::kNoJson, 0, "empty reply"},
    {"whitespace_reply", "  \n\t ", kNone, ReplyError::kNoJson},
    {"missing_criterion",
     R"({"clarity": 4, "tone": 5, "accuracy": 3})",
     {4, 5, 3, kMissing},
     ReplyError::kNone,
     3,
     "no value for 'helpfulness'"},
    {"keys_case_and_space", R"({"Clarity": 4, " TONE ": 5, "Accuracy": 3, "helpfulness": 2})",
     kGoodWant},
    {"null_value",
     R"({"clarity": null, "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "null"},
    {"array_value",
     R"({"clarity": [4], "tone": 5, "accuracy": 3, "helpfulness": 2})",
     {kMissing, 5, 3, 2},
     ReplyError::kNone,
     0,
     "array"},
    {"python_dict_quotes", "{'clarity': 4, 'tone': 5, 'accuracy': 3, 'helpfulness': 2}", kGoodWant},
    {"trailing_comma", "{\"clarity\": 4, \"tone\": 5, \"accuracy\": 3, \"helpfulness\": 2,\n}",
     kGoodWant},
    {"all_out_of_range", R"({"clarity": 9, "tone": 9, "accuracy": 9, "helpfulness": 9})", kNone,
     ReplyError::kNoValues},
    {"object_without_criteria", R"({"answer": "I cannot rate this."})", kNone,
     ReplyError::kNoValues, 1, "no value for 'tone'"},
    {"nested_two_levels_is_not_searched",
     R"({"result": {"scores": {"clarity": 4, "tone": 5, "accuracy": 3, "helpfulness": 2}}})", kNone,
     ReplyError::kNoValues},
    {"top_level_wins_over_nested",
     R"({"clarity": 2, "details": {"clarity": 5, "tone": 5}})",
     {2, kMissing, kMissing, kMissing}},
};

class ScoreParserTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(ScoreParserTableTest, Parses) {
  const auto dataset = testdata::MakeReviewDataset();
  std::vector<const data::Criterion*> criteria;
  for (const auto& c : dataset.criteria) criteria.push_back(&c);
  const Case& c = GetParam();
  const ParsedReply parsed = ParseScores(c.reply, criteria);
  ASSERT_EQ(parsed.values.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(parsed.values[i].value, c.want[i]) << "criterion " << dataset.criteria[i].name;
    EXPECT_EQ(parsed.values[i].problem.empty(), c.want[i].has_value())
        << "criterion " << dataset.criteria[i].name << ": " << parsed.values[i].problem;
  }
  EXPECT_EQ(parsed.error, c.error) << parsed.error_message;
  EXPECT_EQ(parsed.error_message.empty(), c.error == ReplyError::kNone);
  if (c.problem_index >= 0) {
    EXPECT_NE(parsed.values[static_cast<std::size_t>(c.problem_index)].problem.find(c.problem_part),
              std::string::npos)
        << parsed.values[static_cast<std::size_t>(c.problem_index)].problem;
  }
}

INSTANTIATE_TEST_SUITE_P(Replies, ScoreParserTableTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ScoreParserTest, TableHasAtLeastThirtyReplies) { EXPECT_GE(std::size(kCases), 30u); }

TEST(ScoreParserTest, UnparsableAndMissingCount) {
  const auto dataset = testdata::MakeReviewDataset();
  std::vector<const data::Criterion*> criteria = {&dataset.criteria[0], &dataset.criteria[2]};
  auto partial = ParseScores(R"({"clarity": 3})", criteria);
  EXPECT_FALSE(partial.Unparsable());
  EXPECT_EQ(partial.MissingCount(), 1u);
  auto garbage = ParseScores("no idea", criteria);
  EXPECT_TRUE(garbage.Unparsable());
  EXPECT_EQ(garbage.MissingCount(), 2u);
  EXPECT_FALSE(ParseScores(R"({"x": 1})", criteria).Unparsable());
}

TEST(ScoreParserTest, ContinuousScaleAcceptsFractions) {
  data::Criterion c = testdata::MakeCriterion("similarity", 0, 1, "");
  c.scale.integer = false;
  auto parsed = ParseScores(R"({"similarity": 0.35})", {&c});
  EXPECT_EQ(parsed.values[0].value, 0.35);
  auto over = ParseScores(R"({"similarity": 1.5})", {&c});
  EXPECT_FALSE(over.values[0].value.has_value());
}

TEST(ScoreParserTest, CheckOnScale) {
  const data::Scale s{1, 5, true};
  EXPECT_EQ(CheckOnScale(1, s).value, 1);
  EXPECT_EQ(CheckOnScale(5, s).value, 5);
  EXPECT_FALSE(CheckOnScale(5.5, s).value);
  EXPECT_FALSE(CheckOnScale(0.9999, s).value);
  EXPECT_EQ(DescribeScale(s), "1-5");
}

}  // namespace
}  // namespace judgeopt::judge
