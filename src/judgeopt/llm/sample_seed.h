#pragma once
// Seeds of repeated samples. A call meant as an independent sample of the same request (an
// optimizer candidate, an OPRO proposal, a repeated judge evaluation: any sample index k > 0)
// carries its own seed, so that a server that honours seeds returns an independent sample rather
// than the same text k times. Pure functions; thread-safe. See docs/llm.md, "Repeated samples".

#include <cstdint>
#include <optional>

#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// The step the judge's samples are derived with: one prompt's k-th judge sample is the same
/// request in every step (so it is answered once and reused from the cache).
inline constexpr int kJudgeSampleStep = 0;

/// The seed of sample `k` of a `role` request in `step`. Sample 0 is the call itself and keeps
/// `base` (the run's seed; nullopt = none sent). Sample k > 0 gets
///   SplitMix64(SplitMix64(SplitMix64(SplitMix64(base) ^ role) ^ step) ^ k) mod 2^31
/// (a missing base counts as 0): always a seed, in [0, 2^31) so every server's seed type holds it,
/// and different for every (base, role, step, k).
std::optional<int64_t> SampleSeed(std::optional<int64_t> base, Role role, int step, int k);

/// Makes `request` sample `k`: sample_index = k and seed = SampleSeed(base, request.role, step, k).
void SetSample(ChatRequest& request, std::optional<int64_t> base, int step, int k);

}  // namespace judgeopt::llm
