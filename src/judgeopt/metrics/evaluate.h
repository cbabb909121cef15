#pragma once
// Every per-criterion metric of one gold/prediction column pair at once.

#include <cstddef>
#include <span>

#include "judgeopt/base/result.h"
#include "judgeopt/metrics/agreement.h"

namespace judgeopt::metrics {

/// The metrics of one criterion over the pairs where both values are finite. Value type.
struct CriterionMetrics {
  double spearman = 0;
  double kendall = 0;  // tau-b
  double pearson = 0;
  double mae = 0;
  double off_by_1 = 0;
  double accuracy = 0;
  double qwk = 0;
  std::size_t n = 0;        // pairs used
  std::size_t missing = 0;  // pairs dropped because gold or pred was NaN or infinite
};

/// Computes CriterionMetrics with the guards of correlation.h and agreement.h. InvalidArgument
/// when the lengths differ or the scale is not finite with min < max.
Result<CriterionMetrics> EvaluatePairs(std::span<const double> gold, std::span<const double> pred,
                                       ScaleRange scale);

/// InvalidArgument unless scale.min and scale.max are finite and min < max.
Status ValidateScale(ScaleRange scale);

}  // namespace judgeopt::metrics
