// Tripwire: which first failures trip a role, what the tripped error says, and what resets it.

#include "judgeopt/llm/tripwire.h"

#include <gtest/gtest.h>

namespace judgeopt::llm {
namespace {

Error HttpFailure(int status, ErrorCode code, std::string message) {
  Error e(code, std::move(message));
  e.http_status = status;
  return e;
}

Error Refused() {
  Error e(ErrorCode::kUnavailable, "POST http://127.0.0.1:9/v1/chat/completions: refused");
  e.not_connected = true;
  return e;
}

ChatRequest Req() {
  ChatRequest r;
  r.model = "o-mini";
  return r;
}

const Error kMaxTokens = HttpFailure(
    400, ErrorCode::kBadRequest,
    "HTTP 400 from http://h/v1: server says: Unsupported parameter: 'max_tokens' is not supported "
    "with this model. Use 'max_completion_tokens' instead.");

TEST(TripwireTest, ThreeIdenticalRefusalsTripWithRoleModelMessageAndSetting) {
  Tripwire wire(Role::kJudge);
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), kMaxTokens);
  EXPECT_FALSE(wire.Tripped().has_value());
  wire.Observe(Req(), kMaxTokens);
  std::optional<Error> tripped = wire.Tripped();
  ASSERT_TRUE(tripped.has_value());
  EXPECT_EQ(tripped->code, ErrorCode::kCancelled);
  EXPECT_FALSE(tripped->retryable());
  const std::string& m = tripped->message;
  EXPECT_NE(m.find("llm.judge (model 'o-mini')"), std::string::npos) << m;
  EXPECT_NE(m.find("Unsupported parameter: 'max_tokens'"), std::string::npos) << m;
  EXPECT_NE(m.find("rejects the parameter 'max_tokens'"), std::string::npos) << m;
  EXPECT_NE(m.find("[llm.judge] max_tokens"), std::string::npos) << m;
  EXPECT_NE(m.find("[llm.judge] token_param = \"max_completion_tokens\""), std::string::npos) << m;
}

TEST(TripwireTest, ASuccessDisarmsForGood) {
  Tripwire wire(Role::kLoss);
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), ChatResponse{});
  for (int i = 0; i < 10; ++i) wire.Observe(Req(), kMaxTokens);
  EXPECT_FALSE(wire.Tripped().has_value());
}

TEST(TripwireTest, DifferentOrRetryableFailuresBreakTheRun) {
  Tripwire wire(Role::kJudge);
  const Error other = HttpFailure(400, ErrorCode::kBadRequest, "context length 9000 > 8192");
  const Error busy = HttpFailure(503, ErrorCode::kUnavailable, "busy");
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), other);
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), busy);
  wire.Observe(Req(), kMaxTokens);
  wire.Observe(Req(), kMaxTokens);
  EXPECT_FALSE(wire.Tripped().has_value());
  wire.Observe(Req(), kMaxTokens);
  EXPECT_TRUE(wire.Tripped().has_value());
}

TEST(TripwireTest, ConnectionFailuresTripNamingTheUrlAndTheSetting) {
  Tripwire wire(Role::kOptimizer);
  for (int i = 0; i < kTripwireThreshold; ++i) wire.Observe(Req(), Refused());
  std::optional<Error> tripped = wire.Tripped();
  ASSERT_TRUE(tripped.has_value());
  EXPECT_TRUE(tripped->not_connected);
  EXPECT_NE(tripped->message.find("cannot connect"), std::string::npos) << tripped->message;
  EXPECT_NE(tripped->message.find("http://127.0.0.1:9/v1"), std::string::npos);
  EXPECT_NE(tripped->message.find("[llm.optimizer] base_url"), std::string::npos);
}

TEST(TripwireTest, ATimeoutIsNotSystematic) {
  Tripwire wire(Role::kJudge);
  for (int i = 0; i < 10; ++i) wire.Observe(Req(), Error(ErrorCode::kTimeout, "timed out"));
  EXPECT_FALSE(wire.Tripped().has_value());
}

TEST(ParameterAdviceTest, NamesTheFirstQuotedParameterAndItsSetting) {
  EXPECT_NE(ParameterAdvice(Role::kJudge, kMaxTokens.message).find("[llm.judge] max_tokens"),
            std::string::npos);
  const std::string gemini = ParameterAdvice(Role::kGradient, R"(Unknown name "temperature")");
  EXPECT_NE(gemini.find("[llm.gradient] temperature"), std::string::npos) << gemini;
  EXPECT_NE(ParameterAdvice(Role::kJudge, "Unrecognized request argument `user`")
                .find("[llm.judge] extra_body"),
            std::string::npos);
  // A bare word is not a parameter: "user" appears in ordinary messages.
  EXPECT_EQ(ParameterAdvice(Role::kJudge, "the user message is too long"), "");
}

}  // namespace
}  // namespace judgeopt::llm
