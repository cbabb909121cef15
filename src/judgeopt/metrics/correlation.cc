#include "judgeopt/metrics/correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {
namespace {

constexpr std::size_t kMinPairs = 3;

bool IsConstant(std::span<const double> v) {
  return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
}

/// Shared guard: enough pairs and neither side constant.
bool Defined(const FinitePairs& p) {
  return p.size() >= kMinPairs && !IsConstant(p.gold) && !IsConstant(p.pred);
}

std::optional<double> Finish(double r) {
  if (std::isnan(r)) return std::nullopt;
  return std::clamp(r, -1.0, 1.0);
}

double Mean(std::span<const double> v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

/// Pearson on pairs already known to be finite, non-constant and at least kMinPairs long.
double PearsonCore(std::span<const double> x, std::span<const double> y) {
  const double mx = Mean(x);
  const double my = Mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mx;
    const double dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / std::sqrt(sxx * syy);
}

/// Counts pairs i < j with v[i] > v[j] (strict inversions) by merge sort; sorts v.
std::int64_t CountStrictInversions(std::vector<double>& v) {
  std::vector<double> buf(v.size());
  std::int64_t inversions = 0;
  for (std::size_t width = 1; width < v.size(); width *= 2) {
    for (std::size_t lo = 0; lo < v.size(); lo += 2 * width) {
      const std::size_t mid = std::min(lo + width, v.size());
      const std::size_t hi = std::min(lo + 2 * width, v.size());
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (v[j] < v[i]) {
          inversions += static_cast<std::int64_t>(mid - i);
          buf[k++] = v[j++];
        } else {
          buf[k++] = v[i++];
        }
      }
      while (i < mid) buf[k++] = v[i++];
      while (j < hi) buf[k++] = v[j++];
    }
    v.swap(buf);
  }
  return inversions;
}

/// Sum over runs of equal values (v sorted) of len*(len-1)/2.
std::int64_t TiedPairs(std::span<const double> sorted) {
  std::int64_t ties = 0;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= sorted.size(); ++i) {
    if (i == sorted.size() || sorted[i] != sorted[start]) {
      const auto len = static_cast<std::int64_t>(i - start);
      ties += len * (len - 1) / 2;
      start = i;
    }
  }
  return ties;
}

}  // namespace

std::vector<double> AverageRanks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  std::size_t start = 0;
  for (std::size_t i = 1; i <= order.size(); ++i) {
    if (i == order.size() || values[order[i]] != values[order[start]]) {
      // Positions start..i-1 hold ranks start+1..i; their mean is (start + 1 + i) / 2.
      const double rank = (static_cast<double>(start) + 1.0 + static_cast<double>(i)) / 2.0;
      for (std::size_t k = start; k < i; ++k) ranks[order[k]] = rank;
      start = i;
    }
  }
  return ranks;
}

std::optional<double> TryPearson(std::span<const double> gold, std::span<const double> pred) {
  const FinitePairs p = FilterFinitePairsOrThrow(gold, pred);
  if (!Defined(p)) return std::nullopt;
  return Finish(PearsonCore(p.gold, p.pred));
}

std::optional<double> TrySpearman(std::span<const double> gold, std::span<const double> pred) {
  const FinitePairs p = FilterFinitePairsOrThrow(gold, pred);
  if (!Defined(p)) return std::nullopt;
  return Finish(PearsonCore(AverageRanks(p.gold), AverageRanks(p.pred)));
}

std::optional<double> TryKendallTau(std::span<const double> gold, std::span<const double> pred) {
  const FinitePairs p = FilterFinitePairsOrThrow(gold, pred);
  if (!Defined(p)) return std::nullopt;
  const std::size_t n = p.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (p.gold[a] != p.gold[b]) return p.gold[a] < p.gold[b];
    return p.pred[a] < p.pred[b];
  });
  std::vector<double> xs(n), ys(n);
  std::int64_t joint_ties = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = p.gold[order[i]];
    ys[i] = p.pred[order[i]];
    if (i > 0 && (xs[i] != xs[start] || ys[i] != ys[start])) {
      const auto len = static_cast<std::int64_t>(i - start);
      joint_ties += len * (len - 1) / 2;
      start = i;
    }
  }
  const auto last = static_cast<std::int64_t>(n - start);
  joint_ties += last * (last - 1) / 2;
  const std::int64_t x_ties = TiedPairs(xs);
  // Sorted by (gold, pred), pairs tied in gold are never strict inversions of pred.
  const std::int64_t discordant = CountStrictInversions(ys);  // leaves ys sorted
  const std::int64_t y_ties = TiedPairs(ys);
  const auto total = static_cast<std::int64_t>(n) * static_cast<std::int64_t>(n - 1) / 2;
  const double numer = static_cast<double>(total - x_ties - y_ties + joint_ties - 2 * discordant);
  const double denom = std::sqrt(static_cast<double>(total - x_ties)) *
                       std::sqrt(static_cast<double>(total - y_ties));
  return Finish(numer / denom);
}

double Pearson(std::span<const double> gold, std::span<const double> pred) {
  return TryPearson(gold, pred).value_or(0.0);
}

double Spearman(std::span<const double> gold, std::span<const double> pred) {
  return TrySpearman(gold, pred).value_or(0.0);
}

double KendallTau(std::span<const double> gold, std::span<const double> pred) {
  return TryKendallTau(gold, pred).value_or(0.0);
}

std::optional<double> TryCorrelation(CorrelationKind kind, std::span<const double> gold,
                                     std::span<const double> pred) {
  switch (kind) {
    case CorrelationKind::kSpearman:
      return TrySpearman(gold, pred);
    case CorrelationKind::kKendall:
      return TryKendallTau(gold, pred);
    case CorrelationKind::kPearson:
      return TryPearson(gold, pred);
  }
  return std::nullopt;
}

}  // namespace judgeopt::metrics
