#include "judgeopt/metrics/correlation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace judgeopt::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using V = std::vector<double>;

// Independent O(n^2) references, written straight from the definitions.
double NaiveRank(const V& v, std::size_t i) {
  double less = 0, equal = 0;
  for (double x : v) {
    less += x < v[i];
    equal += x == v[i];
  }
  return less + (equal + 1) / 2;  // mean of ranks less+1 .. less+equal
}

double NaiveTauB(const V& x, const V& y) {
  double c = 0, d = 0, tx = 0, ty = 0;  // tx: tied only in x, ty: tied only in y
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0) continue;
      if (dx == 0) {
        ++tx;
      } else if (dy == 0) {
        ++ty;
      } else if (dx * dy > 0) {
        ++c;
      } else {
        ++d;
      }
    }
  }
  return (c - d) / std::sqrt((c + d + tx) * (c + d + ty));
}

TEST(AverageRanks, TiesGetTheMeanRank) {
  // Sorted: 1 (rank 1), 2 2 (ranks 2,3 -> 2.5), 5 (rank 4), 7 7 7 (ranks 5,6,7 -> 6).
  EXPECT_EQ(AverageRanks(V{7, 2, 1, 7, 5, 2, 7}), (V{6, 2.5, 1, 6, 4, 2.5, 6}));
  EXPECT_TRUE(AverageRanks(V{}).empty());
}

TEST(Spearman, ScipyDocumentationExampleWithTies) {
  // Ranks of pred {5,6,7,8,7} are {1,2,3.5,5,3.5}; against gold ranks 1..5 both means are 3,
  // sxy = 4+1+0+2+1 = 8, sxx = 10, syy = 9.5, so rho = 8/sqrt(95) (scipy docs: 0.82078...).
  EXPECT_NEAR(Spearman(V{1, 2, 3, 4, 5}, V{5, 6, 7, 8, 7}), 8 / std::sqrt(95.0), 1e-15);
}

TEST(Spearman, NoTiesMatchesTheDifferenceFormula) {
  // 1 - 6 * sum d^2 / (n (n^2 - 1)) with d = {0, 1, 1, 0}: 1 - 12/60 = 0.8.
  EXPECT_NEAR(Spearman(V{1, 2, 3, 4}, V{10, 30, 20, 40}), 0.8, 1e-15);
  EXPECT_NEAR(Spearman(V{1, 2, 3, 4}, V{4, 3, 2, 1}), -1.0, 1e-15);
}

TEST(Kendall, TauBWithTiesOnBothSides) {
  // Pairs: 3 concordant, 1 discordant, 1 tied only in gold, 1 tied only in pred, none tied in
  // both: tau-b = (3 - 1) / sqrt((6 - 1) * (6 - 1)) = 0.4 (tau-a would be 2/6).
  EXPECT_NEAR(KendallTau(V{1, 2, 2, 3}, V{1, 3, 2, 2}), 0.4, 1e-15);
}

TEST(Kendall, ScipyDocumentationExample) {
  // scipy.stats.kendalltau docs: x = [12, 2, 1, 12, 2], y = [1, 4, 7, 1, 0] -> -0.4714045...
  // By hand: C = 2, D = 6, tied in x only 1, in both 1: (2-6)/sqrt(9*8) = -sqrt(2)/3.
  EXPECT_NEAR(KendallTau(V{12, 2, 1, 12, 2}, V{1, 4, 7, 1, 0}), -std::sqrt(2.0) / 3, 1e-15);
}

TEST(Pearson, HandComputed) {
  // Means 2 and 13/3; sxy = 5, sxx = 2, syy = 114/9: r = 15/sqrt(228).
  EXPECT_NEAR(Pearson(V{1, 2, 3}, V{2, 4, 7}), 15 / std::sqrt(228.0), 1e-15);
  EXPECT_NEAR(Pearson(V{1, 2, 3}, V{-2, -4, -6}), -1.0, 1e-15);
}

TEST(Correlations, GuardsGiveZeroAndTryFormsGiveNothing) {
  const V three{1, 2, 3};
  // Fewer than 3 pairs.
  EXPECT_EQ(Spearman(V{1, 2}, V{1, 2}), 0.0);
  EXPECT_EQ(KendallTau(V{1, 2}, V{2, 1}), 0.0);
  EXPECT_EQ(Pearson(V{}, V{}), 0.0);
  EXPECT_FALSE(TryPearson(V{1, 2}, V{1, 2}).has_value());
  // A constant side, including one that is constant only after dropping NaN pairs.
  EXPECT_EQ(Spearman(three, V{4, 4, 4}), 0.0);
  EXPECT_EQ(KendallTau(V{4, 4, 4}, three), 0.0);
  EXPECT_EQ(Pearson(three, V{0.1, 0.1, 0.1}), 0.0);
  EXPECT_FALSE(TrySpearman(V{1, 2, 3, 4}, V{5, 5, 5, kNaN}).has_value());
  // NaN pairs dropped leaving fewer than 3.
  EXPECT_FALSE(TryKendallTau(V{1, 2, kNaN, 4}, V{1, kNaN, 3, 4}).has_value());
  // A defined case is not guarded.
  EXPECT_TRUE(TryPearson(three, V{1, 3, 2}).has_value());
}

TEST(Correlations, DropNonFinitePairs) {
  const double inf = std::numeric_limits<double>::infinity();
  // After dropping the NaN and inf pairs this is the Pearson hand case above.
  EXPECT_NEAR(Pearson(V{1, kNaN, 2, 9, 3}, V{2, 5, 4, inf, 7}), 15 / std::sqrt(228.0), 1e-15);
}

TEST(Correlations, LengthMismatchIsABug) {
  EXPECT_THROW(Spearman(V{1, 2, 3}, V{1, 2}), std::invalid_argument);
}

TEST(Correlations, TryCorrelationDispatches) {
  const V x{1, 2, 2, 3}, y{1, 3, 2, 2};
  EXPECT_EQ(TryCorrelation(CorrelationKind::kKendall, x, y), TryKendallTau(x, y));
  EXPECT_EQ(TryCorrelation(CorrelationKind::kSpearman, x, y), TrySpearman(x, y));
  EXPECT_EQ(TryCorrelation(CorrelationKind::kPearson, x, y), TryPearson(x, y));
}

TEST(Correlations, MatchNaiveReferencesOnRandomTiedData) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> small(1, 5);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 3 + trial % 60;
    V x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = small(rng);
      y[i] = (trial % 2 == 0) ? small(rng) : x[i] + 0.5 * small(rng);
    }
    const auto tau = TryKendallTau(x, y);
    const auto rho = TrySpearman(x, y);
    ASSERT_EQ(tau.has_value(), rho.has_value());
    if (!tau) continue;  // a constant side
    V rx(n), ry(n);
    for (std::size_t i = 0; i < n; ++i) {
      rx[i] = NaiveRank(x, i);
      ry[i] = NaiveRank(y, i);
    }
    EXPECT_NEAR(*tau, NaiveTauB(x, y), 1e-12) << "trial " << trial;
    EXPECT_NEAR(*rho, *TryPearson(rx, ry), 1e-12) << "trial " << trial;
  }
}

}  // namespace
}  // namespace judgeopt::metrics
