// Pinned run ids. A run id is derived from the config's result key
// (ResultKeyText), so a rerun of the same command continues the same stored
// run. Refactoring how settings are represented must not change it: every id
// below was recorded before settings became typed enums, and a config that
// parses to another id would orphan every run stored by an earlier version.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "judgeopt/base/sha256.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_plan.h"

namespace judgeopt::optim {
namespace {

struct Pin {
  const char* name;
  const char* toml;
  const char* run_id;  // the first planned run (ST: the first criterion's)
  const char* stored;  // first 16 hex digits of the SHA-256 of the stored (resolved) config
};

// clang-format off
const Pin kPins[] = {
    {"SSS mae", "[optimize]\nmode = \"SSS\"\n[gate]\nmetric = \"mae\"\n",
     "reviews-sss-mae-s0-68ffddef20", "1ea3eb33e514856c"},
    {"SSC off_by_one", "[optimize]\nmode = \"SSC\"\nseed = 3\n[gate]\nmetric = \"off_by_one\"\n",
     "reviews-ssc-off_by_one-s3-d1396eb50a", "9917e12e0f7ab3b7"},
    {"SCC spearman", "[optimize]\nmode = \"SCC\"\n[gate]\nmetric = \"spearman\"\n",
     "reviews-scc-spearman-s0-6efe318586", "c2cd9906e480f3b9"},
    {"CCC none", "[optimize]\nmode = \"CCC\"\nsteps = 5\nbatch_size = 4\n",
     "reviews-ccc-none-s0-ef37ed9c76", "d81949633bafc47f"},
    {"ST mae", "[optimize]\nmode = \"ST\"\n[gate]\nmetric = \"mae\"\n",
     "reviews-st-mae-s0-6f24c3939d-clarity", "882ad4c916ff866c"},
    // Re-pinned by issue 20 on purpose: the paper protocol now leaves the optimizer's VARIABLE
    // unescaped and loads other data (SummEval: the study's rows), so its earlier runs must not
    // be continued under the new behaviour. Every default-protocol id above and below is kept.
    {"paper CCC", "protocol = \"paper\"\n[optimize]\nmode = \"CCC\"\n[gate]\nmetric = \"mae\"\n",
     "reviews-ccc-mae-s0-ea32945b93", "fa63e9eba63e8e37"},
    {"seeded batches", "[optimize]\nmode = \"SSS\"\nbatch_order = \"seeded\"\nseed = 7\n",
     "reviews-sss-none-s7-c07ab50c68", "cc875e3080d7db53"},
    {"OPRO", "[optimize]\nalgorithm = \"opro\"\n[gate]\nmetric = \"mae\"\n",
     "reviews-opro-mae-s0-966d6fe8c4", "d60427d1d7f633b0"},
    {"OPRO ST best_to_worst",
     "[optimize]\nalgorithm = \"opro\"\nmode = \"ST\"\n[opro]\ntrajectory_order = \"best_to_worst\"\n",
     "reviews-opro-st-none-s0-7403ac76ae-clarity", "456e9f256e597f60"},
    {"SPC", "[optimize]\nmode = \"SPC\"\n[gate]\nmetric = \"mae\"\n",
     "reviews-spc-mae-s0-9fdb445fe9", "4e78b549355d9c2d"},
    {"MGDA validation",
     "[optimize]\nmode = \"MGDA\"\n[gate]\nmetric = \"mae\"\n[method]\nmgda_eval = \"validation\"\n",
     "reviews-mgda-mae-s0-d5851b5bca", "4434686202939209"},
    {"ROUTER", "[optimize]\nmode = \"ROUTER\"\n[method]\nrouter_threshold = 5\n",
     "reviews-router-none-s0-9475c2a729", "1132d015dfd00f25"},
    {"SSS owned cap per-criterion",
     "[optimize]\nmode = \"SSS\"\n[method]\nowned_blocks = true\nmax_length_ratio = 1.5\n"
     "judge_mode = \"per-criterion\"\n",
     "reviews-sss+owned+cap+per-criterion-none-s0-e9a5978598", "6d60302bc762b42f"},
    {"CCC sectioned noise gate max-min",
     "[optimize]\nmode = \"CCC\"\n[gate]\nmetric = \"mae\"\nkind = \"noise_aware\"\n"
     "bootstrap = 500\n[method]\njudge_mode = \"sectioned\"\nselect = \"max-min\"\n",
     "reviews-ccc+sectioned+nagate+max-min-mae-s0-11a28d6357", "5d59f4e53d33bb72"},
};
// clang-format on

TEST(RunIdPinTest, ConfigsKeepTheRunIdsTheyWereStoredUnder) {
  const data::Dataset dataset = testdata::MakeLoopDataset();
  const auto no_env = [](const std::string&) {
    return std::optional<std::string>();
  };
  for (const Pin& pin : kPins) {
    SCOPED_TRACE(pin.name);
    auto tree = config::ParseToml(pin.toml, "pin.toml");
    ASSERT_TRUE(tree.ok()) << tree.error().ToString();
    auto config = ParseOptimizeConfig(*tree, "pin.toml", no_env);
    ASSERT_TRUE(config.ok()) << config.error().ToString();
    auto plans = PlanRuns(*config, dataset);
    ASSERT_TRUE(plans.ok()) << plans.error().ToString();
    ASSERT_FALSE(plans->empty());
    EXPECT_EQ(plans->front().run_id, pin.run_id);
    EXPECT_EQ(Sha256Hex(OptimizeConfigToJson(*config).dump()).substr(0, 16),
              pin.stored);
  }
}

} // namespace
} // namespace judgeopt::optim
