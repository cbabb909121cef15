#include "judgeopt/metrics/evaluate.h"

#include <cmath>
#include <string>

#include "judgeopt/metrics/correlation.h"
#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {

Status ValidateScale(ScaleRange scale) {
  if (!std::isfinite(scale.min) || !std::isfinite(scale.max) || !(scale.min < scale.max)) {
    return InvalidArgument("metrics: scale needs finite min < max, got min " +
                           std::to_string(scale.min) + ", max " + std::to_string(scale.max));
  }
  return Status::Ok();
}

Result<CriterionMetrics> EvaluatePairs(std::span<const double> gold, std::span<const double> pred,
                                       ScaleRange scale) {
  JO_RETURN_IF_ERROR(ValidateScale(scale));
  JO_ASSIGN_OR_RETURN(const FinitePairs p, FilterFinitePairs(gold, pred));
  CriterionMetrics m;
  m.n = static_cast<int64_t>(p.size());
  m.missing = static_cast<int64_t>(p.missing);
  m.spearman = Spearman(p.gold, p.pred);
  m.kendall = KendallTau(p.gold, p.pred);
  m.pearson = Pearson(p.gold, p.pred);
  m.mae = Mae(p.gold, p.pred);
  m.off_by_one = OffByK(p.gold, p.pred, 1.0);
  m.accuracy = Accuracy(p.gold, p.pred);
  m.qwk = QuadraticWeightedKappa(p.gold, p.pred, scale);
  return m;
}

}  // namespace judgeopt::metrics
