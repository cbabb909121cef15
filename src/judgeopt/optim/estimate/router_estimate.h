#pragma once
// The projected calls of the specificity-aware router and of criterion-owned blocks
// (docs/methods.md), for the estimate (estimate.h) of a TextGrad step.

#include <string>
#include <vector>

#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {

/// Adjusts the calls of one TextGrad step (>= 1; the study's table already in `counts`) for the
/// router and owned blocks; no change for other methods. Router (T criteria, batch B): gradient
/// calls from B (no criterion routed) up to B + T·B (every criterion falls back to its separate
/// calls: an upper bound), plus T diagnostic (specificity) calls. Owned blocks in a combined
/// optimizer mode: T·k optimizer calls instead of k (k = num_candidates), up to T·k·(1 + retries);
/// separate modes already make T·k.
void AddRouterAndOwnedBlockCalls(const OptimizeConfig& config, const RunShape& shape,
                                 CallCounts& counts);

/// Prompt tokens of one router specificity call over `criteria` whose joint gradient text holds
/// `batch` replies of `gradient_tokens` tokens (bytes/4 + 4, as the ledger approximates them).
double RouterSpecificityPromptTokens(const std::vector<std::string>& criteria, int batch,
                                     int64_t gradient_tokens);

}  // namespace judgeopt::optim
