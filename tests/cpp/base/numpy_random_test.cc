#include "judgeopt/base/numpy_random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace judgeopt {
namespace {

using V = std::vector<std::size_t>;

V Head(const V& v, std::size_t n) { return V(v.begin(), v.begin() + n); }

// Golden vectors from reference-protocol.md section 2 (numpy legacy RandomState).
TEST(NumpyRandomTest, GoldenPermutations) {
  EXPECT_EQ(Permutation(10, 0), (V{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}));
  EXPECT_EQ(Permutation(10, 1), (V{2, 9, 6, 4, 0, 3, 1, 7, 8, 5}));
  EXPECT_EQ(Permutation(7, 3), (V{4, 6, 5, 3, 1, 0, 2}));
  EXPECT_EQ(Head(Permutation(160, 42), 10), (V{105, 108, 141, 55, 94, 29, 101, 51, 100, 142}));
  EXPECT_EQ(Head(Permutation(480, 5), 10), (V{357, 139, 227, 226, 122, 283, 43, 250, 288, 372}));
}

// The standard library's mt19937 uses the same init_genrand seeding and tempering, so its raw
// outputs are an independent reference for ours.
TEST(NumpyRandomTest, RawOutputsMatchStdMt19937) {
  for (std::uint32_t seed : {0U, 1U, 42U, 5489U, 4294967295U}) {
    std::mt19937 ref(seed);
    NumpyRandomState ours(seed);
    for (int i = 0; i < 2000; ++i) ASSERT_EQ(ours.NextUint32(), ref()) << seed << " " << i;
  }
}

TEST(NumpyRandomTest, NextUint64IsHighWordFirst) {
  std::mt19937 ref(7);
  NumpyRandomState ours(7);
  std::uint64_t hi = ref(), lo = ref();
  EXPECT_EQ(ours.NextUint64(), (hi << 32) | lo);
}

TEST(NumpyRandomTest, IntervalStaysInRangeAndUsesMaskedRejection) {
  NumpyRandomState rs(3);
  std::mt19937 ref(3);
  // max = 5 -> mask 7: the first raw draw whose low 3 bits are <= 5 is returned.
  std::uint32_t expected;
  do {
    expected = ref() & 7U;
  } while (expected > 5U);
  EXPECT_EQ(rs.Interval(5), expected);
  EXPECT_EQ(rs.Interval(0), 0U);
  for (std::uint64_t max : {1ULL, 2ULL, 100ULL, 0xffffffffULL, 0x1ffffffffULL}) {
    for (int i = 0; i < 200; ++i) ASSERT_LE(rs.Interval(max), max);
  }
}

TEST(NumpyRandomTest, PermutationIsABijectionAndSeedDependent) {
  V p = Permutation(1600, 42);
  V sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) ASSERT_EQ(sorted[i], i);
  EXPECT_NE(p, Permutation(1600, 43));
  EXPECT_EQ(p, Permutation(1600, 42));
  EXPECT_TRUE(Permutation(0, 1).empty());
  EXPECT_EQ(Permutation(1, 1), V{0});
}

TEST(NumpyRandomTest, ShuffleMatchesPermutationOfIdentity) {
  V v(50);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i;
  NumpyRandomState rs(9);
  rs.Shuffle(v);
  EXPECT_EQ(v, Permutation(50, 9));
}

}  // namespace
}  // namespace judgeopt
