#include "judgeopt/metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "judgeopt/base/strings.h"
#include "judgeopt/metrics/correlation.h"

namespace judgeopt::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <double (*Fn)(std::span<const double>, std::span<const double>)>
double Unscaled(std::span<const double> gold, std::span<const double> pred, const ScaleRange&) {
  return Fn(gold, pred);
}

template <int K>
double OffBy(std::span<const double> gold, std::span<const double> pred, const ScaleRange&) {
  return OffByK(gold, pred, K);
}

double Qwk(std::span<const double> gold, std::span<const double> pred, const ScaleRange& scale) {
  return QuadraticWeightedKappa(gold, pred, scale);
}

/// Shared display and direction rules of a family of metrics.
enum class Family { kRate, kCorrelation, kError };

MetricInfo Make(Family family, std::string name, std::string class_name,
                std::vector<std::string> aliases, std::string display, MetricInfo::ComputeFn fn) {
  MetricInfo m;
  m.name = std::move(name);
  m.class_name = std::move(class_name);
  m.aliases = std::move(aliases);
  m.display_name = std::move(display);
  m.compute = fn;
  switch (family) {
    case Family::kRate:
      m.decimals = 1;
      m.display_factor = 100.0;
      m.worst = 0.0;
      break;
    case Family::kCorrelation:
      m.decimals = 3;
      m.worst = -1.0;
      break;
    case Family::kError:
      m.direction = Direction::kMinimize;
      m.decimals = 2;
      m.worst = kNaN;  // scale-dependent
      break;
  }
  return m;
}

}  // namespace

Status MetricRegistry::Add(MetricInfo info) {
  std::vector<std::string> keys = info.aliases;
  keys.push_back(info.name);
  keys.push_back(info.class_name);
  for (const std::string& key : keys) {
    if (auto it = index_.find(key); it != index_.end()) {
      return InvalidArgument("metrics: name '" + key + "' is already registered for '" +
                             metrics_[it->second].name + "'");
    }
  }
  for (const std::string& key : keys) index_.emplace(key, metrics_.size());
  metrics_.push_back(std::move(info));
  return Status::Ok();
}

Result<const MetricInfo*> MetricRegistry::Find(std::string_view name) const {
  auto it = index_.find(name);
  if (it == index_.end()) {
    return InvalidArgument("metrics: unknown metric '" + std::string(name) +
                           "'; valid names: " + Join(AcceptedNames(), ", "));
  }
  return &metrics_[it->second];
}

Result<PairMetricFn> MetricRegistry::Bind(std::string_view name,
                                          const MetricOptions& options) const {
  JO_ASSIGN_OR_RETURN(const MetricInfo* info, Find(name));
  if (info->needs_scale && !options.scale) {
    return InvalidArgument("metrics: metric '" + info->name +
                           "' needs the criterion's scale (min, max)");
  }
  const ScaleRange scale = options.scale.value_or(ScaleRange{});
  const MetricInfo::ComputeFn fn = info->compute;
  return PairMetricFn([fn, scale](std::span<const double> gold, std::span<const double> pred) {
    return fn(gold, pred, scale);
  });
}

Result<double> MetricRegistry::Compute(std::string_view name, std::span<const double> gold,
                                       std::span<const double> pred,
                                       const MetricOptions& options) const {
  if (gold.size() != pred.size()) {
    return InvalidArgument("metrics: gold has " + std::to_string(gold.size()) +
                           " values but pred has " + std::to_string(pred.size()));
  }
  JO_ASSIGN_OR_RETURN(const PairMetricFn fn, Bind(name, options));
  return fn(gold, pred);
}

std::vector<std::string> MetricRegistry::Names() const {
  std::vector<std::string> out;
  for (const MetricInfo& m : metrics_) out.push_back(m.name);
  return out;
}

std::vector<std::string> MetricRegistry::AcceptedNames() const {
  std::vector<std::string> out;
  for (const auto& [key, unused] : index_) out.push_back(key);
  return out;
}

MetricRegistry BuiltinMetrics() {
  using F = Family;
  std::vector<MetricInfo> all = {
      Make(F::kRate, "accuracy", "Accuracy", {"acc"}, "Accuracy", &Unscaled<Accuracy>),
      Make(F::kError, "mae", "MAE", {}, "MAE", &Unscaled<Mae>),
      Make(F::kRate, "off_by_one", "OffByOne", {"off_by_1", "offby1"}, "Off-by-1", &OffBy<1>),
      Make(F::kRate, "off_by_two", "OffByTwo", {"off_by_2", "offby2"}, "Off-by-2", &OffBy<2>),
      Make(F::kRate, "off_by_three", "OffByThree", {"off_by_3", "offby3"}, "Off-by-3", &OffBy<3>),
      Make(F::kCorrelation, "spearman_correlation", "SpearmanCorrelation", {"spearman"}, "Spearman",
           &Unscaled<Spearman>),
      Make(F::kCorrelation, "kendall_tau", "KendallTau", {"kendall"}, "Kendall",
           &Unscaled<KendallTau>),
      Make(F::kCorrelation, "pearson_correlation", "PearsonCorrelation", {"pearson"}, "Pearson",
           &Unscaled<Pearson>),
      Make(F::kCorrelation, "qwk", "QuadraticWeightedKappa", {"quadratic_weighted_kappa"}, "QWK",
           &Qwk),
  };
  all.back().needs_scale = true;
  MetricRegistry registry;
  for (MetricInfo& info : all) {
    const Status st = registry.Add(std::move(info));
    if (!st.ok()) throw std::logic_error(st.error().ToString());  // a bug in the table above
  }
  return registry;
}

Result<double> WorstValue(const MetricInfo& info, const MetricOptions& options) {
  if (!std::isnan(info.worst)) return info.worst;
  if (!options.scale) {
    return InvalidArgument("metrics: the worst value of '" + info.name +
                           "' needs the criterion's scale (min, max)");
  }
  return options.scale->max - options.scale->min;
}

std::string FormatForDisplay(const MetricInfo& info, double value) {
  const double scaled = value * info.display_factor;
  if (!std::isfinite(scaled)) return std::isnan(scaled) ? "nan" : (scaled > 0 ? "inf" : "-inf");
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof(buf), scaled, std::chars_format::fixed,
                                 std::max(info.decimals, 0));
  std::string out(buf, res.ptr);
  if (info.decimals <= 0) return out == "-0" ? "0" : out;
  // Python's repr of the rounded float: drop trailing zeros but keep one decimal.
  while (out.back() == '0' && out[out.size() - 2] != '.') out.pop_back();
  return out;
}

}  // namespace judgeopt::metrics
