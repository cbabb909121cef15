#include "judgeopt/llm/sample_seed.h"

#include "judgeopt/base/splitmix.h"

namespace judgeopt::llm {

std::optional<int64_t> SampleSeed(std::optional<int64_t> base, Role role, int step, int k) {
  if (k == 0) return base;
  uint64_t h = SplitMix64(static_cast<uint64_t>(base.value_or(0)));
  h = SplitMix64(h ^ (static_cast<uint64_t>(role) + 1));
  h = SplitMix64(h ^ static_cast<uint64_t>(static_cast<int64_t>(step)));
  h = SplitMix64(h ^ static_cast<uint64_t>(static_cast<int64_t>(k)));
  return static_cast<int64_t>(h & 0x7FFFFFFFULL);
}

void SetSample(ChatRequest& request, std::optional<int64_t> base, int step, int k) {
  request.sample_index = k;
  request.seed = SampleSeed(base, request.role, step, k);
}

}  // namespace judgeopt::llm
