#pragma once
// Fail fast on systematic errors (issue 16, point 0): when the first calls of a role all fail the
// same way, the role stops sending and every further call fails at once with one error that says
// why and what to change, instead of each call failing (or retrying with backoff) on its own.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/circuit_breaker.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Identical systematic failures in a row, before the role's first success, that trip the wire.
inline constexpr int kTripwireThreshold = 3;

/// The record of how the first attempts of one role went. A failure is systematic when it says
/// the request itself will never be accepted (an HTTP reply mapped to kBadRequest or kAuth: 400,
/// 401, 403, 404, 422, an exhausted quota) or that no server could be reached at all
/// (Error::not_connected: connection refused, host not found). kTripwireThreshold systematic
/// failures in a row with the same key (status and message; any connection failure counts as the
/// same key) trip the wire; any other outcome breaks the run. The first success disarms it for
/// good: later failures are left to the retry policy, the callers and the role's circuit breaker
/// (llm/circuit_breaker.h), which then watches every attempt. A refusal over a context or token
/// limit (llm/limit_errors.h) counts under one key whatever the numbers in its message.
/// The first success whose reported prompt tokens are far fewer than estimated logs a warning
/// (TruncationWarning), once per role.
/// Once tripped (or once the breaker opens), Tripped() gives the error every further call fails with: code kCancelled (not
/// retryable, so backoff stops at once), naming the role, the model, the server's message and,
/// when the message names a request parameter, the setting to change.
/// Thread-safe (one mutex); owned by the ClientStack and shared by the role's decorators.
class Tripwire {
 public:
  explicit Tripwire(Role role, BreakerSettings breaker = {})
      : role_(role), breaker_(std::move(breaker)) {}

  /// Books the outcome of one attempt of `request`.
  void Observe(const ChatRequest& request, const Result<ChatResponse>& outcome);
  Role role() const { return role_; }
  /// The error further calls fail with, once tripped; nullopt before.
  std::optional<Error> Tripped() const;

 private:
  Role role_;
  mutable std::mutex mu_;
  CircuitBreaker breaker_;
  bool disarmed_ = false;
  bool truncation_warned_ = false;
  std::string run_key_;
  int run_length_ = 0;
  std::optional<Error> tripped_;
};

/// The advice for a server message that names a request parameter ('max_tokens', "temperature",
/// ...), e.g. "the server rejects the parameter 'max_tokens': ... [llm.judge] max_tokens ...";
/// "" when it names none judgeopt knows.
std::string ParameterAdvice(Role role, std::string_view server_message);

/// The two decorators of a role's chain that share its tripwire. Both fail a call with
/// Tripwire::Tripped() without calling the inner client once the wire is tripped.
/// - kSensor, right above the transport (under the RetryingClient), first renames a refusal over
///   a context or token limit (NameLimitError: not retried), then books every attempt's
///   outcome with the tripwire, and returns the tripped error for the attempt that trips it and
///   for attempts that fail afterwards, so calls waiting to retry stop too.
/// - kGuard, at the top of the chain (above the ledger), only refuses: a call of a tripped role
///   is not booked, reserved, looked up or sent, so the ledger counts only the calls really made.
/// Owns the inner client; shares the tripwire; thread-safe when the inner client is.
class TripwireClient final : public LlmClient {
 public:
  enum class Position { kGuard, kSensor };
  TripwireClient(Position position, std::unique_ptr<LlmClient> inner,
                 std::shared_ptr<Tripwire> wire)
      : position_(position), inner_(std::move(inner)), wire_(std::move(wire)) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override;

 private:
  Position position_;
  std::unique_ptr<LlmClient> inner_;
  std::shared_ptr<Tripwire> wire_;
};

}  // namespace judgeopt::llm
