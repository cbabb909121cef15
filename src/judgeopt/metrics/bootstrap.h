#pragma once
// Percentile bootstrap confidence intervals for any metric over gold/prediction pairs.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "judgeopt/base/result.h"

namespace judgeopt::metrics {

/// A metric over equal-length gold and pred spans, e.g. Spearman or a bound registry metric.
using PairMetricFn = std::function<double(std::span<const double>, std::span<const double>)>;

/// Bootstrap settings. Value type.
struct BootstrapOptions {
  std::size_t resamples = 1000;
  double confidence = 0.95;  // in (0, 1); 0.95 gives the 2.5th and 97.5th percentiles
  std::uint64_t seed = 0;    // the whole result is a function of (pairs, metric, options)
};

/// A point estimate and its percentile interval. Value type.
struct ConfidenceInterval {
  double estimate = 0;  // the metric on all finite pairs
  double low = 0;
  double high = 0;
  std::size_t n = 0;        // finite pairs resampled
  std::size_t missing = 0;  // pairs dropped before resampling
};

/// Drops non-finite pairs, then draws `resamples` samples of n pairs with replacement
/// (std::mt19937_64 seeded with options.seed, unbiased bounded draws) and evaluates the metric on
/// each; low/high are the (1-c)/2 and (1+c)/2 quantiles with numpy's default linear
/// interpolation. A resample on which a guard fires (e.g. a constant side) counts with the
/// metric's guarded value; a NaN from the metric is an InvalidArgument error. With no finite pair,
/// low = high = estimate. InvalidArgument for different lengths, resamples == 0 or confidence
/// outside (0, 1).
Result<ConfidenceInterval> BootstrapCi(std::span<const double> gold, std::span<const double> pred,
                                       const PairMetricFn& metric,
                                       const BootstrapOptions& options = {});

/// The q-quantile (q in [0, 1]) of sorted values with linear interpolation (numpy "linear").
double LinearQuantile(std::span<const double> sorted, double q);

}  // namespace judgeopt::metrics
