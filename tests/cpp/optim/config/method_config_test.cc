// The [method] table and the noise-aware gate settings: defaults that leave a run as the study's
// loop (and its run id as before), the modes each method implies, labels, round trips and
// errors that name the key.

#include "judgeopt/optim/config/method_config.h"

#include <gtest/gtest.h>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {
namespace {

Result<OptimizeConfig> Parse(const std::string& toml) {
  auto tree = config::ParseToml(toml, "m.toml");
  if (!tree.ok()) return tree.error();
  return ParseOptimizeConfig(*tree, "m.toml",
                             [](const std::string&) { return std::optional<std::string>(); });
}

std::string ErrorOf(const std::string& toml) {
  auto c = Parse(toml);
  return c.ok() ? std::string("(parsed)") : c.error().message;
}

TEST(MethodConfigTest, DefaultsAddNothingToTheResultKey) {
  auto plain = Parse("[optimize]\nmode = \"SSC\"\n");
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(plain->method, MethodConfig{});
  EXPECT_EQ(ResultKeyText(*plain).find("\"method\""), std::string::npos);
  EXPECT_EQ(ResultKeyText(*plain).find("noise_aware"), std::string::npos);
  EXPECT_EQ(RunLabel(*plain), "SSC");
}

TEST(MethodConfigTest, EachMethodGetsItsStagesWhenTheModeIsLeftOut) {
  auto spc = Parse("[method]\nname = \"spc\"\n");
  ASSERT_TRUE(spc.ok()) << spc.error().ToString();
  EXPECT_EQ(spc->mode.Name(), "SSC");
  EXPECT_TRUE(spc->method.structured_gradients);
  EXPECT_TRUE(spc->method.conflict_matrix);
  EXPECT_EQ(RunLabel(*spc), "SPC");

  auto mgda = Parse("[method]\nname = \"mgda\"\n");
  ASSERT_TRUE(mgda.ok()) << mgda.error().ToString();
  EXPECT_EQ(mgda->mode.Name(), "SSS");
  EXPECT_EQ(RunLabel(*mgda), "MGDA");

  auto router = Parse("[method]\nname = \"router\"\n");
  ASSERT_TRUE(router.ok()) << router.error().ToString();
  EXPECT_EQ(router->mode.Name(), "SCC");
  EXPECT_EQ(RunLabel(*router), "ROUTER");
}

TEST(MethodConfigTest, ModeSpcIsSscWithProjectionAndAnotherModeTurnsItOff) {
  auto c = Parse("[optimize]\nmode = \"SPC\"\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->method.name, Method::kSpc);
  EXPECT_EQ(ModeLabel(*c), "SPC");
  ASSERT_TRUE(ApplyModeName(*c, "SSS", "--mode").ok());
  EXPECT_EQ(c->method.name, Method::kPlain);
  EXPECT_FALSE(c->method.structured_gradients);
  EXPECT_EQ(ModeLabel(*c), "SSS");
}

TEST(MethodConfigTest, MethodLabelsWorkAsModeNamesAndOtherModesTurnThemOff) {
  auto c = Parse("[optimize]\nmode = \"mgda\"\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->method.name, Method::kMgda);
  EXPECT_EQ(c->mode.Name(), "SSS");
  ASSERT_TRUE(ApplyModeName(*c, "SSS", "--mode").ok());  // mgda's own stages: kept
  EXPECT_EQ(c->method.name, Method::kMgda);
  ASSERT_TRUE(ApplyModeName(*c, "ROUTER", "--mode").ok());
  EXPECT_EQ(c->method.name, Method::kRouter);
  EXPECT_EQ(c->mode.Name(), "SCC");
  ASSERT_TRUE(ApplyModeName(*c, "CCC", "--mode").ok());
  EXPECT_EQ(c->method.name, Method::kPlain);
  EXPECT_EQ(RunLabel(*c), "CCC");
}

TEST(MethodConfigTest, OptionsShowInTheLabelAndRoundTrip) {
  auto c = Parse(
      "[optimize]\nmode = \"CCC\"\n[method]\nowned_blocks = true\nmax_length_ratio = 1.5\n"
      "judge_mode = \"sectioned\"\nselect = \"knee\"\n"
      "[gate]\nmetric = \"mae\"\nkind = \"noise_aware\"\nbootstrap = 200\nconfidence = 0.8\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(RunLabel(*c), "CCC+owned+cap+sectioned+nagate+knee");
  auto again = ParseOptimizeConfig(OptimizeConfigToJson(*c), "m.toml",
                                   [](const std::string&) { return std::optional<std::string>(); });
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *c);
  EXPECT_EQ(again->gate.bootstrap, 200);
}

TEST(MethodConfigTest, InvalidSettingsNameTheKey) {
  EXPECT_NE(ErrorOf("[method]\nname = \"pcgrad\"\n").find("method.name"), std::string::npos);
  EXPECT_NE(ErrorOf("[method]\nname = \"mgda\"\n[optimize]\nmode = \"CCC\"\n")
                .find("\"CCC\" contradicts method.name = \"mgda\""),
            std::string::npos);
  EXPECT_NE(ErrorOf("[method]\njudge_mode = \"split\"\n").find("judge_mode"), std::string::npos);
  EXPECT_NE(ErrorOf("[method]\nmax_length_ratio = 0.5\n").find("max_length_ratio"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[method]\nselect = \"knee\"\n").find("gate.metric"), std::string::npos);
  EXPECT_NE(ErrorOf("[gate]\nkind = \"noise_aware\"\n").find("gate.kind"), std::string::npos);
  EXPECT_NE(ErrorOf("[gate]\nmetric = \"mae\"\nconfidence = 1.0\n").find("gate.confidence"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[method]\nconflict_matrix = true\n").find("structured_gradients"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[optimize]\nmode = \"CCC\"\n[method]\nstructured_gradients = true\n")
                .find("separate"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[optimize]\nmode = \"ST\"\n[method]\nname = \"router\"\n").find("SCC"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("[optimize]\nalgorithm = \"opro\"\n[method]\nowned_blocks = true\n").find("textgrad"),
      std::string::npos);
}

}  // namespace
}  // namespace judgeopt::optim
