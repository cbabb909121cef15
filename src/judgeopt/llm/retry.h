#pragma once
// Retries of retryable LLM-call failures with capped exponential backoff and full jitter.

#include <cstdint>
#include <memory>

#include "judgeopt/base/clock.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {

/// A stable 64-bit fingerprint of everything in `request` that is sent (model, messages, sampling
/// parameters, seed, sample index, response_format, extra_body); used to seed per-request jitter.
uint64_t RequestFingerprint(const ChatRequest& request);

/// The backoff before retry `retry` (1 = the first retry): `unit` (in [0, 1)) times
/// min(max_delay_s, base_delay_s * 2^(retry-1)), raised to `retry_after_s` when that is larger.
double BackoffSeconds(const RetryPolicy& policy, int retry, double unit,
                      std::optional<double> retry_after_s);

/// Decorator that retries the calls of an inner client. A failure is retried only when
/// Error::retryable() (HTTP 408, 409, 429, 5xx, timeouts, connection errors, malformed or empty
/// replies), at most policy.max_attempts attempts in all; any other failure returns at once.
/// Between attempts it sleeps on the injected Clock for BackoffSeconds() with a jitter drawn from
/// SplitMix64(seed, RequestFingerprint(request), retry): deterministic per request whatever the
/// thread interleaving. Retry-After is honoured (never waits less). The wait delays only this
/// call: the thread sleeps holding no concurrency slot and no limiter reservation, and other calls
/// to the endpoint go on (RateLimiter holds them only when the server says the key's budget is
/// spent). The successful response carries attempts = number of attempts made and call_ms (see
/// ChatResponse); a final failure says how many were made.
/// Owns the inner client; thread-safe when the inner client is; does not own the clock.
class RetryingClient final : public LlmClient {
 public:
  RetryingClient(std::unique_ptr<LlmClient> inner, RetryPolicy policy, Clock* clock, uint64_t seed);

  Result<ChatResponse> Complete(const ChatRequest& request) override;

  /// The jitter unit in [0, 1) used before retry `retry` of a request with `fingerprint`.
  double JitterUnit(uint64_t fingerprint, int retry) const;

 private:
  std::unique_ptr<LlmClient> inner_;
  RetryPolicy policy_;
  Clock* clock_;
  uint64_t seed_;
};

}  // namespace judgeopt::llm
