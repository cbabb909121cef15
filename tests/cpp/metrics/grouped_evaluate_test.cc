#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "judgeopt/metrics/evaluate.h"
#include "judgeopt/metrics/grouped.h"

namespace judgeopt::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using V = std::vector<double>;
using S = std::vector<std::string>;

// Group "a": perfect order (rho 1). Group "b": ranks {1,3,2,4} vs {1,2,3,4}, rho = 1 - 6*2/60 =
// 0.8. Group "c": constant pred, undefined. Interleaved to show order does not matter.
const V kGold{1, 1, 1, 2, 2, 2, 3, 3, 3, 4};
const V kPred{5, 10, 2, 6, 30, 2, 7, 20, 2, 40};
const S kGroups{"a", "b", "c", "a", "b", "c", "a", "b", "c", "b"};

TEST(PerGroupCorrelation, SkipsUndefinedGroupsByDefault) {
  auto r = PerGroupCorrelation(CorrelationKind::kSpearman, kGold, kPred, kGroups);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_NEAR(r->mean, (1.0 + 0.8) / 2, 1e-15);
  EXPECT_EQ(r->groups, 3u);
  EXPECT_EQ(r->groups_defined, 2u);
  EXPECT_EQ(r->groups_undefined, 1u);
  EXPECT_EQ(r->missing, 0u);
}

TEST(PerGroupCorrelation, ZeroPolicyCountsUndefinedGroupsAsZero) {
  auto r = PerGroupCorrelation(CorrelationKind::kSpearman, kGold, kPred, kGroups,
                               UndefinedGroupPolicy::kZero);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->mean, (1.0 + 0.8 + 0.0) / 3, 1e-15);
}

TEST(PerGroupCorrelation, MissingPairsCanMakeAGroupTooSmall) {
  V pred = kPred;
  pred[0] = kNaN;  // group "a" keeps 2 pairs: undefined
  auto r = PerGroupCorrelation(CorrelationKind::kKendall, kGold, pred, kGroups);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->missing, 1u);
  EXPECT_EQ(r->groups_defined, 1u);
  // Group "b" Kendall: gold 1..4 vs pred {10,30,20,40}: 5 concordant, 1 discordant -> 4/6.
  EXPECT_NEAR(r->mean, 4.0 / 6, 1e-15);
}

TEST(PerGroupCorrelation, NoDefinedGroupGivesZero) {
  auto r = PerGroupCorrelation(CorrelationKind::kPearson, V{1, 2}, V{1, 2}, S{"x", "x"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->mean, 0.0);
  EXPECT_EQ(r->groups_undefined, 1u);
}

TEST(PerGroupCorrelation, LengthMismatchIsAnError) {
  auto r = PerGroupCorrelation(CorrelationKind::kPearson, V{1, 2, 3}, V{1, 2, 3}, S{"x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(PooledCorrelation, DiffersFromPerGroupAndKeepsTheGuard) {
  // Pooled over all ten pairs the constant group no longer makes anything undefined.
  EXPECT_NEAR(PooledCorrelation(CorrelationKind::kSpearman, kGold, kPred), Spearman(kGold, kPred),
              0.0);
  EXPECT_EQ(PooledCorrelation(CorrelationKind::kSpearman, V{1, 2}, V{2, 1}), 0.0);
}

TEST(EvaluatePairs, AllMetricsAndCounts) {
  // Finite pairs: the Kendall tie case (1,1) (2,3) (2,2) (3,2); pairs 2 and 5 are missing.
  const V gold{1, kNaN, 2, 2, 3, 5};
  const V pred{1, 4, 3, 2, 2, kNaN};
  auto m = EvaluatePairs(gold, pred, {1, 5});
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->n, 4);
  EXPECT_EQ(m->missing, 2);
  EXPECT_NEAR(m->kendall, 0.4, 1e-15);
  // Ranks {1, 2.5, 2.5, 4} vs {1, 4, 2.5, 2.5}: deviations {-1.5,0,0,1.5} and {-1.5,1.5,0,0},
  // sxy = 2.25, sxx = syy = 4.5: rho = 0.5.
  EXPECT_NEAR(m->spearman, 0.5, 1e-15);
  // Raw deviations {-1,0,0,1} and {-1,1,0,0}: sxy = 1, sxx = syy = 2: r = 0.5.
  EXPECT_NEAR(m->pearson, 0.5, 1e-15);
  EXPECT_NEAR(m->mae, 2.0 / 4, 1e-15);  // errors 0, 1, 0, 1
  EXPECT_NEAR(m->off_by_one, 1.0, 1e-15);
  EXPECT_NEAR(m->accuracy, 0.5, 1e-15);
  // QWK: observed (0+1+0+1)/4 = 0.5; both sides are {1,2,2,3} (mean 2, var 0.5): 1 - 0.5/1 = 0.5.
  EXPECT_NEAR(m->qwk, 0.5, 1e-15);
}

TEST(EvaluatePairs, Errors) {
  EXPECT_FALSE(EvaluatePairs(V{1, 2}, V{1}, {1, 5}).ok());
  EXPECT_FALSE(EvaluatePairs(V{1}, V{1}, {5, 1}).ok());
  EXPECT_FALSE(EvaluatePairs(V{1}, V{1}, {1, kNaN}).ok());
  auto empty = EvaluatePairs(V{kNaN}, V{kNaN}, {0, 3});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->n, 0);
  EXPECT_EQ(empty->missing, 1);
  EXPECT_EQ(empty->spearman, 0.0);
  EXPECT_EQ(empty->mae, 0.0);
}

}  // namespace
}  // namespace judgeopt::metrics
