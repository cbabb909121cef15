#pragma once
// Client-side rate limiting for one endpoint: token buckets for requests/min and tokens/min, plus
// pauses the server asks for through `retry-after` and `x-ratelimit-*` reply headers.

#include <cstdint>
#include <mutex>
#include <optional>

#include "judgeopt/base/clock.h"
#include "judgeopt/llm/http_transport.h"

namespace judgeopt::llm {

/// Paces the requests of one endpoint on an injected Clock.
///
/// Buckets: requests refill at rpm/60 per second and tokens at tpm/60 per second; each bucket
/// holds one second's worth (at least one request), so traffic is smooth rather than bursty. A
/// request costing more tokens than a full bucket waits for a full bucket and leaves a debt.
/// Acquire() reserves capacity at the earliest time it is free and then sleeps until then, so
/// concurrent callers queue in order without polling.
///
/// Server feedback (Observe): `x-ratelimit-remaining-requests` with `x-ratelimit-reset-requests`
/// (and the `-tokens` pair) hold every request that would exceed what the server says remains
/// until the reset time; this is the only endpoint-wide hold the server can cause. A
/// `retry-after` / `retry-after-ms` on its own is about the one request it answers: the
/// RetryingClient waits it out before resending that request, and the other requests to the
/// endpoint go on (a 429 on one request says that request came too early, not that the key's
/// budget is spent). It stands in for a missing reset only when a remaining count of 0 comes
/// with it. PauseFor() is the explicit endpoint-wide hold.
///
/// Thread-safe (one mutex, never held while sleeping). Does not own the clock.
class RateLimiter {
 public:
  struct Limits {
    double rpm = 0.0;  // 0 = unlimited
    double tpm = 0.0;  // 0 = unlimited
  };

  RateLimiter(Limits limits, Clock* clock);

  /// Reserves one request that will use about `tokens` tokens (prompt estimate + max_tokens) and
  /// sleeps until it may be sent. Returns the seconds waited.
  double Acquire(int64_t tokens);
  /// Replaces the reservation of `reserved_tokens` by the real `used_tokens` once known.
  void Settle(int64_t reserved_tokens, int64_t used_tokens);
  /// Reads x-ratelimit-* (and retry-after as the reset of a window with nothing remaining) from a
  /// reply of any status.
  void Observe(const HttpHeaders& headers);
  /// Holds every request that has not started yet until now + seconds.
  void PauseFor(double seconds);
  /// Earliest time at which a one-request, zero-token Acquire would start (<= now when ready).
  double ReadyAt() const;
  /// Changes the limits (used when several roles share an endpoint); keeps reservations.
  void SetLimits(Limits limits);
  Limits limits() const;

 private:
  /// GCRA form of a token bucket: `tat` is when the bucket would be full again.
  struct Bucket {
    double rate = 0.0;      // units per second; 0 = unlimited
    double capacity = 0.0;  // units
    double tat = -1e300;
    double AllowedAt(double now, double cost) const;
    void Take(double at, double cost);
    void Adjust(double now, double delta_cost);
  };
  /// What the server last said remains in its window, until `reset_at`.
  struct Window {
    std::optional<double> remaining;
    double reset_at = 0.0;
    double Gate(double start, double cost) const;
    void Consume(double start, double cost);
  };

  double StartTimeLocked(double now, int64_t tokens) const;
  void ConfigureLocked(Limits limits);

  Clock* clock_;
  mutable std::mutex mu_;
  Limits limits_;
  Bucket requests_;
  Bucket tokens_;
  Window request_window_;
  Window token_window_;
  double paused_until_ = -1e300;
};

}  // namespace judgeopt::llm
