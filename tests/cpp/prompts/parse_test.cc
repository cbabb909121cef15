// Parsers of the optimizer's replies: the combined JSON reply (reference-protocol §4.6 steps 1-5,
// plus our lenient repairs) and the separate plain-text reply.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "judgeopt/prompts/parse.h"

namespace judgeopt::prompts {
namespace {

const std::vector<std::string> kExpected = {"fluency", "coherence"};

// The reply's instructions as a map, or an "error: ..." entry.
std::map<std::string, std::string> Parsed(const std::string& reply,
                                          CombinedParseOptions options = {}) {
  auto r = ParseCombinedReply(reply, kExpected, options);
  if (!r.ok()) return {{"error", r.error().message}};
  std::map<std::string, std::string> out;
  for (const Instruction& i : r->found) out[i.criterion] = i.text;
  for (const std::string& m : r->missing) out[m] = "<missing>";
  return out;
}

using Map = std::map<std::string, std::string>;
const Map kAB = {{"fluency", "A"}, {"coherence", "B"}};

TEST(PromptsCombinedParse, CleanJson) {
  EXPECT_EQ(Parsed(R"({"instructions": {"fluency": "A", "coherence": "B"}})"), kAB);
}

TEST(PromptsCombinedParse, ProseAroundTheObject) {
  EXPECT_EQ(Parsed("Sure! Here you go:\n{\"instructions\": {\"fluency\": \"A\", \"coherence\": "
                   "\"B\"}}\nHope this helps."),
            kAB);
}

TEST(PromptsCombinedParse, JsonFence) {
  EXPECT_EQ(Parsed("```json\n{\"instructions\": {\"fluency\": \"A\", \"coherence\": \"B\"}}\n```"),
            kAB);
}

TEST(PromptsCombinedParse, FenceBodyWinsOverBracesOutsideIt) {
  EXPECT_EQ(Parsed("Use {braces} wisely.\n```\n{\"fluency\": \"A\", \"coherence\": \"B\"}\n```\n"
                   "Done {really}."),
            kAB);
}

TEST(PromptsCombinedParse, DoubledBraces) {
  EXPECT_EQ(Parsed(R"({{"instructions": {{"fluency": "A", "coherence": "B"}}}})"), kAB);
}

TEST(PromptsCombinedParse, NestedObjectsAreFlattened) {
  EXPECT_EQ(Parsed(R"({"instructions": {"fluency": {"focus": "Check grammar.",
                   "scale": {"low": "1 = broken", "high": "5 = flawless"}}, "coherence": "B"}})"),
            (Map{{"fluency", "Check grammar. 1 = broken 5 = flawless"}, {"coherence", "B"}}));
}

TEST(PromptsCombinedParse, SingularInstructionKey) {
  EXPECT_EQ(Parsed(R"({"instruction": {"fluency": "A", "coherence": "B"}})"), kAB);
}

TEST(PromptsCombinedParse, TopLevelObject) {
  EXPECT_EQ(Parsed(R"({"fluency": "A", "coherence": "B"})"), kAB);
}

TEST(PromptsCombinedParse, TopLevelWithOtherValueTypesIsNoInstructionObject) {
  EXPECT_EQ(Parsed(R"({"fluency": "A", "score": 3})").count("error"), 1u);
}

TEST(PromptsCombinedParse, MissingCriterionIsReported) {
  auto r = ParseCombinedReply(R"({"instructions": {"fluency": "A"}})", kExpected);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->found.size(), 1u);
  EXPECT_EQ(r->found[0].criterion, "fluency");
  EXPECT_EQ(r->missing, std::vector<std::string>{"coherence"});
}

TEST(PromptsCombinedParse, UnexpectedKeysAreDropped) {
  EXPECT_EQ(Parsed(R"({"instructions": {"fluency": "A", "style": "C", "coherence": "B"}})"), kAB);
}

TEST(PromptsCombinedParse, CurlyQuotesAroundTheObject) {
  EXPECT_EQ(Parsed("\xE2\x80\x9C{\"fluency\": \"A\", \"coherence\": \"B\"}\xE2\x80\x9D"), kAB);
}

TEST(PromptsCombinedParse, CurlyQuotesInsideAreRepairedOnlyWhenLenient) {
  const std::string reply =
      "{\xE2\x80\x9C"
      "fluency\xE2\x80\x9D: \xE2\x80\x9C"
      "A\xE2\x80\x9D, \xE2\x80\x9C"
      "coherence\xE2\x80\x9D: \xE2\x80\x9C"
      "B\xE2\x80\x9D}";
  EXPECT_EQ(Parsed(reply), kAB);
  EXPECT_EQ(Parsed(reply, {.lenient = false}).count("error"), 1u);
}

TEST(PromptsCombinedParse, UnquotedPlaceholderIsInvalidJson) {
  EXPECT_EQ(Parsed(R"({"fluency": <instruction>, "coherence": "B"})"),
            (Map{{"error", "optimizer reply is not valid JSON"}}));
}

TEST(PromptsCombinedParse, EchoedPlaceholderCountsAsMissingWhenLenient) {
  const std::string reply =
      R"({"instructions": {"fluency": "<improved instruction for fluency>", "coherence": "B"}})";
  EXPECT_EQ(Parsed(reply), (Map{{"fluency", "<missing>"}, {"coherence", "B"}}));
  EXPECT_EQ(Parsed(reply, {.lenient = false}),
            (Map{{"fluency", "<improved instruction for fluency>"}, {"coherence", "B"}}));
}

TEST(PromptsCombinedParse, EmptyAndBlankRepliesAreErrors) {
  EXPECT_EQ(Parsed(""), (Map{{"error", "optimizer reply is empty"}}));
  EXPECT_EQ(Parsed(" \n\t "), (Map{{"error", "optimizer reply is empty"}}));
}

TEST(PromptsCombinedParse, NoJsonIsAnError) {
  EXPECT_EQ(Parsed("I cannot help with that."),
            (Map{{"error", "optimizer reply holds no JSON object"}}));
  EXPECT_EQ(Parsed("} backwards {").count("error"), 1u);
}

TEST(PromptsCombinedParse, RawNewlinesInsideStringsBecomeSpaces) {
  EXPECT_EQ(Parsed("{\"fluency\": \"Line one\nline two\", \"coherence\": \"B\"}"),
            (Map{{"fluency", "Line one line two"}, {"coherence", "B"}}));
}

TEST(PromptsCombinedParse, OtherValueTypesAreStringified) {
  EXPECT_EQ(Parsed(R"({"instructions": {"fluency": 5, "coherence": ["Be", "brief."]}})"),
            (Map{{"fluency", "5"}, {"coherence", "Be brief."}}));
}

TEST(PromptsCombinedParse, NoExpectedCriterionIsAnError) {
  const auto r = ParseCombinedReply(R"({"instructions": {"style": "C"}})", kExpected);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kParse);
  EXPECT_NE(r.error().message.find("fluency, coherence"), std::string::npos);
}

TEST(PromptsCombinedParse, KeysMatchCaseInsensitivelyOnlyWhenLenient) {
  const std::string reply = R"({"instructions": {"Fluency ": "A", "coherence": "B"}})";
  EXPECT_EQ(Parsed(reply), kAB);
  EXPECT_EQ(Parsed(reply, {.lenient = false}), (Map{{"fluency", "<missing>"}, {"coherence", "B"}}));
}

TEST(PromptsCombinedParse, BlankValueIsMissing) {
  EXPECT_EQ(Parsed(R"({"fluency": "   ", "coherence": " B "})"),
            (Map{{"fluency", "<missing>"}, {"coherence", "B"}}));
}

TEST(PromptsCombinedParse, VerbatimStyleReplyWithThinkingAndFence) {
  const std::string reply =
      "Looking at the feedback, fluency needs grammar cues and coherence needs structure.\n\n"
      "```json\n{\n  \"instructions\": {\n    \"fluency\": \"Rate 1-5; penalise grammar "
      "errors.\",\n"
      "    \"coherence\": \"Rate 1-5; reward a clear structure.\"\n  }\n}\n```\n";
  EXPECT_EQ(Parsed(reply), (Map{{"fluency", "Rate 1-5; penalise grammar errors."},
                                {"coherence", "Rate 1-5; reward a clear structure."}}));
}

// ---- separate ------------------------------------------------------------------------------

std::string Sep(const std::string& reply, SeparateParseOptions options = {}) {
  auto r = ParseSeparateReply(reply, options);
  return r.ok() ? *r : "error: " + r.error().message;
}

TEST(PromptsSeparateParse, PlainTextIsTrimmed) {
  EXPECT_EQ(Sep("  Rate grammar and flow.\n"), "Rate grammar and flow.");
}

TEST(PromptsSeparateParse, SurroundingQuotesAreStripped) {
  EXPECT_EQ(Sep("\"Rate grammar.\""), "Rate grammar.");
  EXPECT_EQ(Sep("'Rate grammar.'"), "Rate grammar.");
  EXPECT_EQ(Sep("\xE2\x80\x9CRate grammar.\xE2\x80\x9D"), "Rate grammar.");
  EXPECT_EQ(Sep("\" 'Rate grammar.' \""), "Rate grammar.");
  // A quote at one end only is part of the text.
  EXPECT_EQ(Sep("'Fluent' means natural."), "'Fluent' means natural.");
}

TEST(PromptsSeparateParse, PreambleLineIsDroppedByDefaultAndKeptForThePaper) {
  const std::string reply = "Here is the improved instruction for 'fluency':\n\nRate grammar.";
  EXPECT_EQ(Sep(reply), "Rate grammar.");
  EXPECT_EQ(Sep(reply, {.strip_preamble = false}), reply);
}

TEST(PromptsSeparateParse, InlineAndBoldLabelsAreDropped) {
  EXPECT_EQ(Sep("Improved instruction: \"Rate grammar.\""), "Rate grammar.");
  EXPECT_EQ(Sep("**Revised Instruction:** Rate grammar."), "Rate grammar.");
}

TEST(PromptsSeparateParse, ColonsThatBelongToTheInstructionStay) {
  EXPECT_EQ(Sep("Fluency: rate grammar and word choice."),
            "Fluency: rate grammar and word choice.");
  EXPECT_EQ(Sep("Instruction for fluency: rate grammar."),
            "Instruction for fluency: rate grammar.");
  EXPECT_EQ(Sep("Where instructions conflict: prefer the source."),
            "Where instructions conflict: prefer the source.");
}

TEST(PromptsSeparateParse, WholeReplyFenceIsRemovedByDefault) {
  EXPECT_EQ(Sep("```text\nRate grammar.\n```"), "Rate grammar.");
  EXPECT_EQ(Sep("```\nRate grammar.\n```", {.strip_preamble = false}), "```\nRate grammar.\n```");
}

TEST(PromptsSeparateParse, EmptyIsAnError) {
  EXPECT_EQ(Sep(""), "error: optimizer reply is empty");
  EXPECT_EQ(Sep("  \"\"  "), "error: optimizer reply is empty");
  EXPECT_EQ(Sep("''", {.strip_preamble = false}), "error: optimizer reply is empty");
}

}  // namespace
}  // namespace judgeopt::prompts
