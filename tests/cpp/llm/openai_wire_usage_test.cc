// The usage details of a chat-completions reply (issue 16): total_tokens,
// prompt_tokens_details.cached_tokens and completion_tokens_details.reasoning_tokens are read when
// present; absent or malformed ones read as unknown (total = prompt + completion, 0 cached and
// reasoning) and never fail the reply.

#include <gtest/gtest.h>

#include <string>

#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

Usage UsageOf(const std::string& usage_json) {
  ChatRequest request;
  request.model = "m";
  request.messages = {{"user", "0123456789ab"}};
  const std::string body =
      R"({"choices":[{"message":{"role":"assistant","content":"abcdefgh"},)"
      R"("finish_reason":"stop"}],"usage":)" +
      usage_json + "}";
  auto r = ParseChatResponse(body, request);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? r->usage : Usage{};
}

TEST(ReplyUsageTest, OpenAiReasoningReplyReadsEveryDetail) {
  // The shape OpenAI documents: reasoning tokens are part of completion_tokens.
  Usage u = UsageOf(R"({"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500,
      "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
      "completion_tokens_details": {"reasoning_tokens": 256, "audio_tokens": 0}})");
  EXPECT_EQ(u.prompt_tokens, 1200);
  EXPECT_EQ(u.completion_tokens, 300);
  EXPECT_EQ(u.total_tokens, 1500);
  EXPECT_EQ(u.cached_tokens, 1024);
  EXPECT_EQ(u.reasoning_tokens, 256);
  EXPECT_FALSE(u.estimated);
  EXPECT_FALSE(u.ReasoningOutsideCompletion());
  EXPECT_EQ(u.BilledOutputTokens(), 300);
}

TEST(ReplyUsageTest, ReasoningCountedOutsideCompletionIsAddedToTheBilledOutput) {
  Usage u = UsageOf(R"({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 170,
      "completion_tokens_details": {"reasoning_tokens": 50}})");
  EXPECT_TRUE(u.ReasoningOutsideCompletion());
  EXPECT_EQ(u.BilledOutputTokens(), 70);
}

TEST(ReplyUsageTest, AbsentDetailsReadAsUnknown) {
  Usage u = UsageOf(R"({"prompt_tokens": 9, "completion_tokens": 12})");
  EXPECT_EQ(u.total_tokens, 21);
  EXPECT_EQ(u.cached_tokens, 0);
  EXPECT_EQ(u.reasoning_tokens, 0);
  EXPECT_FALSE(u.estimated);
  EXPECT_EQ(u.BilledOutputTokens(), 12);
}

TEST(ReplyUsageTest, MalformedDetailsAreIgnoredNotFatal) {
  for (const char* usage : {
           R"({"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": "21",
               "prompt_tokens_details": null, "completion_tokens_details": 7})",
           R"({"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": -1,
               "prompt_tokens_details": {"cached_tokens": "many"},
               "completion_tokens_details": {"reasoning_tokens": 2.5}})",
           R"({"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": null,
               "prompt_tokens_details": [1],
               "completion_tokens_details": {"reasoning_tokens": -4}})"}) {
    Usage u = UsageOf(usage);
    EXPECT_EQ(u.prompt_tokens, 9) << usage;
    EXPECT_EQ(u.completion_tokens, 12) << usage;
    EXPECT_EQ(u.total_tokens, 21) << usage;
    EXPECT_EQ(u.cached_tokens, 0) << usage;
    EXPECT_EQ(u.reasoning_tokens, 0) << usage;
    EXPECT_FALSE(u.estimated) << usage;
  }
}

TEST(ReplyUsageTest, MalformedRequiredCountsAreEstimatedWithAConsistentTotal) {
  Usage u = UsageOf(R"({"prompt_tokens": "9", "completion_tokens": 12, "total_tokens": 99,
      "completion_tokens_details": {"reasoning_tokens": 50}})");
  EXPECT_TRUE(u.estimated);
  EXPECT_EQ(u.completion_tokens, 2);  // "abcdefgh": 8 bytes / 4
  EXPECT_EQ(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  EXPECT_EQ(u.reasoning_tokens, 0);
}

TEST(ReplyUsageTest, DeepSeekCacheHitsAreReadWhenCachedTokensAreAbsent) {
  Usage u = UsageOf(R"({"prompt_tokens": 500, "completion_tokens": 10, "total_tokens": 510,
      "prompt_cache_hit_tokens": 448, "prompt_cache_miss_tokens": 52})");
  EXPECT_EQ(u.cached_tokens, 448);
}

// ParseUsage reads a usage object that came another way (a python role's reply) exactly as a
// reply's: the same counts as ParseChatResponse, and the same estimate without one.
TEST(ReplyUsageTest, ParseUsageReadsAUsageObjectAsAReplysIsRead) {
  const std::string usage = R"({"prompt_tokens": 1200, "completion_tokens": 300,
      "prompt_tokens_details": {"cached_tokens": 1024}})";
  ChatRequest request;
  request.messages = {{"user", "0123456789ab"}};
  const Usage direct = ParseUsage(usage, request, "abcdefgh");
  const Usage wire = UsageOf(usage);
  EXPECT_EQ(direct.prompt_tokens, wire.prompt_tokens);
  EXPECT_EQ(direct.cached_tokens, 1024);
  EXPECT_EQ(direct.total_tokens, 1500);
  EXPECT_FALSE(direct.estimated);
  for (const std::string none : {"", "not json", "[1, 2]", R"({"completion_tokens": 3})"}) {
    const Usage estimated = ParseUsage(none, request, "abcdefgh");
    EXPECT_TRUE(estimated.estimated) << none;
    EXPECT_EQ(estimated.completion_tokens, 2) << none;
    EXPECT_EQ(estimated.prompt_tokens, ApproxPromptTokens(request)) << none;
  }
}

}  // namespace
}  // namespace judgeopt::llm
