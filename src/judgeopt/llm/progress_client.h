#pragma once

#include "judgeopt/base/progress.h"
#include "judgeopt/llm/client.h"

namespace judgeopt::llm {

/// Decorator that reports every finished call (success or failure) to a Progress display, with
/// cache hits counted apart. Borrows both the inner client and the Progress (they must outlive
/// it). Thread-safe when the inner client is.
class ProgressClient : public LlmClient {
 public:
  ProgressClient(LlmClient& inner, Progress& progress) : inner_(inner), progress_(progress) {}

  Result<ChatResponse> Complete(const ChatRequest& request) override {
    auto r = inner_.Complete(request);
    progress_.Advance(1, r.ok() && r->cache_hit);
    return r;
  }

 private:
  LlmClient& inner_;
  Progress& progress_;
};

}  // namespace judgeopt::llm
