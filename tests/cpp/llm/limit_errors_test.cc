// Refusals over a context or token limit: recognized in each provider's words, renamed to name
// the role, model, max_tokens, prompt estimate and the change; the truncation warning.

#include "judgeopt/llm/limit_errors.h"

#include <gtest/gtest.h>

#include "judgeopt/llm/tripwire.h"

namespace judgeopt::llm {
namespace {

Error Refusal(int status, const std::string& server_says) {
  Error e(ErrorCode::kBadRequest, "HTTP " + std::to_string(status) +
                                      " from http://h/v1: server says: " + server_says);
  e.http_status = status;
  return e;
}

ChatRequest Req(std::size_t prompt_bytes = 4000) {
  ChatRequest r;
  r.model = "m";
  r.max_tokens = 16384;
  r.messages.push_back({"user", std::string(prompt_bytes, 'x')});
  return r;
}

TEST(LimitErrorsTest, RecognizesEachProvidersWords) {
  const char* context[] = {
      "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens "
      "(900 in the messages, 4100 in the completion). Please reduce the length.",
      "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048. Given: 3474 "
      "`inputs` tokens and 60 `max_new_tokens`",
      "the request exceeds the available context size. try increasing the context size or "
      "enable context shift",
      "prompt is too long: 210000 tokens > 200000 maximum",
      "{\"code\":\"context_length_exceeded\"}"};
  for (const char* m : context) EXPECT_EQ(ClassifyLimitMessage(m), LimitKind::kContext) << m;
  const char* cap[] = {"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]",
                       "Requests with max_tokens > 4096 must have stream=true"};
  for (const char* m : cap) EXPECT_EQ(ClassifyLimitMessage(m), LimitKind::kTokenCap) << m;
  EXPECT_FALSE(ClassifyLimitMessage("Unsupported parameter: 'max_tokens'").has_value());
  EXPECT_FALSE(ClassifyLimitMessage("model not found").has_value());
}

TEST(LimitErrorsTest, ReadsTheLargestAcceptedValue) {
  EXPECT_EQ(StatedTokenCap("Invalid max_tokens value, the valid range of max_tokens is [1, 8192]"),
            8192);
  EXPECT_EQ(StatedTokenCap("Requests with max_tokens > 4096 must have stream=true"), 4096);
  EXPECT_EQ(StatedTokenCap("max_tokens is too large: 20000. This model supports at most 4096 "
                           "completion tokens"),
            4096);
  EXPECT_FALSE(StatedTokenCap("max_tokens is too large").has_value());
}

TEST(LimitErrorsTest, ContextRefusalNamesRoleModelMaxTokensEstimateAndChange) {
  std::optional<Error> named = NameLimitError(
      Role::kOptimizer, Req(),
      Refusal(400, "This model's maximum context length is 8192 tokens. However, you requested "
                   "17400 tokens"));
  ASSERT_TRUE(named.has_value());
  EXPECT_EQ(named->code, ErrorCode::kBadRequest);
  EXPECT_FALSE(named->retryable());
  const std::string& m = named->message;
  EXPECT_NE(m.find("llm.optimizer (model 'm')"), std::string::npos) << m;
  EXPECT_NE(m.find("max_tokens = 16384"), std::string::npos) << m;
  EXPECT_NE(m.find("prompt about 1004 tokens"), std::string::npos) << m;
  EXPECT_NE(m.find("lower max_tokens under [llm.optimizer]"), std::string::npos) << m;
  EXPECT_NE(m.find("raise the server's context length"), std::string::npos) << m;
  EXPECT_NE(m.find("maximum context length is 8192"), std::string::npos) << m;
}

TEST(LimitErrorsTest, CapRefusalSuggestsTheLargestAcceptedValue) {
  std::optional<Error> named = NameLimitError(
      Role::kOptimizer, Req(),
      Refusal(400, "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]"));
  ASSERT_TRUE(named.has_value());
  EXPECT_NE(named->message.find("set max_tokens = 8192 under [llm.optimizer]"), std::string::npos)
      << named->message;
}

TEST(LimitErrorsTest, OnlyRefusalStatusesAndLlamaCppsContextFiveHundred) {
  const std::string words = "the request exceeds the available context size";
  EXPECT_TRUE(NameLimitError(Role::kJudge, Req(), Refusal(422, words)).has_value());
  EXPECT_TRUE(NameLimitError(Role::kJudge, Req(), Refusal(413, words)).has_value());
  EXPECT_TRUE(NameLimitError(Role::kJudge, Req(), Refusal(500, words)).has_value());
  EXPECT_FALSE(
      NameLimitError(Role::kJudge, Req(), Refusal(500, "prompt is too long")).has_value());
  EXPECT_FALSE(NameLimitError(Role::kJudge, Req(), Refusal(503, words)).has_value());
  EXPECT_FALSE(NameLimitError(Role::kJudge, Req(), Refusal(400, "bad json")).has_value());
}

TEST(LimitErrorsTest, LimitRefusalsWithDifferentNumbersTripTheTripwire) {
  Tripwire wire(Role::kJudge);
  for (int tokens : {5000, 5100, 5200}) {
    const Error e = Refusal(400, "This model's maximum context length is 4096 tokens. However, "
                                 "you requested " + std::to_string(tokens) + " tokens");
    wire.Observe(Req(), *NameLimitError(Role::kJudge, Req(), e));
  }
  ASSERT_TRUE(wire.Tripped().has_value());
  EXPECT_NE(wire.Tripped()->message.find("lower max_tokens under [llm.judge]"), std::string::npos);
}

TEST(LimitErrorsTest, WarnsWhenTheServerCountsFarFewerPromptTokens) {
  ChatResponse reply;
  reply.usage.prompt_tokens = 2048;
  const ChatRequest big = Req(40000);  // about 10000 tokens
  std::optional<std::string> warning = TruncationWarning(Role::kJudge, big, reply);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("llm.judge (model 'm')"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("num_ctx"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("LM Studio"), std::string::npos) << *warning;
  reply.usage.prompt_tokens = 6000;
  EXPECT_FALSE(TruncationWarning(Role::kJudge, big, reply).has_value()) << "over half";
  reply.usage.prompt_tokens = 10;
  EXPECT_FALSE(TruncationWarning(Role::kJudge, Req(400), reply).has_value()) << "short prompt";
  reply.usage.estimated = true;
  EXPECT_FALSE(TruncationWarning(Role::kJudge, big, reply).has_value()) << "not reported";
}

}  // namespace
}  // namespace judgeopt::llm
