#pragma once
// Correlation computed per group (e.g. per source document) and then averaged: G-Eval's way.
// The pooled alternative (the study's way) is the plain coefficient over all pairs.

#include <cstddef>
#include <span>
#include <string>

#include "judgeopt/base/result.h"
#include "judgeopt/metrics/correlation.h"

namespace judgeopt::metrics {

/// What to do with a group whose coefficient is undefined (fewer than 3 finite pairs, a constant
/// side, or a NaN result).
enum class UndefinedGroupPolicy {
  kSkip,  // leave the group out of the mean (scipy + nanmean behaviour)
  kZero,  // count the group as 0, like the pooled guard does
};

/// The mean of per-group coefficients and the group counts behind it. Value type.
struct GroupedCorrelation {
  double mean = 0;                   // 0 when no group contributes
  std::size_t groups = 0;            // distinct keys seen
  std::size_t groups_defined = 0;    // groups whose coefficient was defined
  std::size_t groups_undefined = 0;  // groups = groups_defined + groups_undefined
  std::size_t missing = 0;           // pairs dropped for a non-finite value, over all groups
};

/// The pooled coefficient over every pair; 0 when undefined (the study's guard).
double PooledCorrelation(CorrelationKind kind, std::span<const double> gold,
                         std::span<const double> pred);

/// Splits the pairs by groups[i] (exact string key), computes `kind` within each group and
/// averages over groups with equal weight, in sorted key order. gold, pred and groups must have
/// equal lengths (InvalidArgument otherwise).
Result<GroupedCorrelation> PerGroupCorrelation(
    CorrelationKind kind, std::span<const double> gold, std::span<const double> pred,
    std::span<const std::string> groups, UndefinedGroupPolicy policy = UndefinedGroupPolicy::kSkip);

}  // namespace judgeopt::metrics
