#pragma once
// The mid-run circuit breaker of a role (issue 16, point 0): when an endpoint that answered
// before fails every attempt for a sustained period, the role stops instead of grinding through
// every call's retries.

#include <optional>
#include <string>

#include "judgeopt/base/clock.h"
#include "judgeopt/base/result.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Failed attempts in a row a streak needs (besides lasting the window) to open the breaker.
inline constexpr int kBreakerMinFailures = 3;

/// What a role's breaker watches and how long it waits.
struct BreakerSettings {
  Clock* clock = nullptr;  // null, or window_s == 0: the breaker never opens
  double window_s = 0.0;   // RoleConfig::circuit_breaker_s
  std::string endpoint;    // the role's endpoint label, e.g. "openai http://host/v1"
};

/// Watches the attempts of one role after its first success. A failed attempt counts when it is
/// transient (Error::retryable(): no connection, a timeout, HTTP 408/409/5xx, a 429 rate limit):
/// the kind a server that went away or fell over gives to every request. A success ends the
/// streak; other failures (a 4xx refusing one request) neither count nor end it. The breaker opens
/// when the streak has lasted at least window_s since its first failed attempt and holds at least
/// kBreakerMinFailures failed attempts; it stays open for the rest of the command.
/// Not thread-safe: its owner (Tripwire) serializes the calls.
class CircuitBreaker {
 public:
  explicit CircuitBreaker(BreakerSettings settings) : settings_(std::move(settings)) {}

  /// Books one attempt of `model`'s `role`; returns the error (kCancelled) every further call
  /// fails with when this attempt opens the breaker, nullopt otherwise.
  std::optional<Error> Observe(Role role, const std::string& model,
                               const Result<ChatResponse>& outcome);

 private:
  BreakerSettings settings_;
  int failures_ = 0;
  double streak_start_s_ = 0.0;
};

}  // namespace judgeopt::llm
