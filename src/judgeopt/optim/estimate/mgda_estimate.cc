#include "judgeopt/optim/estimate/mgda_estimate.h"

namespace judgeopt::optim {

void AdjustForMgdaAndNoiseGate(const OptimizeConfig& config, const RunShape& shape, int step,
                               CallCounts& counts) {
  if (step < 1 || config.algorithm != Algorithm::kTextGrad) return;
  const int64_t b = shape.batch, v = shape.gate_samples;
  const bool gated = config.gate.metric != GateMetric::kNone;
  if (gated && config.gate.kind == GateKind::kNoiseAware) counts.judge_gate = {2 * v, 2 * v};
  if (config.method.name != Method::kMgda) return;
  const int64_t prompts = static_cast<int64_t>(config.num_candidates) * (shape.criteria + 1);
  if (config.method.mgda_eval == MgdaEval::kValidation) {
    counts.judge_train = {b, b};
    counts.judge_gate = {(prompts + 1) * v, (prompts + 1) * v};
    return;
  }
  counts.judge_train = {b + prompts * b, b + prompts * b};
  if (gated) counts.judge_gate = {0, 2 * v};
}

}  // namespace judgeopt::optim
