// The settings optimize and estimate take as flags (CLI) or keywords (Python) over a config:
// applied in one place, validated, and named in errors as the caller spells them.

#include "judgeopt/optim/config/overrides.h"

#include <gtest/gtest.h>

namespace judgeopt::optim {
namespace {

TEST(OverridesTest, SetFieldsReplaceTheConfigsAndUnsetOnesKeepIt) {
  OptimizeConfig c;
  c.steps = 7;
  OptimizeOverrides o;
  o.mode = "SCC";
  o.gate = "mae";
  o.batch_size = 5;
  o.seed = 11;
  o.judge_mode = "sectioned";
  Status applied = ApplyOptimizeOverrides(c, o, OverrideSpelling::kKeywords);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(c.steps, 7);
  EXPECT_EQ(c.mode.Name(), "SCC");
  EXPECT_EQ(c.gate.metric, GateMetric::kMae);
  EXPECT_EQ(c.batch_size, 5);
  EXPECT_EQ(c.seed, 11);
  EXPECT_EQ(c.method.judge_mode, judge::JudgeMode::kSectioned);
}

// The algorithm goes first: switching to OPRO makes the joint mode CCC, and a mode given with it
// is read as an OPRO mode.
TEST(OverridesTest, TheAlgorithmIsAppliedBeforeTheMode) {
  OptimizeConfig c;
  OptimizeOverrides o;
  o.algorithm = "opro";
  ASSERT_TRUE(ApplyOptimizeOverrides(c, o, OverrideSpelling::kFlags).ok());
  EXPECT_EQ(c.algorithm, Algorithm::kOpro);
  EXPECT_EQ(c.mode.Name(), "CCC");
  o.mode = "ST";
  OptimizeConfig st;
  ASSERT_TRUE(ApplyOptimizeOverrides(st, o, OverrideSpelling::kFlags).ok());
  EXPECT_TRUE(st.single_task);
  EXPECT_EQ(st.algorithm, Algorithm::kOpro);
}

TEST(OverridesTest, AnInvalidValueIsNamedAsTheCallerSpellsIt) {
  OptimizeOverrides o;
  o.judge_mode = "sideways";
  OptimizeConfig c;
  Status flags = ApplyOptimizeOverrides(c, o, OverrideSpelling::kFlags);
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.error().message.rfind("--judge-mode: ", 0), 0u) << flags.error().message;
  Status keywords = ApplyOptimizeOverrides(c, o, OverrideSpelling::kKeywords);
  ASSERT_FALSE(keywords.ok());
  EXPECT_EQ(keywords.error().message.rfind("judge_mode: ", 0), 0u) << keywords.error().message;
}

TEST(OverridesTest, TheWholeConfigIsValidatedAfterwards) {
  OptimizeConfig c;
  OptimizeOverrides o;
  o.steps = -1;
  EXPECT_FALSE(ApplyOptimizeOverrides(c, o, OverrideSpelling::kFlags).ok());
  EXPECT_EQ(SpellSetting("batch_size", OverrideSpelling::kFlags), "--batch-size");
  EXPECT_EQ(SpellSetting("batch_size", OverrideSpelling::kKeywords), "batch_size");
}

}  // namespace
}  // namespace judgeopt::optim
