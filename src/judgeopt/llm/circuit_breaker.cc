#include "judgeopt/llm/circuit_breaker.h"

#include <fmt/format.h>

namespace judgeopt::llm {

std::optional<Error> CircuitBreaker::Observe(Role role, const std::string& model,
                                             const Result<ChatResponse>& outcome) {
  if (settings_.clock == nullptr || settings_.window_s <= 0.0) return std::nullopt;
  if (outcome.ok()) {
    failures_ = 0;
    return std::nullopt;
  }
  if (!outcome.error().retryable()) return std::nullopt;
  const double now = settings_.clock->NowSeconds();
  if (failures_ == 0) streak_start_s_ = now;
  ++failures_;
  const double lasted = now - streak_start_s_;
  if (failures_ < kBreakerMinFailures || lasted < settings_.window_s) return std::nullopt;
  Error open(ErrorCode::kCancelled,
             fmt::format("llm.{} (model '{}'): circuit breaker open: every attempt to {} failed "
                         "for {:.0f} s ({} attempts, no success; [llm.{}] circuit_breaker_s = "
                         "{:g}), so the role stopped sending; last failure: {}",
                         RoleName(role), model, settings_.endpoint, lasted, failures_,
                         RoleName(role), settings_.window_s, outcome.error().message));
  open.http_status = outcome.error().http_status;
  open.not_connected = outcome.error().not_connected;
  return open;
}

}  // namespace judgeopt::llm
