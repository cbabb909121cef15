#include "judgeopt/metrics/pareto.h"

#include <stdexcept>
#include <string>

namespace judgeopt::metrics {

bool Dominates(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("Dominates: points of dimension " + std::to_string(a.size()) +
                                " and " + std::to_string(b.size()));
  }
  bool strictly_better = false;
  for (std::size_t d = 0; d < a.size(); ++d) {
    if (!(a[d] >= b[d])) return false;
    if (a[d] > b[d]) strictly_better = true;
  }
  return strictly_better;
}

std::vector<std::size_t> NonDominatedIndices(std::span<const std::vector<double>> points) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
      dominated = j != i && Dominates(points[j], points[i]);
    }
    if (!dominated) out.push_back(i);
  }
  return out;
}

std::vector<std::vector<double>> NonDominated(std::span<const std::vector<double>> points) {
  std::vector<std::vector<double>> out;
  for (std::size_t i : NonDominatedIndices(points)) out.push_back(points[i]);
  return out;
}

}  // namespace judgeopt::metrics
