#pragma once
// The call counts textual MGDA and the noise-aware gate add to a TextGrad step's projection
// (estimate.h; docs/methods.md has the formulas).

#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {

/// Adjusts `counts`, the study-loop calls of TextGrad step `step` (>= 1), for method "mgda" and
/// gate.kind "noise_aware"; leaves other configs unchanged. With K = num_candidates, T criteria,
/// B the batch and V the gate's examples, MGDA scores up to K·(T+1) candidates: on the batch
/// (K·(T+1)·B train calls; the incumbent's batch predictions are the predict stage's, and the
/// chosen candidate then faces the gate: 0 to 2V calls) or on validation (K·(T+1)+1 prompts:
/// (K·(T+1)+1)·V gate calls, no separate gate). The noise-aware gate always scores both
/// prompts: 2V per step.
void AdjustForMgdaAndNoiseGate(const OptimizeConfig& config, const RunShape& shape, int step,
                               CallCounts& counts);

}  // namespace judgeopt::optim
