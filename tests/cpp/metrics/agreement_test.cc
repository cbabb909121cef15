#include "judgeopt/metrics/agreement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "judgeopt/metrics/pairs.h"

namespace judgeopt::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using V = std::vector<double>;

// Textbook QWK from the confusion matrix: 1 - sum w O / sum w E, E = outer(rows, cols) / n,
// w = (i - j)^2. Inputs are already integer categories lo..hi.
double MatrixQwk(const V& a, const V& b, int lo, int hi) {
  const int k = hi - lo + 1;
  std::vector<std::vector<double>> o(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < a.size(); ++i) o[int(a[i]) - lo][int(b[i]) - lo] += 1;
  std::vector<double> rows(k, 0.0), cols(k, 0.0);
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      rows[i] += o[i][j];
      cols[j] += o[i][j];
    }
  }
  double num = 0, den = 0;
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      num += (i - j) * (i - j) * o[i][j];
      den += (i - j) * (i - j) * rows[i] * cols[j] / static_cast<double>(a.size());
    }
  }
  return 1 - num / den;
}

TEST(FilterFinitePairs, DropsAndCountsNonFinitePairs) {
  const double inf = std::numeric_limits<double>::infinity();
  auto p = FilterFinitePairs(V{1, kNaN, 3, 4, 5}, V{2, 2, kNaN, -inf, 6});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->gold, (V{1, 5}));
  EXPECT_EQ(p->pred, (V{2, 6}));
  EXPECT_EQ(p->missing, 3u);
  EXPECT_EQ(p->size(), 2u);
}

TEST(FilterFinitePairs, LengthMismatch) {
  auto p = FilterFinitePairs(V{1, 2}, V{1});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message.find("2"), std::string::npos);
  EXPECT_THROW(FilterFinitePairsOrThrow(V{1, 2}, V{1}), std::invalid_argument);
}

TEST(ErrorMetrics, HandComputedWithAMissingPair) {
  // Finite pairs: (1,1), (2,4), (3.5,3); absolute errors 0, 2, 0.5.
  const V gold{1, 2, 3.5, 4}, pred{1, 4, 3, kNaN};
  EXPECT_DOUBLE_EQ(Mae(gold, pred), 2.5 / 3);
  EXPECT_DOUBLE_EQ(OffByK(gold, pred, 1), 2.0 / 3);
  EXPECT_DOUBLE_EQ(OffByK(gold, pred, 2), 1.0);
  EXPECT_DOUBLE_EQ(OffByK(gold, pred, 0), 1.0 / 3);
  EXPECT_DOUBLE_EQ(Accuracy(gold, pred), 1.0 / 3);
}

TEST(ErrorMetrics, OffByKBoundaryIsInclusive) {
  // |2 - 3| = 1 is within 1; a gold mean of 3.67 against 5 is 1.33 away and is not.
  EXPECT_EQ(OffByK(V{2, 11.0 / 3}, V{3, 5}, 1), 0.5);
  // Decimal noise just above k still counts (0.1 * 3 = 0.30000000000000004).
  EXPECT_EQ(OffByK(V{0.0}, V{0.1 * 3}, 0.3), 1.0);
}

TEST(ErrorMetrics, AccuracyIsExactEquality) {
  EXPECT_EQ(Accuracy(V{4, 11.0 / 3, 2}, V{4.0, 4, 2}), 2.0 / 3);
}

TEST(ErrorMetrics, EmptyAfterFilteringGivesZero) {
  EXPECT_EQ(Mae(V{}, V{}), 0.0);
  EXPECT_EQ(Mae(V{kNaN, 1}, V{1, kNaN}), 0.0);
  EXPECT_EQ(OffByK(V{kNaN}, V{1}, 1), 0.0);
  EXPECT_EQ(Accuracy(V{}, V{}), 0.0);
  EXPECT_EQ(QuadraticWeightedKappa(V{kNaN}, V{1}, {1, 5}), 0.0);
}

TEST(ErrorMetrics, LengthMismatchIsABug) {
  EXPECT_THROW(Mae(V{1}, V{}), std::invalid_argument);
  EXPECT_THROW(Accuracy(V{1}, V{}), std::invalid_argument);
}

TEST(Qwk, HandComputed) {
  // Observed mean squared difference (0+1+0+1)/4 = 0.5; both sides are the multiset {1,2,3,3}
  // (mean 2.25, variance 0.6875), so expected = 1.375 and kappa = 1 - 0.5/1.375 = 7/11.
  const V gold{1, 2, 3, 3}, pred{1, 3, 3, 2};
  EXPECT_NEAR(QuadraticWeightedKappa(gold, pred, {1, 3}), 7.0 / 11, 1e-15);
  EXPECT_NEAR(MatrixQwk(gold, pred, 1, 3), 7.0 / 11, 1e-15);
  EXPECT_NEAR(QuadraticWeightedKappa(gold, gold, {1, 3}), 1.0, 1e-15);
}

TEST(Qwk, RoundsNonIntegerGoldAndClampsIntoTheScale) {
  // 1.33 -> 1, 2.67 -> 3, 3.5 -> 4 (halves away from zero), 7 -> 5 (clamped), 0.2 -> 1.
  const V gold{1.33, 2.67, 3.5, 7, 0.2}, pred{1, 2, 4, 5, 2};
  const V categories{1, 3, 4, 5, 1};
  EXPECT_NEAR(QuadraticWeightedKappa(gold, pred, {1, 5}), MatrixQwk(categories, pred, 1, 5), 1e-12);
}

TEST(Qwk, MatchesTheMatrixFormOnRandomData) {
  unsigned state = 12345;
  auto next = [&state](int mod) {
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 16) % mod);
  };
  for (int trial = 0; trial < 50; ++trial) {
    V a(20), b(20);
    for (int i = 0; i < 20; ++i) {
      a[i] = next(4);
      b[i] = next(4);
    }
    EXPECT_NEAR(QuadraticWeightedKappa(a, b, {0, 3}), MatrixQwk(a, b, 0, 3), 1e-12);
  }
}

TEST(Qwk, Guards) {
  // Both sides the same constant: expected disagreement 0.
  EXPECT_EQ(QuadraticWeightedKappa(V{3, 3, 3}, V{3, 3, 3}, {1, 5}), 0.0);
  // A single category.
  EXPECT_EQ(QuadraticWeightedKappa(V{1, 2}, V{2, 1}, {2, 2}), 0.0);
  // One side constant, the other not, is defined: gold {1, 5} against pred {3, 3} gives
  // observed (4 + 4)/2 = 4 and expected var 4 + var 0 + (3 - 3)^2 = 4, so kappa = 0.
  EXPECT_NEAR(QuadraticWeightedKappa(V{1, 5}, V{3, 3}, {1, 5}), 0.0, 1e-15);
  // Systematic disagreement goes negative: gold {1,5}, pred {5,1}: observed 16, expected
  // 4 + 4 + 0 = 8, kappa = 1 - 2 = -1.
  EXPECT_NEAR(QuadraticWeightedKappa(V{1, 5}, V{5, 1}, {1, 5}), -1.0, 1e-15);
}

}  // namespace
}  // namespace judgeopt::metrics
