#include "judgeopt/sim/stable_hash.h"

#include <gtest/gtest.h>

#include <cmath>

namespace judgeopt::sim {
namespace {

TEST(StableHashTest, Fnv1aMatchesPublishedVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(StableHashTest, SplitMixMatchesTheReferenceFirstOutput) {
  // splitmix64 seeded with 0 yields 0xe220a8397b1dcdaf first (Vigna's reference code).
  EXPECT_EQ(SplitMix64(0), 0xe220a8397b1dcdafULL);
}

TEST(StableHashTest, PartsAreSeparated) {
  EXPECT_NE(StableHash().Add("ab").Add("c").Digest(), StableHash().Add("a").Add("bc").Digest());
  EXPECT_NE(StableHash(1).Add("x").Digest(), StableHash(2).Add("x").Digest());
  EXPECT_NE(StableHash().Add("x").Digest(), StableHash().Add(uint64_t{0}).Add("x").Digest());
  EXPECT_EQ(StableHash(3).Add("x").AddDouble(0.5).Digest(),
            StableHash(3).Add("x").AddDouble(0.5).Digest());
  EXPECT_EQ(StableHash().AddDouble(0.0).Digest(), StableHash().AddDouble(-0.0).Digest());
}

TEST(StableHashTest, UniformDrawsCoverTheUnitInterval) {
  double sum = 0;
  int low = 0;
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    double u = UniformAt(42, i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    low += u < 0.1 ? 1 : 0;
  }
  EXPECT_NEAR(sum / kN, 0.5, 0.01);
  EXPECT_NEAR(static_cast<double>(low) / kN, 0.1, 0.01);
}

TEST(StableHashTest, NormalDrawsHaveUnitVarianceAndNormalTails) {
  double sum = 0;
  double sq = 0;
  int tail = 0;
  constexpr int kN = 40000;
  for (int i = 0; i < kN; ++i) {
    double z = NormalAt(StableHash(9).Add(static_cast<uint64_t>(i)).Digest(), 0);
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    sq += z * z;
    tail += std::fabs(z) > 1.96 ? 1 : 0;
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.02);
  EXPECT_NEAR(sq / kN, 1.0, 0.03);
  EXPECT_NEAR(static_cast<double>(tail) / kN, 0.05, 0.006);
  EXPECT_EQ(NormalAt(5, 3), NormalAt(5, 3));
}

}  // namespace
}  // namespace judgeopt::sim
