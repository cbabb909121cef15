#pragma once
// Every per-criterion metric of one gold/prediction column pair at once.

#include <cstddef>
#include <span>

#include "judgeopt/base/result.h"
#include "judgeopt/metrics/agreement.h"
#include "judgeopt/metrics/criterion_metrics.h"

namespace judgeopt::metrics {

/// Computes CriterionMetrics over the pairs where both values are finite (n: pairs used,
/// missing: pairs dropped because gold or pred was NaN or infinite), with the guards of
/// correlation.h and agreement.h. InvalidArgument when the lengths differ or the scale is not
/// finite with min < max.
Result<CriterionMetrics> EvaluatePairs(std::span<const double> gold, std::span<const double> pred,
                                       ScaleRange scale);

/// InvalidArgument unless scale.min and scale.max are finite and min < max.
Status ValidateScale(ScaleRange scale);

}  // namespace judgeopt::metrics
