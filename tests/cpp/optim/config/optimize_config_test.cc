// The optimize config: defaults, the paper protocol's switches, round trip through JSON, and
// errors that name the key before anything runs.

#include "judgeopt/optim/config/optimize_config.h"

#include <gtest/gtest.h>

namespace judgeopt::optim {
namespace {

llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

Result<OptimizeConfig> Parse(const std::string& toml) {
  auto tree = config::ParseToml(toml, "exp.toml");
  if (!tree.ok()) return tree.error();
  return ParseOptimizeConfig(*tree, "exp.toml", NoEnv());
}

void ExpectError(const std::string& toml, const std::string& needle) {
  auto c = Parse(toml);
  ASSERT_FALSE(c.ok()) << toml;
  EXPECT_NE(c.error().message.find(needle), std::string::npos) << c.error().message;
}

TEST(OptimizeConfigTest, DefaultsAreTheStudysLoopWithOurFixes) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->steps, 12);
  EXPECT_EQ(c->batch_size, 3);
  EXPECT_EQ(c->mode.Name(), "SSS");
  EXPECT_EQ(c->gate.metric, GateMetric::kNone);
  EXPECT_EQ(c->switches, ProtocolSwitches{});
  EXPECT_TRUE(c->switches.rescore_incumbent);
}

TEST(OptimizeConfigTest, PaperProtocolTurnsOnTheStudysBehaviourUnlessOverridden) {
  auto c = Parse("protocol = \"paper\"\n[switches]\npreserve_output_format = true\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_TRUE(c->switches.preserve_output_format);  // explicit override wins
  EXPECT_FALSE(c->switches.fallback_to_current);
  EXPECT_FALSE(c->switches.dedupe_joint_gradients);
  EXPECT_FALSE(c->switches.rescore_incumbent);
  EXPECT_FALSE(c->switches.tolerate_parse_failures);
  EXPECT_TRUE(c->switches.numeric_loss_compare);  // §15.10 is not among the reproduced items
  EXPECT_EQ(c->judge_reasks, 0);
}

TEST(OptimizeConfigTest, RoundTripsThroughJson) {
  auto c = Parse(
      "dataset = \"brighter\"\n[optimize]\nmode = \"ST\"\nsteps = 5\nseed = 7\n"
      "criteria = [\"joy\"]\n[gate]\nmetric = \"spearman\"\nsamples = 40\n"
      "[budget]\nmax_usd = 2.5\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  auto again = ParseOptimizeConfig(OptimizeConfigToJson(*c), "exp.toml", NoEnv());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *c);
  EXPECT_TRUE(again->single_task);
  EXPECT_EQ(ModeLabel(*again), "ST");
}

TEST(OptimizeConfigTest, ResultKeyIgnoresBudgetButNotSeedOrGate) {
  auto a = Parse("[budget]\nmax_calls = 10\n");
  auto b = Parse("[budget]\nmax_calls = 99\n");
  auto c = Parse("[optimize]\nseed = 1\n");
  auto d = Parse("[gate]\nmetric = \"mae\"\n");
  EXPECT_EQ(ResultKeyText(*a), ResultKeyText(*b));
  EXPECT_NE(ResultKeyText(*a), ResultKeyText(*c));
  EXPECT_NE(ResultKeyText(*a), ResultKeyText(*d));
}

TEST(OptimizeConfigTest, BadConfigsNameTheKey) {
  ExpectError("[optimize]\nstep = 3\n", "optimize.step'");
  ExpectError("[optimize]\nsteps = \"twelve\"\n", "optimize.steps");
  ExpectError("[optimize]\nsteps = -1\n", "optimize.steps");
  ExpectError("[optimize]\nmode = \"CSS\"\n", "optimize.mode");
  ExpectError("[optimize]\nmode = \"CSS\"\n", "cannot work per criterion");
  ExpectError("[gate]\nmetric = \"bleu\"\n", "gate.metric");
  ExpectError("protocol = \"fast\"\n", "protocol");
  ExpectError("[budget]\nmax_usd = -1\n", "budget.max_usd");
  ExpectError("[switches]\nkeep_format = true\n", "keep_format");
  ExpectError("[optimize]\nbatch_order = \"random\"\n", "batch_order");
}

TEST(EvalScheduleTest, FollowsTheStudysSchedule) {
  EvalSchedule e;
  e.every = 5;
  EXPECT_TRUE(e.Due(0, 12));
  EXPECT_TRUE(e.Due(1, 12));
  EXPECT_FALSE(e.Due(2, 12));
  EXPECT_TRUE(e.Due(5, 12));
  EXPECT_TRUE(e.Due(12, 12));
  e.initial = false;
  EXPECT_FALSE(e.Due(0, 12));
}

}  // namespace
}  // namespace judgeopt::optim
