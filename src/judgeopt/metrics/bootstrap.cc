#include "judgeopt/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {
namespace {

/// Uniform integer in [0, bound) by rejection, so it is the same on every standard library
/// (std::uniform_int_distribution is not).
std::uint64_t DrawBelow(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % bound;
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return x % bound;
}

Status ValidateOptions(const BootstrapOptions& options) {
  if (options.resamples == 0) return InvalidArgument("bootstrap: resamples must be at least 1");
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    return InvalidArgument("bootstrap: confidence must lie in (0, 1), got " +
                           std::to_string(options.confidence));
  }
  return Status::Ok();
}

}  // namespace

double LinearQuantile(std::span<const double> sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

Result<ConfidenceInterval> BootstrapCi(std::span<const double> gold, std::span<const double> pred,
                                       const PairMetricFn& metric,
                                       const BootstrapOptions& options) {
  JO_RETURN_IF_ERROR(ValidateOptions(options));
  JO_ASSIGN_OR_RETURN(const FinitePairs p, FilterFinitePairs(gold, pred));
  ConfidenceInterval ci;
  ci.n = p.size();
  ci.missing = p.missing;
  ci.estimate = metric(p.gold, p.pred);
  ci.low = ci.high = ci.estimate;
  if (p.size() == 0) return ci;

  std::mt19937_64 rng(options.seed);
  std::vector<double> values(options.resamples);
  std::vector<double> g(p.size()), y(p.size());
  for (double& value : values) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::size_t k = DrawBelow(rng, p.size());
      g[i] = p.gold[k];
      y[i] = p.pred[k];
    }
    value = metric(g, y);
    if (std::isnan(value))
      return InvalidArgument("bootstrap: the metric returned NaN on a resample");
  }
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  ci.low = LinearQuantile(values, tail);
  ci.high = LinearQuantile(values, 1.0 - tail);
  return ci;
}

}  // namespace judgeopt::metrics
