#include "judgeopt/llm/retry.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "judgeopt/base/interrupt.h"
#include "judgeopt/base/splitmix.h"

namespace judgeopt::llm {
namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

// FNV-1a over a length-prefixed field, so that ("ab","c") and ("a","bc") differ.
void Mix(uint64_t& h, std::string_view field) {
  auto byte = [&h](unsigned char c) { h = (h ^ c) * kFnvPrime; };
  uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(n >> (8 * i)));
  for (char c : field) byte(static_cast<unsigned char>(c));
}

}  // namespace

uint64_t RequestFingerprint(const ChatRequest& request) {
  uint64_t h = kFnvOffset;
  Mix(h, request.model);
  for (const auto& m : request.messages) {
    Mix(h, m.role);
    Mix(h, m.content);
  }
  Mix(h, std::to_string(request.temperature));
  Mix(h, std::to_string(request.max_tokens));
  Mix(h, request.seed ? std::to_string(*request.seed) : std::string("none"));
  Mix(h, std::to_string(request.sample_index));
  Mix(h, request.response_format_json);
  Mix(h, request.extra_body_json);
  return h;
}

double BackoffSeconds(const RetryPolicy& policy, int retry, double unit,
                      std::optional<double> retry_after_s) {
  double cap = policy.base_delay_s * std::ldexp(1.0, std::clamp(retry - 1, 0, 60));
  cap = std::min(cap, policy.max_delay_s);
  double delay = unit * cap;
  if (retry_after_s && *retry_after_s > delay) delay = *retry_after_s;
  return delay;
}

RetryingClient::RetryingClient(std::unique_ptr<LlmClient> inner, RetryPolicy policy, Clock* clock,
                               uint64_t seed)
    : inner_(std::move(inner)), policy_(policy), clock_(clock), seed_(seed) {}

double RetryingClient::JitterUnit(uint64_t fingerprint, int retry) const {
  uint64_t x =
      SplitMix64(seed_ ^ SplitMix64(fingerprint ^ SplitMix64(static_cast<uint64_t>(retry))));
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

Result<ChatResponse> RetryingClient::Complete(const ChatRequest& request) {
  const int max_attempts = std::max(1, policy_.max_attempts);
  const uint64_t fingerprint = RequestFingerprint(request);
  const double first_start = clock_->NowSeconds();
  for (int attempt = 1;; ++attempt) {
    const double start = clock_->NowSeconds();
    Result<ChatResponse> result = inner_->Complete(request);
    if (result.ok()) {
      ChatResponse out = std::move(result).value();
      out.attempts = attempt;
      out.call_ms = (start - first_start) * 1000.0 + out.latency_ms;
      return out;
    }
    const Error& error = result.error();
    if (!error.retryable()) return error;
    if (attempt >= max_attempts) {
      return error.WithContext("gave up after " + std::to_string(attempt) + " attempts");
    }
    clock_->Sleep(
        BackoffSeconds(policy_, attempt, JitterUnit(fingerprint, attempt), error.retry_after_s));
    if (const int signal = InterruptSignal(); signal != 0) {  // asked to stop while waiting
      return Error(ErrorCode::kCancelled, std::string("interrupted by ") + InterruptName(signal) +
                                              " while waiting to retry: " + error.message);
    }
  }
}

}  // namespace judgeopt::llm
