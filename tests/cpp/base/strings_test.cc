#include "judgeopt/base/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace judgeopt {
namespace {

TEST(StringsTest, TrimDropsAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(Trim(" \t\n\r\f\vx y\v\f\r\n\t "), "x y");
  EXPECT_EQ(Trim("x"), "x");
  EXPECT_EQ(Trim(" \n\t"), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // no-break space is not ASCII
}

TEST(StringsTest, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(AsciiLower("Hello, WORLD 42"), "hello, world 42");
  EXPECT_EQ(AsciiLower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(StringsTest, JoinPutsSeparatorBetweenParts) {
  const std::vector<std::string> parts = {"a", "", "c"};
  EXPECT_EQ(Join(parts, ", "), "a, , c");
  EXPECT_EQ(Join(std::vector<std::string>{"only"}, "-"), "only");
  EXPECT_EQ(Join(std::vector<std::string>{}, "-"), "");
}

}  // namespace
}  // namespace judgeopt
