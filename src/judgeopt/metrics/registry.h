#pragma once
// The metric registry: lookup by the study's names, aliases and class names, with direction,
// display rules and a bound compute function. Built by an explicit call (BuiltinMetrics()).

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/metrics/agreement.h"
#include "judgeopt/metrics/bootstrap.h"

namespace judgeopt::metrics {

enum class Direction { kMaximize, kMinimize };

/// Per-call inputs some metrics need. Value type.
struct MetricOptions {
  std::optional<ScaleRange> scale;  // required by QWK and by MAE's worst value
};

/// One registered metric. Value type; thread-compatible.
struct MetricInfo {
  using ComputeFn = double (*)(std::span<const double> gold, std::span<const double> pred,
                               const ScaleRange& scale);

  std::string name;                  // canonical, e.g. "spearman_correlation"
  std::string class_name;            // the study's class name, e.g. "SpearmanCorrelation"
  std::vector<std::string> aliases;  // e.g. {"spearman"}
  std::string display_name;          // for tables, e.g. "Spearman"
  Direction direction = Direction::kMaximize;
  int decimals = 3;           // decimals shown after display_factor
  double display_factor = 1;  // 100 for rates shown as percentages
  bool needs_scale = false;   // compute reads MetricOptions::scale
  /// Worst possible raw value (the study's hypervolume reference); for MAE it is NaN here and
  /// WorstValue() derives it from the scale as max - min.
  double worst = 0;
  ComputeFn compute = nullptr;

  /// value for maximized metrics, -value for minimized ones: larger is always better.
  double NormalizedScore(double value) const {
    return direction == Direction::kMaximize ? value : -value;
  }
};

/// A set of metrics indexed by every accepted name. Owns its entries; pointers from Find stay
/// valid for the registry's lifetime. Add is not thread-safe; const methods may run concurrently.
class MetricRegistry {
 public:
  /// Adds a metric; InvalidArgument if its name, class name or an alias is already taken.
  Status Add(MetricInfo info);

  /// Exact, case-sensitive match on name, class name or alias. Unknown → InvalidArgument that
  /// lists every valid name.
  Result<const MetricInfo*> Find(std::string_view name) const;

  /// The metric as a PairMetricFn (for BootstrapCi and the like). InvalidArgument when the name
  /// is unknown or the metric needs a scale that options lacks.
  Result<PairMetricFn> Bind(std::string_view name, const MetricOptions& options = {}) const;

  /// Find + Bind + call. InvalidArgument also for different lengths.
  Result<double> Compute(std::string_view name, std::span<const double> gold,
                         std::span<const double> pred, const MetricOptions& options = {}) const;

  /// Canonical names in registration order.
  std::vector<std::string> Names() const;
  /// Every accepted name (canonical, class names, aliases), sorted.
  std::vector<std::string> AcceptedNames() const;

 private:
  std::deque<MetricInfo> metrics_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

/// The built-in metrics: accuracy, mae, off_by_one, off_by_two, off_by_three,
/// spearman_correlation, kendall_tau, pearson_correlation, qwk.
MetricRegistry BuiltinMetrics();

/// The worst possible raw value of the metric (hypervolume reference, §9 of the protocol):
/// -1 for correlations and QWK, 0 for rates, scale max - min for MAE (needs options.scale).
Result<double> WorstValue(const MetricInfo& info, const MetricOptions& options = {});

/// Python's str(round(value * display_factor, decimals)): round-half-even on the binary value,
/// shortest form ("50.0", "2.7", "70.8"); with 0 decimals an integer string ("71").
std::string FormatForDisplay(const MetricInfo& info, double value);

}  // namespace judgeopt::metrics
