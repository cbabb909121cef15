#pragma once
// A counting, scriptable LlmClient for tests of decorators and the loopback server.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "judgeopt/llm/client.h"

namespace judgeopt::testing_util {

/// Replies "echo:<last message content>#<sample index>" with usage (prompt_tokens,
/// completion_tokens) = (10, 5) unless `script` is set, in which case `script` decides. Counts
/// calls and remembers every request. Thread-safe. Owned by the test (decorators that take
/// ownership get a unique_ptr; keep a raw pointer to inspect it).
class CountingClient : public llm::LlmClient {
 public:
  using Script = std::function<Result<llm::ChatResponse>(const llm::ChatRequest&)>;
  CountingClient() = default;
  explicit CountingClient(Script script) : script_(std::move(script)) {}

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override {
    calls_.fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
    }
    if (script_) return script_(request);
    return DefaultReply(request);
  }

  static llm::ChatResponse DefaultReply(const llm::ChatRequest& request) {
    llm::ChatResponse r;
    r.content =
        "echo:" + (request.messages.empty() ? std::string() : request.messages.back().content) +
        "#" + std::to_string(request.sample_index);
    r.finish_reason = "stop";
    r.model = request.model;
    r.usage.prompt_tokens = 10;
    r.usage.completion_tokens = 5;
    r.latency_ms = 12.5;
    return r;
  }

  int calls() const { return calls_.load(); }
  std::vector<llm::ChatRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  Script script_;
  std::atomic<int> calls_{0};
  mutable std::mutex mu_;
  std::vector<llm::ChatRequest> requests_;
};

inline llm::ChatRequest MakeTestRequest(const std::string& text, const std::string& model = "m1") {
  llm::ChatRequest r;
  r.model = model;
  r.messages = {{"system", "You score text."}, {"user", text}};
  r.temperature = 0.0;
  r.max_tokens = 64;
  return r;
}

}  // namespace judgeopt::testing_util
