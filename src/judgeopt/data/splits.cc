#include "judgeopt/data/splits.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "judgeopt/base/numpy_random.h"

namespace judgeopt::data {
namespace {

std::vector<std::size_t>* SplitByName(Splits& s, const std::string& name) {
  if (name == "train") return &s.train;
  if (name == "validation") return &s.validation;
  return &s.test;
}

const SplitSize& SizeByName(const SplitSpec& spec, const std::string& name) {
  if (name == "train") return spec.train;
  if (name == "validation") return spec.validation;
  return spec.test;
}

}  // namespace

std::vector<std::size_t> Shuffled(const std::vector<std::size_t>& rows, std::uint32_t seed) {
  std::vector<std::size_t> perm = Permutation(rows.size(), seed);
  std::vector<std::size_t> out(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) out[k] = rows[perm[k]];
  return out;
}

Result<Splits> CutSingleFile(std::size_t n, const SplitSpec& spec, const std::string& origin) {
  Splits out;
  if (!spec.train.given && !spec.validation.given && !spec.test.given) {
    out.test.resize(n);
    std::iota(out.test.begin(), out.test.end(), std::size_t{0});
    return out;
  }
  std::size_t counts[3] = {0, 0, 0};
  double ratio_sum = 0;
  std::size_t total = 0;
  for (int i = 0; i < 3; ++i) {
    const SplitSize& z = SizeByName(spec, spec.order[i]);
    counts[i] = z.ratio ? static_cast<std::size_t>(std::floor(z.value * static_cast<double>(n)))
                        : static_cast<std::size_t>(z.value);
    ratio_sum += z.ratio ? z.value : 0;
    total += counts[i];
  }
  if (std::abs(ratio_sum - 1.0) < 1e-9 && total < n) {
    for (int i = 0; i < 3; ++i) counts[i] += spec.order[i] == "train" ? n - total : 0;
    total = n;
  }
  if (total > n) {
    return InvalidArgument(fmt::format(
        "{}: key 'split': the splits need {} rows but the data has {}", origin, total, n));
  }
  std::vector<std::size_t> perm = Permutation(n, spec.seed);
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) {
    SplitByName(out, spec.order[i])->assign(perm.begin() + at, perm.begin() + at + counts[i]);
    at += counts[i];
  }
  return out;
}

std::vector<std::size_t> StudyWorkingOrder(const std::vector<std::size_t>& stored) {
  return Shuffled(stored, kStudyShuffleSeed);
}

std::vector<std::size_t> StudyValidation(const std::vector<std::size_t>& working_train) {
  std::vector<std::size_t> again = Shuffled(working_train, kStudyShuffleSeed);
  std::size_t keep = std::min(kStudyValidationSize, again.size());
  std::vector<std::size_t> tail(again.end() - keep, again.end());
  return Shuffled(tail, kStudyValidationOrderSeed);
}

std::vector<std::size_t> StudyEvaluationOrder(const std::vector<std::size_t>& working, int step) {
  const auto seed = static_cast<std::uint32_t>(step < 0 ? -static_cast<long long>(step) : step);
  return Shuffled(working, seed);
}

Splits PaperProtocolSplits(const std::vector<std::size_t>& stored_train,
                           const std::vector<std::size_t>& stored_test) {
  Splits out;
  out.train = StudyWorkingOrder(stored_train);
  out.test = StudyWorkingOrder(stored_test);
  out.validation = StudyValidation(out.train);
  return out;
}

}  // namespace judgeopt::data
