#include "judgeopt/base/text_table.h"

#include <gtest/gtest.h>

#include <cmath>

namespace judgeopt {
namespace {

TEST(TextTableTest, AlignsNumbersRightAndTextLeft) {
  TextTable t({"criterion", "spearman", "n"});
  t.AddRow({"fluency", "0.25", "480"});
  t.AddRow({"consistency", "-0.125", "7"});
  t.AddRule();
  t.AddRow({"average", "0.06", ""});
  const std::string expected =
      "criterion    spearman    n\n"
      "--------------------------\n"
      "fluency          0.25  480\n"
      "consistency    -0.125    7\n"
      "--------------------------\n"
      "average          0.06\n";
  EXPECT_EQ(t.Render(), expected);
}

TEST(TextTableTest, FormatFixedHandlesNanAndNegativeZero) {
  EXPECT_EQ(FormatFixed(std::nan(""), 3), "-");
  EXPECT_EQ(FormatFixed(-0.0001, 3), "0.000");
  EXPECT_EQ(FormatFixed(0.31249, 3), "0.312");
}

}  // namespace
}  // namespace judgeopt
