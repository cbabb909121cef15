#pragma once
// Exact hypervolume indicator (maximization) against a reference point.

#include <cstddef>
#include <span>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::metrics {

inline constexpr std::size_t kMaxHypervolumeDims = 8;

/// The Lebesgue measure of the region dominated by `points` and bounded below by `reference`
/// (every point maximizes every coordinate). As in the study, only points strictly better than
/// the reference in every dimension count; the others (including any with a NaN coordinate) are
/// ignored, and with none left the volume is 0. Dominated and duplicate points are harmless.
/// Exact: WFG-style exclusive volumes with the points sorted on the last objective, so each
/// limit set is a slice of one dimension fewer; a sweep solves 2-D. No normalisation.
/// InvalidArgument when the reference has 0 or more than kMaxHypervolumeDims coordinates or a
/// non-finite one, when a point's size differs from the reference's, or when a counted point has
/// an infinite coordinate.
Result<double> Hypervolume(std::span<const std::vector<double>> points,
                           std::span<const double> reference);

/// HV({points[0..s]}) for every s: the study's cumulative archive series (non-decreasing).
/// Same rules and errors as Hypervolume.
Result<std::vector<double>> CumulativeHypervolume(std::span<const std::vector<double>> points,
                                                  std::span<const double> reference);

}  // namespace judgeopt::metrics
