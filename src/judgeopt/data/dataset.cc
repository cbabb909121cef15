#include "judgeopt/data/dataset.h"

#include <cmath>

namespace judgeopt::data {

bool Scale::Contains(double v) const {
  if (!std::isfinite(v) || v < min || v > max) return false;
  return !integer || std::floor(v) == v;
}

int Dataset::CriterionIndex(const std::string& n) const {
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    if (criteria[i].name == n) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<std::size_t>* Dataset::Split(const std::string& n) const {
  if (n == "train") return &splits.train;
  if (n == "validation" || n == "val") return &splits.validation;
  if (n == "test") return &splits.test;
  return nullptr;
}

}  // namespace judgeopt::data
