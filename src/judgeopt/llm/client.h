#pragma once

#include "judgeopt/base/result.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// The one port through which every model call goes (simulator, HTTP, replay, and the decorators
/// that add cache, ledger, budget, rate limits and retries). Implementations are thread-safe:
/// Complete() may be called from many threads at once. Ownership of decorated clients is stated by
/// each decorator.
class LlmClient {
 public:
  virtual ~LlmClient() = default;
  virtual Result<ChatResponse> Complete(const ChatRequest& request) = 0;
};

}  // namespace judgeopt::llm
