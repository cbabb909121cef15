// The OPRO part of the optimize config: the study's defaults with our fixes, the paper protocol's
// values, the modes OPRO accepts, unknown keys and bad values named, the JSON round trip, and
// TextGrad configs (and so their run ids) unchanged by the new table.

#include <gtest/gtest.h>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {
namespace {

llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

Result<OptimizeConfig> Parse(const std::string& toml) {
  auto tree = config::ParseToml(toml, "opro.toml");
  if (!tree.ok()) return tree.error();
  return ParseOptimizeConfig(*tree, "opro.toml", NoEnv());
}

void ExpectError(const std::string& toml, const std::string& needle) {
  auto c = Parse(toml);
  ASSERT_FALSE(c.ok()) << toml;
  EXPECT_NE(c.error().message.find(needle), std::string::npos) << c.error().message;
}

constexpr const char* kOpro = "[optimize]\nalgorithm = \"opro\"\n";

TEST(OproConfigTest, DefaultsAreTheStudysValuesWithTheDefectsFixed) {
  auto c = Parse(kOpro);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->algorithm, Algorithm::kOpro);
  EXPECT_EQ(c->opro.trajectory_size, 20);
  EXPECT_EQ(c->opro.num_candidates, 8);
  EXPECT_EQ(c->opro.demonstrations, 3);
  EXPECT_EQ(c->opro.trajectory_order, TrajectoryOrder::kWorstToBest);
  EXPECT_TRUE(c->opro.fixed_batch);
  EXPECT_TRUE(c->opro.exemplars_exclude_batch);
  EXPECT_TRUE(c->opro.dedupe_trajectory);
  EXPECT_EQ(c->gate.metric, GateMetric::kNone);
  EXPECT_EQ(c->mode.Name(), "CCC");  // OPRO's one joint mode
  EXPECT_EQ(RunLabel(*c), "OPRO");
}

TEST(OproConfigTest, PaperProtocolKeepsTheStudysDefectsUnlessOverridden) {
  auto c = Parse(std::string("protocol = \"paper\"\n") + kOpro);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_FALSE(c->opro.exemplars_exclude_batch);
  EXPECT_FALSE(c->opro.dedupe_trajectory);
  EXPECT_EQ(c->opro.num_candidates, 8);
  EXPECT_EQ(c->gate.metric, GateMetric::kNone);
  auto over = Parse(std::string("protocol = \"paper\"\n") + kOpro +
                    "[opro]\ndedupe_trajectory = true\n");
  ASSERT_TRUE(over.ok()) << over.error().ToString();
  EXPECT_TRUE(over->opro.dedupe_trajectory);
  EXPECT_FALSE(over->opro.exemplars_exclude_batch);
}

TEST(OproConfigTest, ModesOtherThanJointOrSingleTaskAreRejected) {
  ExpectError(std::string(kOpro) + "mode = \"SSS\"\n", "opro.toml: key 'optimize.mode'");
  ExpectError(std::string(kOpro) + "mode = \"SSC\"\n", "one combined call");
  auto ccc = Parse(std::string(kOpro) + "mode = \"CCC\"\n");
  ASSERT_TRUE(ccc.ok()) << ccc.error().ToString();
  auto st = Parse(std::string(kOpro) + "mode = \"ST\"\n");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_TRUE(st->single_task);
  EXPECT_EQ(RunLabel(*st), "OPRO-ST");
}

TEST(OproConfigTest, UnknownKeysAndBadValuesAreNamed) {
  ExpectError(std::string(kOpro) + "[opro]\ncandidates = 4\n", "candidates");
  ExpectError(std::string(kOpro) + "[opro]\ntrajectory_order = \"random\"\n",
              "opro.trajectory_order");
  ExpectError(std::string(kOpro) + "[opro]\ntrajectory_size = 0\n", "opro.trajectory_size");
  ExpectError(std::string(kOpro) + "[opro]\nnum_candidates = 0\n", "opro.num_candidates");
  ExpectError(std::string(kOpro) + "[opro]\nfixed_batch = 3\n", "opro.fixed_batch");
  ExpectError("[optimize]\nalgorithm = \"gepa\"\n", "optimize.algorithm");
}

TEST(OproConfigTest, RoundTripsThroughJson) {
  auto c = Parse(std::string("protocol = \"paper\"\n") + kOpro +
                 "mode = \"ST\"\n[opro]\ntrajectory_size = 5\nnum_candidates = 2\n"
                 "demonstrations = 0\ntrajectory_order = \"best_to_worst\"\nfixed_batch = false\n"
                 "exemplars_exclude_batch = true\n[gate]\nmetric = \"mae\"\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  auto again = ParseOptimizeConfig(OptimizeConfigToJson(*c), "again", NoEnv());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  again->origin = c->origin;
  EXPECT_EQ(*again, *c);
  EXPECT_EQ(again->opro.trajectory_order, TrajectoryOrder::kBestToWorst);
}

TEST(OproConfigTest, TextGradConfigsHaveNoOproTableUnlessOneIsSet) {
  auto tg = Parse("");
  ASSERT_TRUE(tg.ok());
  EXPECT_FALSE(OptimizeConfigToJson(*tg).contains("opro"));
  // A non-default [opro] table is kept (so the round trip stays exact) though TextGrad ignores it.
  auto tuned = Parse("[opro]\nnum_candidates = 2\n");
  ASSERT_TRUE(tuned.ok()) << tuned.error().ToString();
  auto again = ParseOptimizeConfig(OptimizeConfigToJson(*tuned), "again", NoEnv());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->opro.num_candidates, 2);
  EXPECT_NE(ResultKeyText(*tg), ResultKeyText(*Parse(kOpro)));
}

TEST(OproConfigTest, SwitchingAlgorithmMakesAJointModeCombinedAndKeepsSingleTask) {
  OptimizeConfig c;  // SSS TextGrad
  ASSERT_TRUE(ApplyAlgorithmName(c, "opro", "--algorithm").ok());
  EXPECT_EQ(c.mode.Name(), "CCC");
  EXPECT_TRUE(ValidateOptimizeConfig(c).ok());
  OptimizeConfig st;
  ASSERT_TRUE(ApplyModeName(st, "ST", "--mode").ok());
  ASSERT_TRUE(ApplyAlgorithmName(st, "opro", "--algorithm").ok());
  EXPECT_TRUE(st.single_task);
  auto bad = ApplyAlgorithmName(c, "gepa", "--algorithm");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--algorithm"), std::string::npos);
  // An explicit joint mode other than CCC after the switch is an error naming the key.
  ASSERT_TRUE(ApplyModeName(c, "SCC", "--mode").ok());
  auto invalid = ValidateOptimizeConfig(c);
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("optimize.mode"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::optim
