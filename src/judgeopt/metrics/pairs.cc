#include "judgeopt/metrics/pairs.h"

#include <stdexcept>
#include <string>

namespace judgeopt::metrics {
namespace {

std::string LengthMessage(std::size_t gold, std::size_t pred) {
  return "metrics: gold has " + std::to_string(gold) + " values but pred has " +
         std::to_string(pred);
}

FinitePairs Filter(std::span<const double> gold, std::span<const double> pred) {
  FinitePairs out;
  out.gold.reserve(gold.size());
  out.pred.reserve(pred.size());
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (IsUsablePair(gold[i], pred[i])) {
      out.gold.push_back(gold[i]);
      out.pred.push_back(pred[i]);
    } else {
      ++out.missing;
    }
  }
  return out;
}

}  // namespace

Result<FinitePairs> FilterFinitePairs(std::span<const double> gold, std::span<const double> pred) {
  if (gold.size() != pred.size()) return InvalidArgument(LengthMessage(gold.size(), pred.size()));
  return Filter(gold, pred);
}

FinitePairs FilterFinitePairsOrThrow(std::span<const double> gold, std::span<const double> pred) {
  if (gold.size() != pred.size()) {
    throw std::invalid_argument(LengthMessage(gold.size(), pred.size()));
  }
  return Filter(gold, pred);
}

}  // namespace judgeopt::metrics
