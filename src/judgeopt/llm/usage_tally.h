#pragma once
// UsageTally: calls, cache hits, failures, tokens and dollars summed over model calls. The one
// accumulator behind the ledger's lines, the run store's per-role usage and the grid's per-run
// spend.

#include <cstdint>

namespace judgeopt::llm {

/// Counters summed over model calls. Plain value. Which calls `calls` counts is the owner's rule
/// (the ledger and the grid count calls sent to a model, cache hits apart; the run store counts
/// every recorded call); `failed` counts calls that ended in an error.
struct UsageTally {
  int64_t calls = 0;
  int64_t cache_hits = 0;
  int64_t failed = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  /// Of prompt_tokens, those served from the provider's prompt cache (Usage::cached_tokens).
  int64_t cached_tokens = 0;
  /// Hidden reasoning tokens the server reported (Usage::reasoning_tokens), billed as output.
  int64_t reasoning_tokens = 0;
  double usd = 0.0;

  /// Adds every counter of `other`.
  UsageTally& operator+=(const UsageTally& other);
  bool operator==(const UsageTally&) const = default;
};

}  // namespace judgeopt::llm
