#include "judgeopt/metrics/hypervolume.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "judgeopt/metrics/pareto.h"

namespace judgeopt::metrics {
namespace {

using V = std::vector<double>;
using Points = std::vector<V>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Hv(const Points& points, const V& ref) {
  auto hv = Hypervolume(points, ref);
  EXPECT_TRUE(hv.ok()) << hv.error().ToString();
  return hv.ok() ? *hv : -1;
}

// The study's table-script formula (§9): keep points strictly better than r everywhere, then
// sum over non-empty subsets S of (-1)^(|S|+1) prod_d (min_{p in S} p_d - r_d).
double InclusionExclusion(const Points& points, const V& ref) {
  Points kept;
  for (const V& p : points) {
    bool better = true;
    for (std::size_t d = 0; d < ref.size(); ++d) better = better && p[d] > ref[d];
    if (better) kept.push_back(p);
  }
  double total = 0;
  for (unsigned mask = 1; mask < (1u << kept.size()); ++mask) {
    V lo(ref.size(), std::numeric_limits<double>::infinity());
    int count = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (!(mask & (1u << i))) continue;
      ++count;
      for (std::size_t d = 0; d < ref.size(); ++d) lo[d] = std::min(lo[d], kept[i][d]);
    }
    double vol = 1;
    for (std::size_t d = 0; d < ref.size(); ++d) vol *= lo[d] - ref[d];
    total += (count % 2 == 1 ? vol : -vol);
  }
  return total;
}

TEST(Dominates, EdgeCases) {
  EXPECT_TRUE(Dominates(V{2, 1}, V{1, 1}));  // better in one, tied in the other
  EXPECT_FALSE(Dominates(V{1, 1}, V{2, 1}));
  EXPECT_FALSE(Dominates(V{1, 1}, V{1, 1}));  // equal points: neither dominates
  EXPECT_FALSE(Dominates(V{2, 0}, V{0, 2}));  // incomparable
  EXPECT_FALSE(Dominates(V{0, 2}, V{2, 0}));
  EXPECT_FALSE(Dominates(V{3, kNaN}, V{1, 1}));
  EXPECT_FALSE(Dominates(V{3, 3}, V{1, kNaN}));
  EXPECT_FALSE(Dominates(V{}, V{}));
  EXPECT_THROW(Dominates(V{1}, V{1, 2}), std::invalid_argument);
}

TEST(NonDominated, KeepsEqualPointsAndDropsDominatedOnes) {
  const Points pts{{1, 3}, {2, 2}, {1, 3}, {1, 2}, {3, 0}, {2, 2}, {0, 0}};
  EXPECT_EQ(NonDominatedIndices(pts), (std::vector<std::size_t>{0, 1, 2, 4, 5}));
  EXPECT_EQ(NonDominated(pts), (Points{{1, 3}, {2, 2}, {1, 3}, {3, 0}, {2, 2}}));
  EXPECT_TRUE(NonDominatedIndices(Points{}).empty());
}

TEST(Hypervolume, TwoDimensionalStaircase) {
  // Columns of widths 1 under heights 3, 2, 1: 3 + 2 + 1 = 6.
  EXPECT_DOUBLE_EQ(Hv({{1, 3}, {2, 2}, {3, 1}}, {0, 0}), 6.0);
  // Reference (-1, -1), by columns: x in (-1,1] height 4, (1,2] height 3, (2,3] height 2:
  // 8 + 3 + 2 = 13.
  EXPECT_DOUBLE_EQ(Hv({{1, 3}, {2, 2}, {3, 1}}, {-1, -1}), 13.0);
}

TEST(Hypervolume, ThreeDimensionalHandCases) {
  // Three 3x1x1 boxes along each axis: 3 * 3 - 3 pairwise unit overlaps + 1 common unit = 7.
  EXPECT_DOUBLE_EQ(Hv({{3, 1, 1}, {1, 3, 1}, {1, 1, 3}}, {0, 0, 0}), 7.0);
  // A unit cube and a 2x2x0.5 slab: 1 + 2 - overlap 1x1x0.5 = 2.5.
  EXPECT_DOUBLE_EQ(Hv({{1, 1, 1}, {2, 2, 0.5}}, {0, 0, 0}), 2.5);
}

TEST(Hypervolume, StudyExampleAndSinglePoints) {
  // Spearman 0.28 on all four criteria against r = -1: 1.28^4.
  EXPECT_NEAR(Hv({{0.28, 0.28, 0.28, 0.28}}, {-1, -1, -1, -1}), std::pow(1.28, 4), 1e-12);
  EXPECT_DOUBLE_EQ(Hv({{0.5}, {0.25}}, {-1}), 1.5);
  EXPECT_DOUBLE_EQ(Hv({V(8, 2.0)}, V(8, 0.0)), 256.0);
}

TEST(Hypervolume, IgnoresPointsNotStrictlyBetterThanTheReference) {
  EXPECT_DOUBLE_EQ(Hv({{5, 0}, {0, 5}, {-1, 9}}, {0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(Hv({{2, 2}, {5, 0}, {kNaN, 9}}, {0, 0}), 4.0);
  EXPECT_DOUBLE_EQ(Hv({}, {0, 0}), 0.0);
}

TEST(Hypervolume, DuplicatesAndDominatedPointsAddNothing) {
  EXPECT_DOUBLE_EQ(Hv({{1, 3}, {1, 3}, {0.5, 0.5}, {2, 2}, {2, 2}, {3, 1}}, {0, 0}), 6.0);
  EXPECT_DOUBLE_EQ(Hv({{3, 1, 1}, {1, 3, 1}, {3, 1, 1}, {1, 1, 3}, {1, 1, 1}}, {0, 0, 0}), 7.0);
}

TEST(Hypervolume, Errors) {
  EXPECT_FALSE(Hypervolume(Points{}, V{}).ok());
  EXPECT_FALSE(Hypervolume(Points{}, V(9, 0.0)).ok());
  EXPECT_FALSE(Hypervolume(Points{{1, 1}}, V{0, kNaN}).ok());
  auto mismatch = Hypervolume(Points{{1, 1}, {1, 1, 1}}, V{0, 0});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("point 1"), std::string::npos);
  EXPECT_FALSE(Hypervolume(Points{{1, std::numeric_limits<double>::infinity()}}, V{0, 0}).ok());
}

TEST(Hypervolume, MatchesInclusionExclusionOnRandomSets) {
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> real(-0.2, 1.0);
  std::uniform_int_distribution<int> grid(0, 4);
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t dims = 2 + trial % 4;      // 2..5
    const std::size_t n = 1 + (trial / 4) % 10;  // 1..10
    const bool on_grid = trial % 3 == 0;         // grid coordinates create ties and duplicates
    Points pts(n, V(dims));
    for (V& p : pts) {
      for (double& x : p) x = on_grid ? grid(rng) / 4.0 : real(rng);
    }
    const V ref(dims, on_grid ? 0.0 : -0.1);
    const double expected = InclusionExclusion(pts, ref);
    EXPECT_NEAR(Hv(pts, ref), expected, 1e-12 * std::max(1.0, expected))
        << "trial " << trial << " dims " << dims << " n " << n;
  }
}

TEST(Hypervolume, ManyPointsInEightDimensionsStayExact) {
  // Points on the simplex sum(x) = 1 are mutually non-dominated. The volume must not depend on
  // input order and must lie between the largest single box and the sum of all boxes.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.01, 1.0);
  Points pts(40, V(8));
  for (V& p : pts) {
    double sum = 0;
    for (double& x : p) sum += (x = u(rng));
    for (double& x : p) x /= sum;
  }
  const double hv = Hv(pts, V(8, 0.0));
  std::reverse(pts.begin(), pts.end());
  EXPECT_NEAR(Hv(pts, V(8, 0.0)), hv, 1e-9 * hv);
  double largest = 0, sum = 0;
  for (const V& p : pts) {
    double vol = 1;
    for (double x : p) vol *= x;
    largest = std::max(largest, vol);
    sum += vol;
  }
  EXPECT_GT(hv, largest);
  EXPECT_LT(hv, sum);
}

TEST(CumulativeHypervolume, NonDecreasingSeries) {
  // x0 = (1,1): 1. x1 dominated: 1. x2 = (2,0.5) adds (2-1)*0.5: 1.5. x3 duplicate: 1.5.
  // x4 = (0,5) not strictly better than r: 1.5. x5 = (1,2) adds 1 * 1: 2.5.
  auto s =
      CumulativeHypervolume(Points{{1, 1}, {0.5, 0.5}, {2, 0.5}, {1, 1}, {0, 5}, {1, 2}}, V{0, 0});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (V{1, 1, 1.5, 1.5, 1.5, 2.5}));
  auto empty = CumulativeHypervolume(Points{}, V{0});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(CumulativeHypervolume(Points{{1}}, V{0, 0}).ok());
}

TEST(CumulativeHypervolume, LastValueEqualsHypervolumeOfAll) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Points pts(12, V(4));
  for (V& p : pts) {
    for (double& x : p) x = u(rng);
  }
  auto s = CumulativeHypervolume(pts, V(4, -1.0));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(std::is_sorted(s->begin(), s->end()));
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const Points prefix(pts.begin(), pts.begin() + k + 1);
    EXPECT_NEAR((*s)[k], InclusionExclusion(prefix, V(4, -1.0)), 1e-12);
  }
}

}  // namespace
}  // namespace judgeopt::metrics
