#include "judgeopt/metrics/grouped.h"

#include <map>
#include <string_view>
#include <vector>

#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {
namespace {

struct GroupPairs {
  std::vector<double> gold;
  std::vector<double> pred;
};

}  // namespace

double PooledCorrelation(CorrelationKind kind, std::span<const double> gold,
                         std::span<const double> pred) {
  return TryCorrelation(kind, gold, pred).value_or(0.0);
}

Result<GroupedCorrelation> PerGroupCorrelation(CorrelationKind kind, std::span<const double> gold,
                                               std::span<const double> pred,
                                               std::span<const std::string> groups,
                                               UndefinedGroupPolicy policy) {
  if (gold.size() != pred.size() || gold.size() != groups.size()) {
    return InvalidArgument("metrics: per-group correlation needs equal lengths, got gold " +
                           std::to_string(gold.size()) + ", pred " + std::to_string(pred.size()) +
                           ", groups " + std::to_string(groups.size()));
  }
  std::map<std::string_view, GroupPairs> by_key;
  GroupedCorrelation out;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    GroupPairs& g = by_key[groups[i]];
    if (!IsUsablePair(gold[i], pred[i])) {
      ++out.missing;
      continue;
    }
    g.gold.push_back(gold[i]);
    g.pred.push_back(pred[i]);
  }
  out.groups = by_key.size();
  double sum = 0;
  std::size_t counted = 0;
  for (const auto& [key, g] : by_key) {
    const std::optional<double> r = TryCorrelation(kind, g.gold, g.pred);
    if (r) {
      ++out.groups_defined;
      sum += *r;
      ++counted;
    } else {
      ++out.groups_undefined;
      if (policy == UndefinedGroupPolicy::kZero) ++counted;
    }
  }
  out.mean = counted == 0 ? 0.0 : sum / static_cast<double>(counted);
  return out;
}

}  // namespace judgeopt::metrics
