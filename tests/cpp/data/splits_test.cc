#include "judgeopt/data/splits.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "judgeopt/base/numpy_random.h"

namespace judgeopt::data {
namespace {

using V = std::vector<std::size_t>;

V Iota(std::size_t n, std::size_t start = 0) {
  V v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

SplitSize Count(double n) { return {true, false, n}; }
SplitSize Ratio(double r) { return {true, true, r}; }

TEST(SplitsTest, ShuffledIsPandasSampleOrder) {
  // perm(10, 0) = [2,8,4,9,1,6,7,3,0,5] (reference-protocol section 2): row k is rows[perm[k]].
  V rows = Iota(10, 100);
  EXPECT_EQ(Shuffled(rows, 0), (V{102, 108, 104, 109, 101, 106, 107, 103, 100, 105}));
}

TEST(SplitsTest, CutsConsecutiveRangesOfThePermutationInOrder) {
  SplitSpec spec;
  spec.seed = 0;
  spec.train = Count(3);
  spec.test = Count(4);
  spec.validation = Count(2);
  spec.order = {"train", "test", "validation"};
  auto s = CutSingleFile(10, spec, "x");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->train, (V{2, 8, 4}));
  EXPECT_EQ(s->test, (V{9, 1, 6, 7}));
  EXPECT_EQ(s->validation, (V{3, 0}));
}

TEST(SplitsTest, RatiosFloorAndGiveTheRemainderToTrain) {
  SplitSpec spec;
  spec.train = Ratio(0.6);
  spec.validation = Ratio(0.2);
  spec.test = Ratio(0.2);
  auto s = CutSingleFile(11, spec, "x");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->validation.size(), 2u);
  EXPECT_EQ(s->test.size(), 2u);
  EXPECT_EQ(s->train.size(), 7u);  // floor(6.6) + the remainder
  spec.train = Ratio(0.5);
  spec.validation = SplitSize{};
  spec.test = Count(2);
  auto partial = CutSingleFile(11, spec, "x");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->train.size(), 5u);  // ratios not summing to 1 leave rows unused
  EXPECT_EQ(partial->test.size(), 2u);
}

TEST(SplitsTest, TooLargeSizesFail) {
  SplitSpec spec;
  spec.train = Count(8);
  spec.test = Count(3);
  auto s = CutSingleFile(10, spec, "spec.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("spec.toml: key 'split'"), std::string::npos);
  EXPECT_NE(s.error().message.find("11 rows but the data has 10"), std::string::npos);
}

TEST(SplitsTest, StudyWorkingOrderStartsWithTheGoldenVector) {
  V working = StudyWorkingOrder(Iota(160));
  EXPECT_EQ(V(working.begin(), working.begin() + 10),
            (V{105, 108, 141, 55, 94, 29, 101, 51, 100, 142}));
}

TEST(SplitsTest, StudyValidationIsTheReorderedTailOfAThirdShuffle) {
  V train = Iota(160, 1000);
  V val = StudyValidation(train);
  ASSERT_EQ(val.size(), 100u);
  // Built by hand from the definition: shuffle with 42, last 100, reorder with perm(100, 1).
  V again = Shuffled(train, 42);
  V tail(again.begin() + 60, again.end());
  V order = Permutation(100, 1);
  for (std::size_t k = 0; k < 100; ++k) ASSERT_EQ(val[k], tail[order[k]]) << k;
  std::set<std::size_t> uniq(val.begin(), val.end());
  EXPECT_EQ(uniq.size(), 100u);
  EXPECT_EQ(StudyValidation(Iota(7)).size(), 7u);  // min(100, n)
  EXPECT_TRUE(StudyValidation({}).empty());
}

TEST(SplitsTest, PaperProtocolSplitsReorderTrainAndTest) {
  V stored_train = Iota(160, 0), stored_test = Iota(480, 160);
  Splits s = PaperProtocolSplits(stored_train, stored_test);
  EXPECT_EQ(s.train, Shuffled(stored_train, 42));
  EXPECT_EQ(s.test, Shuffled(stored_test, 42));
  EXPECT_EQ(s.validation, StudyValidation(s.train));
}

}  // namespace
}  // namespace judgeopt::data
