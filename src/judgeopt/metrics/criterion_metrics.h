#pragma once
// The per-criterion metrics of one evaluation (Spearman, Kendall, Pearson, MAE, off-by-one,
// accuracy, QWK, pair counts): one field list for every module that holds them. Values are
// plain doubles where they are computed (metrics::EvaluatePairs, with the guards of
// correlation.h) and optional where they are stored (optim::MetricRow, cherry-pick results).

#include <cstdint>
#include <optional>

namespace judgeopt::metrics {

/// One criterion's metrics, each a `Value`. Plain value.
template <typename Value>
struct MetricsOf {
  Value spearman{};
  Value kendall{};  // tau-b
  Value pearson{};
  Value mae{};
  Value off_by_one{};  // fraction of pairs with |gold - pred| <= 1
  Value accuracy{};
  Value qwk{};
  int64_t n = 0;        // pairs with both values
  int64_t missing = 0;  // pairs (examples) without a usable value
};

/// Computed metrics; an undefined coefficient reads 0.0, the study's guard (correlation.h).
using CriterionMetrics = MetricsOf<double>;
/// Stored metrics: nullopt when absent.
using OptionalMetrics = MetricsOf<std::optional<double>>;

}  // namespace judgeopt::metrics
