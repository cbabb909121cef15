#include "judgeopt/llm/concurrency_limit.h"

#include <algorithm>
#include <utility>

namespace judgeopt::llm {

ConcurrencyLimitClient::ConcurrencyLimitClient(std::unique_ptr<LlmClient> inner, int max_in_flight)
    : inner_(std::move(inner)), max_in_flight_(std::max(1, max_in_flight)) {}

Result<ChatResponse> ConcurrencyLimitClient::Complete(const ChatRequest& request) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    slot_free_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
    ++in_flight_;
    peak_ = std::max(peak_, in_flight_);
  }
  Result<ChatResponse> r = inner_->Complete(request);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
  }
  slot_free_.notify_one();
  return r;
}

int ConcurrencyLimitClient::peak_in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return peak_;
}

}  // namespace judgeopt::llm
