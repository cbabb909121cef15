// The mid-run circuit breaker: which failures count, when it opens, what its error says. Time
// moves only through a FakeClock.

#include "judgeopt/llm/circuit_breaker.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include "judgeopt/llm/tripwire.h"

namespace judgeopt::llm {
namespace {

Error Failure(int status, ErrorCode code) {
  Error e(code, "HTTP " + std::to_string(status) + " from http://h/v1: server says: down");
  e.http_status = status;
  return e;
}

const Error kDown = Failure(503, ErrorCode::kUnavailable);

ChatRequest Req() {
  ChatRequest r;
  r.model = "m";
  return r;
}

struct Fixture {
  fakes::FakeClock clock;
  Tripwire wire{Role::kGradient, BreakerSettings{&clock, 60.0, "openai http://h/v1"}};
};

TEST(CircuitBreakerTest, OpensWhenEveryAttemptFailsForTheWindowAfterASuccess) {
  Fixture f;
  f.wire.Observe(Req(), ChatResponse{});
  for (int i = 0; i < 5; ++i) {
    f.wire.Observe(Req(), kDown);
    f.clock.Advance(10.0);
  }
  EXPECT_FALSE(f.wire.Tripped().has_value()) << "50 s of failures, window 60 s";
  f.clock.Advance(10.0);
  f.wire.Observe(Req(), kDown);
  std::optional<Error> open = f.wire.Tripped();
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->code, ErrorCode::kCancelled);
  EXPECT_FALSE(open->retryable());
  const std::string& m = open->message;
  EXPECT_NE(m.find("llm.gradient (model 'm')"), std::string::npos) << m;
  EXPECT_NE(m.find("openai http://h/v1"), std::string::npos) << m;
  EXPECT_NE(m.find("circuit_breaker_s = 60"), std::string::npos) << m;
  EXPECT_NE(m.find("last failure: HTTP 503"), std::string::npos) << m;
}

TEST(CircuitBreakerTest, ASuccessEndsTheStreak) {
  Fixture f;
  f.wire.Observe(Req(), ChatResponse{});
  f.wire.Observe(Req(), kDown);
  f.clock.Advance(59.0);
  f.wire.Observe(Req(), kDown);
  f.wire.Observe(Req(), ChatResponse{});
  f.clock.Advance(30.0);
  f.wire.Observe(Req(), kDown);
  f.wire.Observe(Req(), kDown);
  f.clock.Advance(30.0);
  f.wire.Observe(Req(), kDown);
  EXPECT_FALSE(f.wire.Tripped().has_value()) << "the streak began 30 s ago";
}

TEST(CircuitBreakerTest, RefusalsOfSingleRequestsNeitherCountNorReset) {
  Fixture f;
  f.wire.Observe(Req(), ChatResponse{});
  f.wire.Observe(Req(), kDown);
  f.wire.Observe(Req(), Failure(400, ErrorCode::kBadRequest));
  f.clock.Advance(61.0);
  f.wire.Observe(Req(), Failure(400, ErrorCode::kBadRequest));
  EXPECT_FALSE(f.wire.Tripped().has_value()) << "a 400 does not count";
  f.wire.Observe(Req(), Failure(429, ErrorCode::kRateLimited));
  EXPECT_FALSE(f.wire.Tripped().has_value()) << "two counted failures only";
  Error timeout(ErrorCode::kTimeout, "POST http://h/v1: timed out");
  f.wire.Observe(Req(), timeout);
  EXPECT_TRUE(f.wire.Tripped().has_value());
}

TEST(CircuitBreakerTest, NeverOpensBeforeTheFirstSuccessOrWhenSwitchedOff) {
  fakes::FakeClock clock;
  Tripwire before(Role::kJudge, BreakerSettings{&clock, 1.0, "e"});
  Tripwire off(Role::kJudge, BreakerSettings{&clock, 0.0, "e"});
  off.Observe(Req(), ChatResponse{});
  for (int i = 0; i < 10; ++i) {
    before.Observe(Req(), kDown);  // transient: the tripwire leaves these to the retries
    off.Observe(Req(), kDown);
    clock.Advance(100.0);
  }
  EXPECT_FALSE(before.Tripped().has_value());
  EXPECT_FALSE(off.Tripped().has_value());
}

}  // namespace
}  // namespace judgeopt::llm
