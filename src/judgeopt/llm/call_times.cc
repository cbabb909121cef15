#include "judgeopt/llm/call_times.h"

#include <algorithm>

namespace judgeopt::llm {

Result<ChatResponse> CallTimesClient::Complete(const ChatRequest& request) {
  Result<ChatResponse> r = inner_.Complete(request);
  if (r.ok() && !r->cache_hit) {
    std::lock_guard<std::mutex> lock(mu_);
    call_ms_.push_back(r->call_ms);
  }
  return r;
}

std::vector<double> CallTimesClient::SortedMs() const {
  std::vector<double> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out = call_ms_;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace judgeopt::llm
