// The structured-gradient edit list parser (prompts/edit_list.h) over realistic replies: the
// clean shape the request asks for, and the ways models deviate from it.

#include <gtest/gtest.h>

#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/prompts/lenient_json.h"

namespace judgeopt::prompts {
namespace {

using A = EditAction;

constexpr const char* kParagraphs =
    "The instruction for 'clarity' names the scale; keep that.\n\nIt says nothing about jargon, so "
    "the judge over-rated a dense review.\n\nAdding a line on jargon would help.";

TEST(EditListParseTest, CleanFencedListAfterTheParagraphs) {
  const std::string reply = std::string(kParagraphs) + R"(

```json
[
  {"criterion": "clarity", "action": "add", "text": "Penalize unexplained jargon.",
   "rationale": "The judge over-rated a dense review."},
  {"criterion": "clarity", "action": "remove", "text": "Be generous.",
   "rationale": "Inflates scores."}
]
```)";
  const ParsedEdits p = ParseEditList(reply, "clarity");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 2u);
  EXPECT_EQ(p.edits[0], (Edit{"clarity", A::kAdd, "Penalize unexplained jargon.",
                              "The judge over-rated a dense review."}));
  EXPECT_EQ(p.edits[1].action, A::kRemove);
  EXPECT_EQ(p.edits[1].text, "Be generous.");
  EXPECT_TRUE(p.rejected.empty());
  EXPECT_EQ(p.named_criteria, (std::vector<std::string>{"", ""}));
}

TEST(EditListParseTest, BareListWithProseAroundItAndNoFence) {
  const std::string reply =
      "Here are my edits: [{\"action\": \"add\", \"text\": \"Check the tone of address.\"}] I hope "
      "this helps [really].";
  const ParsedEdits p = ParseEditList(reply, "tone");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].criterion,
            "tone");  // no criterion given: the reply's own
  EXPECT_EQ(p.edits[0].rationale, "");
}

TEST(EditListParseTest, EditsWrappedInAnObject) {
  const ParsedEdits p = ParseEditList(
      R"({"edits": [{"criterion": "tone", "action": "rephrase", "text": "Rate politeness."}]})",
      "tone");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].action, A::kRephrase);
}

TEST(EditListParseTest, ASingleEditObjectWithoutAList) {
  const ParsedEdits p = ParseEditList(
      "```json\n{\"criterion\": \"accuracy\", \"action\": \"add\", \"text\": \"Verify prices.\", "
      "\"reason\": \"A wrong price went unnoticed.\"}\n```",
      "accuracy");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].rationale,
            "A wrong price went unnoticed.");  // "reason" synonym
}

TEST(EditListParseTest, CurlyQuotesAndTrailingCommasAreRepaired) {
  const std::string open = "\xE2\x80\x9C", close = "\xE2\x80\x9D";  // curly double quotes
  const std::string reply = "[{" + open + "action" + close + ": " + open + "add" + close + ", " +
                            open + "text" + close + ": " + open + "Name the product." + close +
                            ",},]";
  const ParsedEdits p = ParseEditList(reply, "clarity");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].text, "Name the product.");
}

TEST(EditListParseTest, TrailingCommaAndRawLineBreakInsideAString) {
  const ParsedEdits p = ParseEditList(
      "```\n[\n  {\"action\": \"add\", \"text\": \"Ask whether the review\nanswers the "
      "question.\", \"rationale\": \"It did not.\"},\n]\n```",
      "helpfulness");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].text, "Ask whether the review answers the question.");
}

TEST(EditListParseTest, UnknownActionsMissingTextsAndStrayEntriesAreRejectedTheRestKept) {
  const ParsedEdits p = ParseEditList(
      R"([{"action": "merge", "text": "x"}, {"action": "add"}, {"text": "y"},
          {"action": "Insert", "text": "Count the steps."}, {"action": " DELETE ", "text": "z"},
          {"action": "reword", "text": "w"}, "a bare string"])",
      "clarity");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 3u);
  EXPECT_EQ(p.edits[0].action, A::kAdd);
  EXPECT_EQ(p.edits[0].text, "Count the steps.");
  EXPECT_EQ(p.edits[1].action, A::kRemove);
  EXPECT_EQ(p.edits[2].action, A::kRephrase);
  ASSERT_EQ(p.rejected.size(), 4u);
  EXPECT_EQ(p.rejected[0].index, 0);
  EXPECT_EQ(p.rejected[0].reason, "unknown action 'merge'");
  EXPECT_EQ(p.rejected[1].reason, "no text");
  EXPECT_EQ(p.rejected[2].reason, "no action");
  EXPECT_EQ(p.rejected[3].index, 6);
  EXPECT_EQ(p.rejected[3].reason, "not an object");
}

TEST(EditListParseTest, EditsNamingAnotherOrAnUnknownCriterionStayWithTheReplysCriterion) {
  const ParsedEdits p = ParseEditList(
      R"([{"criterion": "Tone", "action": "add", "text": "a"},
          {"criterion": "clarity", "action": "add", "text": "b"},
          {"criterion": "style", "action": "add", "text": "c"}])",
      "tone");
  ASSERT_EQ(p.edits.size(), 3u);
  for (const Edit& e : p.edits) EXPECT_EQ(e.criterion, "tone");
  EXPECT_EQ(p.named_criteria, (std::vector<std::string>{"", "clarity", "style"}));
}

TEST(EditListParseTest, AnEmptyListIsAnAnswerNotAFailure) {
  const ParsedEdits p = ParseEditList(std::string(kParagraphs) + "\n\n```json\n[]\n```", "clarity");
  EXPECT_TRUE(p.list_found);
  EXPECT_TRUE(p.edits.empty());
  EXPECT_TRUE(p.rejected.empty());
}

TEST(EditListParseTest, FreeTextOnlyOrACutOffListFindsNoList) {
  EXPECT_FALSE(ParseEditList(kParagraphs, "clarity").list_found);
  EXPECT_FALSE(ParseEditList("", "clarity").list_found);
  const ParsedEdits cut = ParseEditList(
      std::string(kParagraphs) + "\n\n```json\n[{\"action\": \"add\", \"text\": \"Pen", "clarity");
  EXPECT_FALSE(cut.list_found);
  // Cut after a complete first edit: the fragment is not taken for the whole list.
  const ParsedEdits fragment = ParseEditList(
      "[{\"action\": \"add\", \"text\": \"A.\"}, {\"action\": \"add\", \"text\":", "clarity");
  EXPECT_FALSE(fragment.list_found);
}

TEST(EditListParseTest, BracketsInProseBeforeTheListAreSkipped) {
  const ParsedEdits p = ParseEditList(
      "As noted in [1] and {see above}, I suggest:\n"
      R"([{"action": "add", "text": "Mention the audience."}])",
      "clarity");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].text, "Mention the audience.");
}

TEST(EditListParseTest, AListNestedInAnUnrelatedObjectIsFound) {
  const ParsedEdits p = ParseEditList(
      R"({"analysis": "too lenient", "proposal": [{"op": "add", "content": ["Check", "units."]}]})",
      "accuracy");
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].text,
            "Check units.");  // "op", and "content" as a list of strings
}

TEST(EditListParseTest, PythonStyleSingleQuotesAreNotGuessedAt) {
  EXPECT_FALSE(ParseEditList("[{'action': 'add', 'text': 'x'}]", "clarity").list_found);
}

TEST(EditListParseTest, TheFirstFenceWithAListWins) {
  const ParsedEdits p = ParseEditList(
      "```python\nprint('hi')\n```\n\n```json\n[{\"action\": \"remove\", \"text\": "
      "\"A\"}]\n```\n```json\n[{\"action\": \"add\", \"text\": \"B\"}]\n```",
      "clarity");
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(p.edits[0].text, "A");
}

TEST(EditListParseTest, RepairJsonStraightensQuotesAndDropsTrailingCommas) {
  EXPECT_EQ(RepairJson("[1, 2, ]"), "[1, 2 ]");
  EXPECT_EQ(RepairJson("{\"a\": \"x, ]\",}"),
            "{\"a\": \"x, ]\"}");  // not inside strings
  EXPECT_EQ(RepairJson("\xE2\x80\x9Cq\xE2\x80\x9D"), "\"q\"");
}

TEST(EditListRenderTest, EachActionReadsAsAnInstructionToTheOptimizer) {
  EXPECT_EQ(RenderEdit({"tone", A::kAdd, "Check politeness.", "It was rude."}),
            "Add to the instruction for 'tone': Check politeness. (reason: It was rude.)");
  EXPECT_EQ(RenderEdit({"tone", A::kRemove, "Be lenient.", ""}),
            "Remove from the instruction for 'tone': Be lenient.");
  EXPECT_EQ(RenderEdit({"tone", A::kRephrase, "Rate\nthe register.", ""}),
            "Rephrase the instruction for 'tone' as: Rate the register.");
}

TEST(EditListRequestTest, TheStructuredGradientPromptIsTheSeparateOneWithTheRequest) {
  JudgedSample sample;
  sample.inputs = {{"Review", "Fine."}};
  sample.predictions = {{"clarity", Score{3, ""}}};
  const std::string plain = GradientPromptSeparate("SYS", sample, "clarity", "Too high.", "Rate.");
  const std::string structured =
      GradientPromptStructured("SYS", sample, "clarity", "Too high.", "Rate.");
  EXPECT_EQ(structured, plain + "\n\n" + EditListRequest("clarity"));
  EXPECT_TRUE(AsksForEditList(structured));
  EXPECT_FALSE(AsksForEditList(plain));
  // Still read as a separate gradient prompt for the same criterion.
  const PromptLayout layout = ReadPromptLayout(structured);
  EXPECT_EQ(layout.kind, PromptKind::kGradientSeparate);
  EXPECT_EQ(layout.criteria, (std::vector<std::string>{"clarity"}));
}

}  // namespace
}  // namespace judgeopt::prompts
