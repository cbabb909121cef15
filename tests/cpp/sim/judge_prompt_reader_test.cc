#include "judgeopt/sim/judge_prompt_reader.h"

#include <gtest/gtest.h>

#include "cpp/sim/sim_test_util.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/sim/prompt_text.h"

namespace judgeopt::sim {
namespace {

using testing::JudgePromptText;

const std::vector<std::string> kKnown = {"fluency", "relevance", "coherence", "consistency"};

std::string SummEvalLikePrompt() {
  return JudgePromptText(
      "## Task\nYou rate summaries.\n1. Read the source.\n2. Read the summary.",
      {{"fluency", "Rate from 1 to 5."},
       {"relevance", "Check the key points.\n- note: penalize trivial details."},
       {"coherence", "- not a new entry: check transitions."},
       {"consistency", "Rate from 1 to 5."}},
      {{"Summary", "the cat sat on the mat ."},
       {"Source Text", "A cat sat.\n\nSummary: it was on a mat.\nThe end."}});
}

TEST(JudgePromptReaderTest, RecognizesTheLayoutOnly) {
  EXPECT_TRUE(LooksLikeJudgePrompt(SummEvalLikePrompt()));
  EXPECT_TRUE(LooksLikeJudgePrompt(SummEvalLikePrompt() + "/no_think"));
  EXPECT_FALSE(LooksLikeJudgePrompt("Rate this summary from 1 to 5."));
  // A gradient-style prompt embeds the instructions but shows no sample/response sections.
  EXPECT_FALSE(LooksLikeJudgePrompt(
      "<LM_SYSTEM_PROMPT>\nx\n\n## Instructions:\n- fluency: Rate.\n</LM_SYSTEM_PROMPT>\n"
      "<LM_INPUT>\nSummary: s\n</LM_INPUT>"));
  // Sections out of order.
  EXPECT_FALSE(
      LooksLikeJudgePrompt("## Sample:\nA: b\n\n## Instructions:\n- c: d\n\n## Response:\n"));
  // More text after the response header than a one-line suffix.
  EXPECT_FALSE(LooksLikeJudgePrompt(SummEvalLikePrompt() + "line one\nline two\n"));
}

TEST(JudgePromptReaderTest, ReadsInstructionsFormatsAndSample) {
  auto view = ReadJudgePrompt(SummEvalLikePrompt(), kKnown);
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  ASSERT_EQ(view->entries.size(), 4u);
  EXPECT_EQ(view->entries[0].criterion, "fluency");
  EXPECT_EQ(view->entries[0].instruction, "Rate from 1 to 5.");
  EXPECT_EQ(view->entries[1].instruction,
            "Check the key points.\n- note: penalize trivial details.");
  EXPECT_EQ(view->entries[2].instruction, "- not a new entry: check transitions.");
  ASSERT_TRUE(view->entries[3].shown_scale.has_value());
  EXPECT_EQ(view->entries[3].shown_scale->min, 1);
  EXPECT_EQ(view->entries[3].shown_scale->max, 5);
  EXPECT_TRUE(view->entries[3].shown_scale->integer);

  auto fields = ReadLabeledFields(view->sample_block, {"Summary", "Source Text"});
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ((*fields)[0], "the cat sat on the mat .");
  EXPECT_EQ((*fields)[1], "A cat sat.\n\nSummary: it was on a mat.\nThe end.");
  EXPECT_FALSE(ReadLabeledFields(view->sample_block, {"Text"}).has_value());
  EXPECT_FALSE(ReadLabeledFields(view->sample_block, {"Source Text", "Summary"}).has_value());
}

TEST(JudgePromptReaderTest, UnknownCriteriaComeFromTheFormatBlockOrEveryEntryLine) {
  std::string p = JudgePromptText("Rate it.", {{"tone", "Be fair."}, {"clarity", "Be clear."}},
                                  {{"Text", "hello"}}, true, "<0.0 to 1.0>");
  auto view = ReadJudgePrompt(p, kKnown);
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  ASSERT_EQ(view->entries.size(), 2u);
  EXPECT_EQ(view->entries[1].criterion, "clarity");
  ASSERT_TRUE(view->entries[1].shown_scale.has_value());
  EXPECT_FALSE(view->entries[1].shown_scale->integer);
  EXPECT_EQ(view->entries[1].shown_scale->max, 1.0);

  std::string no_format =
      JudgePromptText("Rate it.", {{"tone", "Be fair."}, {"clarity", "Be clear."}},
                      {{"Text", "hello"}}, false);
  auto plain = ReadJudgePrompt(no_format, {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->entries.size(), 2u);
  EXPECT_FALSE(plain->entries[0].shown_scale.has_value());
}

TEST(JudgePromptReaderTest, MissingPartsAreNamed) {
  auto no_entries = ReadJudgePrompt("x\n\n## Instructions:\n\n\n## Sample:\nA: b\n\n## Response:\n",
                                    kKnown);
  ASSERT_FALSE(no_entries.ok());
  EXPECT_EQ(no_entries.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(no_entries.error().message.find("## Instructions:"), std::string::npos);
  EXPECT_FALSE(ReadJudgePrompt("no sections", kKnown).ok());
}

TEST(JudgePromptReaderTest, ScaleFromFormat) {
  auto ints = ScaleFromFormat("0|1|2|3");
  ASSERT_TRUE(ints.has_value());
  EXPECT_EQ(ints->min, 0);
  EXPECT_EQ(ints->max, 3);
  EXPECT_FALSE(ScaleFromFormat("\"T\"|\"F\"").has_value());
  EXPECT_FALSE(ScaleFromFormat("<1 to 1>").has_value());
}

TEST(PromptTextTest, HelpersFindLineStartsAndCountWords) {
  EXPECT_EQ(CountWords("  two\nwords "), 2);
  EXPECT_EQ(CountWords(""), 0);
  EXPECT_EQ(FindAtLineStart("a ## X\n## X", "## X"), 7u);
  EXPECT_EQ(RFindAtLineStart("## X\nb ## X", "## X"), 0u);
  EXPECT_EQ(Trim(" \n x y\t\n"), "x y");
}

}  // namespace
}  // namespace judgeopt::sim
