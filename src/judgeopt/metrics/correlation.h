#pragma once
// Correlation coefficients with scipy semantics and the study's guards.
//
// Every function drops pairs where either value is non-finite, then computes on the rest.
// The Try* forms return nullopt when the coefficient is undefined: fewer than 3 pairs, a side
// whose values are all equal (zero population std), or a NaN result. The plain forms return 0.0
// in those cases, as the study does. Gold and pred must have equal lengths; a mismatch is a bug
// and throws std::invalid_argument.

#include <optional>
#include <span>
#include <vector>

namespace judgeopt::metrics {

/// 1-based ranks with ties given the mean of the ranks they span (scipy rankdata "average").
std::vector<double> AverageRanks(std::span<const double> values);

std::optional<double> TryPearson(std::span<const double> gold, std::span<const double> pred);
/// Pearson correlation of the average ranks (scipy spearmanr).
std::optional<double> TrySpearman(std::span<const double> gold, std::span<const double> pred);
/// Kendall tau-b (scipy kendalltau, variant "b"), O(n log n).
std::optional<double> TryKendallTau(std::span<const double> gold, std::span<const double> pred);

double Pearson(std::span<const double> gold, std::span<const double> pred);
double Spearman(std::span<const double> gold, std::span<const double> pred);
double KendallTau(std::span<const double> gold, std::span<const double> pred);

/// Which coefficient a grouped or generic caller wants.
enum class CorrelationKind { kSpearman, kKendall, kPearson };

std::optional<double> TryCorrelation(CorrelationKind kind, std::span<const double> gold,
                                     std::span<const double> pred);

}  // namespace judgeopt::metrics
