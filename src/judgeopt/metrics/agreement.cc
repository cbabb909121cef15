#include "judgeopt/metrics/agreement.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {
namespace {

/// Mean of fn(gold_i, pred_i) over the finite pairs; 0 when there are none.
template <typename Fn>
double MeanOverPairs(std::span<const double> gold, std::span<const double> pred, Fn fn) {
  const FinitePairs p = FilterFinitePairsOrThrow(gold, pred);
  if (p.size() == 0) return 0.0;
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += fn(p.gold[i], p.pred[i]);
  return sum / static_cast<double>(p.size());
}

std::vector<double> ToCategories(std::span<const double> v, double lo, double hi) {
  std::vector<double> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(),
                 [&](double x) { return std::clamp(std::round(x), lo, hi); });
  return out;
}

double PopulationVariance(std::span<const double> v, double mean) {
  double s = 0;
  for (double x : v) s += (x - mean) * (x - mean);
  return s / static_cast<double>(v.size());
}

}  // namespace

double Mae(std::span<const double> gold, std::span<const double> pred) {
  return MeanOverPairs(gold, pred, [](double g, double p) { return std::abs(g - p); });
}

double OffByK(std::span<const double> gold, std::span<const double> pred, double k) {
  return MeanOverPairs(gold, pred, [k](double g, double p) {
    return std::abs(g - p) <= k + kOffByTolerance ? 1.0 : 0.0;
  });
}

double Accuracy(std::span<const double> gold, std::span<const double> pred) {
  return MeanOverPairs(gold, pred, [](double g, double p) { return g == p ? 1.0 : 0.0; });
}

double QuadraticWeightedKappa(std::span<const double> gold, std::span<const double> pred,
                              ScaleRange scale) {
  const FinitePairs p = FilterFinitePairsOrThrow(gold, pred);
  const double lo = std::round(scale.min);
  const double hi = std::round(scale.max);
  if (p.size() == 0 || !(hi > lo)) return 0.0;
  const std::vector<double> a = ToCategories(p.gold, lo, hi);
  const std::vector<double> b = ToCategories(p.pred, lo, hi);
  // With weights (i-j)^2, observed disagreement = mean (a-b)^2 and expected disagreement (the
  // product of the marginals) = var(a) + var(b) + (mean a - mean b)^2; the common (K-1)^2
  // normalisation cancels in the ratio.
  const auto n = static_cast<double>(a.size());
  double observed = 0, sum_a = 0, sum_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    observed += (a[i] - b[i]) * (a[i] - b[i]);
    sum_a += a[i];
    sum_b += b[i];
  }
  observed /= n;
  const double mean_a = sum_a / n;
  const double mean_b = sum_b / n;
  const double expected = PopulationVariance(a, mean_a) + PopulationVariance(b, mean_b) +
                          (mean_a - mean_b) * (mean_a - mean_b);
  if (!(expected > 0)) return 0.0;
  return 1.0 - observed / expected;
}

}  // namespace judgeopt::metrics
