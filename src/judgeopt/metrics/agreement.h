#pragma once
// Error and agreement metrics over gold/pred pairs.
//
// Every function drops pairs where either value is non-finite and returns 0.0 when no pair is
// left. Gold and pred must have equal lengths; a mismatch is a bug and throws
// std::invalid_argument.

#include <span>

namespace judgeopt::metrics {

/// A criterion's score range, e.g. {1, 5}. Used by QWK to define its categories and by the
/// hypervolume reference point of MAE.
struct ScaleRange {
  double min = 0;
  double max = 0;
};

/// |gold - pred| <= k + kOffByTolerance counts as within k, so that decimal noise such as
/// 1.0000000000000002 still counts as off by 1.
inline constexpr double kOffByTolerance = 1e-9;

/// Mean absolute error.
double Mae(std::span<const double> gold, std::span<const double> pred);

/// Fraction of pairs with |gold - pred| <= k.
double OffByK(std::span<const double> gold, std::span<const double> pred, double k);

/// Fraction of pairs whose values are exactly equal (4 equals 4.0; 3.67 never equals 4).
double Accuracy(std::span<const double> gold, std::span<const double> pred);

/// Quadratic weighted kappa on the integer categories round(scale.min)..round(scale.max).
/// Each value (gold or pred) is rounded to the nearest integer (halves away from zero) and
/// clamped into that range, so a gold mean of 3.67 counts as category 4. Weights are
/// (i - j)^2 between category values. Returns 0.0 when no pair is left, when fewer than two
/// categories exist, or when the expected disagreement is 0 (both sides the same constant).
double QuadraticWeightedKappa(std::span<const double> gold, std::span<const double> pred,
                              ScaleRange scale);

}  // namespace judgeopt::metrics
