#pragma once
// Gold/prediction pairs: a NaN (or any non-finite value) on either side marks the pair missing.

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::metrics {

/// The pairs of a gold and a prediction array where both values are finite, in input order, and
/// how many pairs were dropped. Value type; thread-compatible.
struct FinitePairs {
  std::vector<double> gold;
  std::vector<double> pred;
  std::size_t missing = 0;  // pairs dropped because either side was NaN or infinite

  std::size_t size() const { return gold.size(); }
};

/// True when both values are finite (the study keeps only such pairs).
inline bool IsUsablePair(double gold, double pred) {
  return std::isfinite(gold) && std::isfinite(pred);
}

/// Keeps the pairs with both values finite. Different lengths are an InvalidArgument error.
Result<FinitePairs> FilterFinitePairs(std::span<const double> gold, std::span<const double> pred);

/// As FilterFinitePairs, for callers that guarantee equal lengths (a mismatch is a bug and throws
/// std::invalid_argument).
FinitePairs FilterFinitePairsOrThrow(std::span<const double> gold, std::span<const double> pred);

}  // namespace judgeopt::metrics
