// Enum name tables: names both ways, choices for the command line and help, and parse errors
// that name the field and list the valid names.

#include "judgeopt/base/enum_names.h"

#include <gtest/gtest.h>

namespace judgeopt {
namespace {

enum class Shade { kLight, kDark };
enum class Fruit { kApple, kPear, kPlum };

constexpr NamedValue<Shade> kShades[] = {{Shade::kLight, "light"}, {Shade::kDark, "dark"}};
constexpr NamedValue<Fruit> kFruits[] = {
    {Fruit::kApple, "apple"}, {Fruit::kPear, "pear"}, {Fruit::kPlum, "plum"}};

std::span<const NamedValue<Shade>> NamesOf(Shade) { return kShades; }
std::span<const NamedValue<Fruit>> NamesOf(Fruit) { return kFruits; }

TEST(EnumNamesTest, NamesGoBothWays) {
  EXPECT_EQ(EnumName(Fruit::kPear), "pear");
  EXPECT_EQ(FindEnum<Fruit>("plum"), Fruit::kPlum);
  EXPECT_FALSE(FindEnum<Fruit>("Plum").has_value());  // names are exact
  EXPECT_FALSE(FindEnum<Fruit>("").has_value());
  for (Fruit f : {Fruit::kApple, Fruit::kPear, Fruit::kPlum}) {
    EXPECT_EQ(FindEnum<Fruit>(EnumName(f)), f);
  }
}

TEST(EnumNamesTest, ChoicesAreTheNamesInTableOrder) {
  EXPECT_EQ(EnumChoices<Fruit>(), (std::vector<std::string>{"apple", "pear", "plum"}));
  EXPECT_EQ(EnumChoiceText<Fruit>(), "apple, pear or plum");
  EXPECT_EQ(EnumChoiceText<Shade>(), "light or dark");
}

TEST(EnumNamesTest, AParseErrorNamesTheFieldAndTheChoices) {
  auto two = ParseEnum<Shade>("grey", "--shade");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(two.error().message, "--shade: must be \"light\" or \"dark\", got \"grey\"");
  auto three = ParseEnum<Fruit>("fig", "fruit");
  ASSERT_FALSE(three.ok());
  EXPECT_EQ(three.error().message, "fruit: must be one of apple, pear, plum; got \"fig\"");
  auto ok = ParseEnum<Fruit>("apple", "fruit");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, Fruit::kApple);
}

}  // namespace
}  // namespace judgeopt
