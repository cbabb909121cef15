#pragma once
// A bound on the calls in flight through one client, for backends that have no endpoint pool to
// bound them (a python role: llm/client_stack.h).

#include <condition_variable>
#include <memory>
#include <mutex>

#include "judgeopt/llm/client.h"

namespace judgeopt::llm {

/// Lets at most `max_in_flight` calls into the inner client at once; the others wait for a
/// slot, first come first served by the condition variable's wake-ups (the order never changes a
/// result: callers address their work by index). Owns the inner client. Thread-safe.
class ConcurrencyLimitClient final : public LlmClient {
 public:
  ConcurrencyLimitClient(std::unique_ptr<LlmClient> inner, int max_in_flight);
  Result<ChatResponse> Complete(const ChatRequest& request) override;

  /// The most calls that were in flight at once so far.
  int peak_in_flight() const;

 private:
  std::unique_ptr<LlmClient> inner_;
  const int max_in_flight_;
  mutable std::mutex mu_;
  std::condition_variable slot_free_;
  int in_flight_ = 0;
  int peak_ = 0;
};

}  // namespace judgeopt::llm
