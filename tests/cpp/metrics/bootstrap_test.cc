#include "judgeopt/metrics/bootstrap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "judgeopt/metrics/agreement.h"
#include "judgeopt/metrics/correlation.h"

namespace judgeopt::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using V = std::vector<double>;

// 60 noisy but correlated pairs on a 1-5 scale, built from a fixed formula.
void MakeData(V& gold, V& pred) {
  for (int i = 0; i < 60; ++i) {
    gold.push_back(1 + (i * 7) % 5);
    pred.push_back(std::clamp(gold.back() + ((i * 13) % 3) - 1.0, 1.0, 5.0));
  }
}

TEST(LinearQuantile, NumpyLinearInterpolation) {
  const V sorted{1, 2, 3, 4};
  // Position q * (n - 1): 0.25 * 3 = 0.75 -> 1 + 0.75 * (2 - 1).
  EXPECT_DOUBLE_EQ(LinearQuantile(sorted, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(LinearQuantile(sorted, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(LinearQuantile(sorted, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(LinearQuantile(V{7}, 0.975), 7.0);
}

TEST(BootstrapCi, DeterministicForASeedAndSensitiveToIt) {
  V gold, pred;
  MakeData(gold, pred);
  BootstrapOptions opt;
  opt.seed = 42;
  auto a = BootstrapCi(gold, pred, Spearman, opt);
  auto b = BootstrapCi(gold, pred, Spearman, opt);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->low, b->low);
  EXPECT_EQ(a->high, b->high);
  opt.seed = 43;
  auto c = BootstrapCi(gold, pred, Spearman, opt);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->low != a->low || c->high != a->high);
}

TEST(BootstrapCi, IntervalContainsTheEstimateAndNarrowsWithConfidence) {
  V gold, pred;
  MakeData(gold, pred);
  gold.push_back(kNaN);
  pred.push_back(3);
  for (const PairMetricFn& fn : {PairMetricFn(Spearman), PairMetricFn(Mae)}) {
    auto ci = BootstrapCi(gold, pred, fn, {.resamples = 500, .confidence = 0.95, .seed = 1});
    ASSERT_TRUE(ci.ok());
    EXPECT_EQ(ci->n, 60u);
    EXPECT_EQ(ci->missing, 1u);
    EXPECT_DOUBLE_EQ(ci->estimate,
                     fn(V(gold.begin(), gold.end() - 1), V(pred.begin(), pred.end() - 1)));
    EXPECT_LT(ci->low, ci->estimate);
    EXPECT_GT(ci->high, ci->estimate);
    auto narrow = BootstrapCi(gold, pred, fn, {.resamples = 500, .confidence = 0.5, .seed = 1});
    ASSERT_TRUE(narrow.ok());
    // Same draws, inner quantiles.
    EXPECT_GE(narrow->low, ci->low);
    EXPECT_LE(narrow->high, ci->high);
  }
}

TEST(BootstrapCi, ConstantMetricGivesAPointInterval) {
  V gold, pred;
  MakeData(gold, pred);
  auto ci = BootstrapCi(gold, pred, [](auto, auto) { return 0.25; });
  ASSERT_TRUE(ci.ok());
  EXPECT_EQ(ci->low, 0.25);
  EXPECT_EQ(ci->high, 0.25);
}

TEST(BootstrapCi, EmptyAndInvalidInputs) {
  auto empty = BootstrapCi(V{kNaN}, V{1}, Mae);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->n, 0u);
  EXPECT_EQ(empty->low, 0.0);
  EXPECT_EQ(empty->high, 0.0);
  EXPECT_FALSE(BootstrapCi(V{1, 2}, V{1}, Mae).ok());
  EXPECT_FALSE(BootstrapCi(V{1}, V{1}, Mae, {.resamples = 0}).ok());
  EXPECT_FALSE(BootstrapCi(V{1}, V{1}, Mae, {.confidence = 1.0}).ok());
  EXPECT_FALSE(BootstrapCi(V{1}, V{1}, [](auto, auto) { return kNaN; }).ok());
}

}  // namespace
}  // namespace judgeopt::metrics
