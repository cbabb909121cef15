#include "judgeopt/llm/rate_limiter.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace judgeopt::llm {
namespace {

constexpr double kEpsilonS = 1e-9;

std::optional<double> ParseCount(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

double RateLimiter::Bucket::AllowedAt(double now, double cost) const {
  if (rate <= 0) return now;
  double tolerance = std::max(0.0, capacity - cost) / rate;
  double at = tat - tolerance;
  return at <= now + kEpsilonS ? now : at;  // no sleeps for rounding residue
}

void RateLimiter::Bucket::Take(double at, double cost) {
  if (rate <= 0) return;
  tat = std::max(tat, at) + cost / rate;
}

void RateLimiter::Bucket::Adjust(double now, double delta_cost) {
  if (rate <= 0 || delta_cost == 0) return;
  if (delta_cost > 0) {
    tat = std::max(tat, now) + delta_cost / rate;
  } else {
    tat = std::max(now, tat + delta_cost / rate);
  }
}

double RateLimiter::Window::Gate(double start, double cost) const {
  if (!remaining || start >= reset_at) return start;
  return *remaining < cost ? reset_at : start;
}

void RateLimiter::Window::Consume(double start, double cost) {
  if (!remaining) return;
  if (start >= reset_at) {
    remaining.reset();  // the server's window has rolled over; we know nothing newer
    return;
  }
  remaining = std::max(0.0, *remaining - cost);
}

RateLimiter::RateLimiter(Limits limits, Clock* clock) : clock_(clock) { ConfigureLocked(limits); }

void RateLimiter::ConfigureLocked(Limits limits) {
  limits_ = limits;
  requests_.rate = limits.rpm / 60.0;
  requests_.capacity = std::max(1.0, requests_.rate);
  tokens_.rate = limits.tpm / 60.0;
  tokens_.capacity = std::max(1.0, tokens_.rate);
}

void RateLimiter::SetLimits(Limits limits) {
  std::lock_guard<std::mutex> lock(mu_);
  ConfigureLocked(limits);
}

RateLimiter::Limits RateLimiter::limits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return limits_;
}

double RateLimiter::StartTimeLocked(double now, int64_t tokens) const {
  double cost = static_cast<double>(std::max<int64_t>(tokens, 0));
  double start = std::max(now, paused_until_);
  start = std::max(start, requests_.AllowedAt(now, 1.0));
  start = std::max(start, tokens_.AllowedAt(now, cost));
  start = request_window_.Gate(start, 1.0);
  start = token_window_.Gate(start, cost);
  return start;
}

double RateLimiter::Acquire(int64_t tokens) {
  double wait = 0.0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    double now = clock_->NowSeconds();
    double start = StartTimeLocked(now, tokens);
    double cost = static_cast<double>(std::max<int64_t>(tokens, 0));
    requests_.Take(start, 1.0);
    tokens_.Take(start, cost);
    request_window_.Consume(start, 1.0);
    token_window_.Consume(start, cost);
    wait = start - now;
  }
  clock_->Sleep(wait);
  return wait;
}

void RateLimiter::Settle(int64_t reserved_tokens, int64_t used_tokens) {
  std::lock_guard<std::mutex> lock(mu_);
  double delta = static_cast<double>(used_tokens - reserved_tokens);
  tokens_.Adjust(clock_->NowSeconds(), delta);
  if (token_window_.remaining)
    token_window_.remaining = std::max(0.0, *token_window_.remaining - delta);
}

void RateLimiter::Observe(const HttpHeaders& headers) {
  std::lock_guard<std::mutex> lock(mu_);
  const double now = clock_->NowSeconds();
  // retry-after alone concerns the request it answers (RetryingClient waits it out for that one
  // request); it is only a window's reset when the server also says that nothing remains.
  const std::optional<double> retry_after = RetryAfterSeconds(headers);
  auto read_window = [&](std::string_view remaining_name, std::string_view reset_name,
                         Window& window) {
    auto remaining = ParseCount(FindHeader(headers, remaining_name));
    auto reset = ParseDurationSeconds(FindHeader(headers, reset_name));
    if (!reset && remaining && *remaining == 0) reset = retry_after;
    if (!remaining || !reset) return;
    window.remaining = *remaining;
    window.reset_at = now + *reset;
  };
  read_window("x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", request_window_);
  read_window("x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", token_window_);
}

void RateLimiter::PauseFor(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  paused_until_ = std::max(paused_until_, clock_->NowSeconds() + seconds);
}

double RateLimiter::ReadyAt() const {
  std::lock_guard<std::mutex> lock(mu_);
  return StartTimeLocked(clock_->NowSeconds(), 0);
}

}  // namespace judgeopt::llm
