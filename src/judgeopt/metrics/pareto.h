#pragma once
// Pareto dominance for maximization.

#include <cstddef>
#include <span>
#include <vector>

namespace judgeopt::metrics {

/// True when a >= b in every coordinate and a > b in at least one (maximization). Equal points do
/// not dominate each other; a NaN coordinate on either side makes the pair incomparable.
/// a and b must have equal sizes (a mismatch is a bug and throws std::invalid_argument).
bool Dominates(std::span<const double> a, std::span<const double> b);

/// Indices, in input order, of the points that no other point dominates. Equal points are all
/// kept (none dominates another). Points must have equal sizes (throws otherwise).
std::vector<std::size_t> NonDominatedIndices(std::span<const std::vector<double>> points);

/// The points at NonDominatedIndices, in input order.
std::vector<std::vector<double>> NonDominated(std::span<const std::vector<double>> points);

}  // namespace judgeopt::metrics
