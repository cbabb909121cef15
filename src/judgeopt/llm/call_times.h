#pragma once
// Recording how long each model call took its caller, for a per-call latency summary.

#include <mutex>
#include <vector>

#include "judgeopt/llm/client.h"

namespace judgeopt::llm {

/// Decorator that records ChatResponse::call_ms (first attempt to reply, retries and backoff
/// included) of every call answered by a model; cache hits and failed calls are not recorded.
/// Borrows the inner client (it must outlive this one). Thread-safe when the inner client is
/// (one mutex around the record).
class CallTimesClient final : public LlmClient {
 public:
  explicit CallTimesClient(LlmClient& inner) : inner_(inner) {}

  Result<ChatResponse> Complete(const ChatRequest& request) override;

  /// The recorded call times in milliseconds, sorted ascending.
  std::vector<double> SortedMs() const;

 private:
  LlmClient& inner_;
  mutable std::mutex mu_;
  std::vector<double> call_ms_;
};

}  // namespace judgeopt::llm
