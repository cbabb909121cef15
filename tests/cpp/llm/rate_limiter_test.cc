#include "judgeopt/llm/rate_limiter.h"

#include <gtest/gtest.h>

#include <vector>

#include "fakes/fake_clock.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeClock;

// Start times (relative to the clock's start) of `n` back-to-back acquires of `tokens` each.
std::vector<double> StartTimes(RateLimiter& limiter, FakeClock& clock, int n, int64_t tokens) {
  const double t0 = clock.NowSeconds();
  std::vector<double> starts;
  for (int i = 0; i < n; ++i) {
    limiter.Acquire(tokens);
    starts.push_back(clock.NowSeconds() - t0);
  }
  return starts;
}

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Acquire(100000), 0.0);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RateLimiterTest, SixtyRpmIsOneRequestPerSecond) {
  FakeClock clock;
  RateLimiter limiter({60, 0}, &clock);
  std::vector<double> expected = {0, 1, 2, 3, 4};
  EXPECT_EQ(StartTimes(limiter, clock, 5, 10), expected);
}

TEST(RateLimiterTest, HighRpmAllowsOneSecondBurstThenPaces) {
  FakeClock clock;
  RateLimiter limiter({600, 0}, &clock);  // 10 per second, bucket of 10
  auto starts = StartTimes(limiter, clock, 12, 1);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(starts[i], 0.0) << i;
  EXPECT_NEAR(starts[10], 0.1, 1e-9);
  EXPECT_NEAR(starts[11], 0.2, 1e-9);
}

TEST(RateLimiterTest, IdleTimeRefillsTheBucket) {
  FakeClock clock;
  RateLimiter limiter({60, 0}, &clock);
  limiter.Acquire(1);
  clock.Advance(5.0);
  EXPECT_EQ(limiter.Acquire(1), 0.0);
  EXPECT_NEAR(limiter.Acquire(1), 1.0, 1e-9);
}

TEST(RateLimiterTest, TokensPerMinutePaceByTokens) {
  FakeClock clock;
  RateLimiter limiter({0, 6000}, &clock);  // 100 tokens per second
  std::vector<double> expected = {0, 1, 2};
  EXPECT_EQ(StartTimes(limiter, clock, 3, 100), expected);
}

TEST(RateLimiterTest, OversizedRequestGoesWhenFullAndLeavesADebt) {
  FakeClock clock;
  RateLimiter limiter({0, 6000}, &clock);
  EXPECT_EQ(limiter.Acquire(300), 0.0);  // larger than the 100-token bucket: sent at once
  EXPECT_NEAR(limiter.Acquire(100), 3.0, 1e-9);
}

TEST(RateLimiterTest, SettleRefundsUnusedTokens) {
  FakeClock clock;
  RateLimiter limiter({0, 6000}, &clock);
  limiter.Acquire(500);      // reserved prompt + max_tokens
  limiter.Settle(500, 100);  // only 100 used
  EXPECT_NEAR(limiter.Acquire(100), 1.0, 1e-9);
}

TEST(RateLimiterTest, SettleChargesExtraTokens) {
  FakeClock clock;
  RateLimiter limiter({0, 6000}, &clock);
  limiter.Acquire(100);
  limiter.Settle(100, 400);
  EXPECT_NEAR(limiter.Acquire(100), 4.0, 1e-9);
}

// retry-after answers one request; the limiter holds nobody for it (issue 15, point 3).
TEST(RateLimiterTest, RetryAfterAloneHoldsNoOtherRequest) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe({{"retry-after", "2"}});
  limiter.Observe({{"retry-after-ms", "1500"}});
  EXPECT_LE(limiter.ReadyAt(), clock.NowSeconds());
  EXPECT_EQ(limiter.Acquire(1), 0.0);
  EXPECT_TRUE(clock.sleeps().empty());
}

// How long a one-token request waits on a fresh, unlimited limiter after it observed `headers`.
double WaitAfter(const HttpHeaders& headers) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe(headers);
  return limiter.Acquire(1);
}

TEST(RateLimiterTest, RetryAfterHoldsEveryoneOnlyAsTheResetOfASpentBudget) {
  // Nothing remains and no reset: retry-after stands in for it.
  EXPECT_NEAR(WaitAfter({{"retry-after", "2"}, {"x-ratelimit-remaining-tokens", "0"}}), 2.0, 1e-9);
  // The server's own reset wins.
  EXPECT_NEAR(WaitAfter({{"retry-after", "2"},
                         {"x-ratelimit-remaining-requests", "0"},
                         {"x-ratelimit-reset-requests", "5s"}}),
              5.0, 1e-9);
  // Requests still remain: the retry-after is that one request's business.
  EXPECT_EQ(WaitAfter({{"retry-after", "2"}, {"x-ratelimit-remaining-requests", "3"}}), 0.0);
}

TEST(RateLimiterTest, RemainingRequestsZeroWaitsForTheReset) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe(
      {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "6m0s"}});
  EXPECT_NEAR(limiter.Acquire(1), 360.0, 1e-9);
  EXPECT_EQ(limiter.Acquire(1), 0.0);  // the window rolled over
}

TEST(RateLimiterTest, RemainingRequestsAreCountedDownLocally) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe({{"x-ratelimit-remaining-requests", "2"}, {"x-ratelimit-reset-requests", "1s"}});
  EXPECT_EQ(limiter.Acquire(1), 0.0);
  EXPECT_EQ(limiter.Acquire(1), 0.0);
  EXPECT_NEAR(limiter.Acquire(1), 1.0, 1e-9);
}

TEST(RateLimiterTest, RemainingTokensHoldALargeRequest) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe({{"x-ratelimit-remaining-tokens", "150"}, {"x-ratelimit-reset-tokens", "20ms"}});
  EXPECT_EQ(limiter.Acquire(100), 0.0);
  EXPECT_NEAR(limiter.Acquire(100), 0.02, 1e-9);
}

TEST(RateLimiterTest, RemainingWithoutResetIsIgnored) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.Observe({{"x-ratelimit-remaining-requests", "0"}});
  limiter.Observe({{"x-ratelimit-remaining-tokens", "0"}, {"x-ratelimit-reset-tokens", "soon"}});
  EXPECT_EQ(limiter.Acquire(10), 0.0);
}

TEST(RateLimiterTest, PauseForHoldsRequests) {
  FakeClock clock;
  RateLimiter limiter({60, 0}, &clock);
  limiter.PauseFor(10);
  EXPECT_NEAR(limiter.Acquire(1), 10.0, 1e-9);
  EXPECT_NEAR(limiter.Acquire(1), 1.0, 1e-9);  // the rpm spacing still applies after the pause
}

TEST(RateLimiterTest, SetLimitsTakesEffect) {
  FakeClock clock;
  RateLimiter limiter({0, 0}, &clock);
  limiter.SetLimits({30, 0});
  EXPECT_EQ(limiter.limits().rpm, 30);
  limiter.Acquire(1);
  EXPECT_NEAR(limiter.Acquire(1), 2.0, 1e-9);
}

}  // namespace
}  // namespace judgeopt::llm
