#include "judgeopt/llm/usage_tally.h"

namespace judgeopt::llm {

UsageTally& UsageTally::operator+=(const UsageTally& other) {
  calls += other.calls;
  cache_hits += other.cache_hits;
  failed += other.failed;
  prompt_tokens += other.prompt_tokens;
  completion_tokens += other.completion_tokens;
  cached_tokens += other.cached_tokens;
  reasoning_tokens += other.reasoning_tokens;
  usd += other.usd;
  return *this;
}

}  // namespace judgeopt::llm
