#include "judgeopt/config/tree.h"

#include <gtest/gtest.h>

namespace judgeopt::config {
namespace {

TEST(TreeTest, TomlAndJsonGiveTheSameTree) {
  auto t = ParseToml("name = \"x\"\nsteps = 12\n[judge]\ntemperature = 0.1\n", "a.toml");
  auto j = ParseJson(R"({"name":"x","steps":12,"judge":{"temperature":0.1}})", "a.json");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_TRUE(j.ok());
  // TOML tables come back with sorted keys; compare as unordered trees.
  EXPECT_EQ(nlohmann::json::parse(t->dump()), nlohmann::json::parse(j->dump()));
}

TEST(TreeTest, SyntaxErrorsNameFileAndLine) {
  auto t = ParseToml("a = 1\nb = = 2\n", "cfg.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("cfg.toml:2:"), std::string::npos) << t.error().message;
  auto j = ParseJson("{\n\"a\": 1,\n\"b\": }", "cfg.json");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("cfg.json:3:"), std::string::npos) << j.error().message;
}

// Found by fuzz_config (issue 18): a JSON number beyond a double threw out of ParseJson.
TEST(TreeTest, AJsonNumberTooLargeForADoubleIsAnErrorNamingTheFile) {
  auto j = ParseJson("{\"steps\": 777e7777}", "big.json");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("big.json: invalid JSON"), std::string::npos)
      << j.error().message;
  EXPECT_NE(j.error().message.find("777e7777"), std::string::npos) << j.error().message;
}

TEST(TreeTest, UnknownKeyIsNamed) {
  auto j = ParseJson(R"({"steps":1,"stpes":2})", "c.json");
  TreePath at("c.json");
  Status s = CheckKeys(*j, {"steps"}, at);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("key 'stpes'"), std::string::npos);
}

TEST(TreeTest, WrongTypeIsNamedWithPath) {
  auto j = ParseJson(R"({"judge":{"temperature":"hot"}})", "c.json");
  TreePath at("c.json");
  auto t = GetNumber((*j)["judge"], "temperature", at.Key("judge"), 0.0);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("key 'judge.temperature'"), std::string::npos);
  EXPECT_NE(t.error().message.find("expected a number"), std::string::npos);
}

TEST(TreeTest, GettersUseFallbackAndRequireWhenAsked) {
  auto j = ParseJson(R"({"n": 3, "flag": true, "xs": ["a", "b"]})", "c.json");
  TreePath at("c.json");
  EXPECT_EQ(*GetInt(*j, "n", at, 0), 3);
  EXPECT_EQ(*GetInt(*j, "m", at, 7), 7);
  EXPECT_TRUE(*GetBool(*j, "flag", at, false));
  EXPECT_EQ(GetStringList(*j, "xs", at)->size(), 2u);
  EXPECT_FALSE(RequiredString(*j, "name", at).ok());
}

}  // namespace
}  // namespace judgeopt::config
