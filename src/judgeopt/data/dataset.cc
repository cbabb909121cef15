#include "judgeopt/data/dataset.h"

#include <cmath>
#include <optional>

namespace judgeopt::data {
namespace {

constexpr NamedValue<SplitId> kSplitIds[] = {{SplitId::kTrain, "train"},
                                             {SplitId::kValidation, "validation"},
                                             {SplitId::kValidation, "val"},
                                             {SplitId::kTest, "test"}};

}  // namespace

std::span<const NamedValue<SplitId>> NamesOf(SplitId) { return kSplitIds; }

const std::vector<std::size_t>& Splits::Of(SplitId id) const {
  switch (id) {
    case SplitId::kTrain:
      return train;
    case SplitId::kValidation:
      return validation;
    case SplitId::kTest:
      return test;
  }
  return test;
}

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
  if (std::optional<SplitId> id = FindEnum<SplitId>(n)) return &splits.Of(*id);
  return nullptr;
}

}  // namespace judgeopt::data
