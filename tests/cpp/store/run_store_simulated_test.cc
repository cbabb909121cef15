// The run store keeps a run's SIMULATED label current (docs/simulator.md, "The SIMULATED
// label"): each recorded step adds the roles whose calls got simulated replies, in the step's
// transaction, and a resumed run keeps adding to what earlier invocations recorded.

#include <gtest/gtest.h>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_views.h"

namespace judgeopt::store {
namespace {

using Roles = std::vector<std::string>;

// A run that starts unlabelled, as optimize begins every run.
optim::RunInfo Unlabelled(const std::string& id) {
  optim::RunInfo info = testing::MakeRunInfo(id);
  info.simulated = false;
  info.simulated_roles.clear();
  return info;
}

// Step `n` with one call per role of `real` (not simulated) and of `simulated`.
optim::StepRecord StepWith(int n, const Roles& real, const Roles& simulated) {
  optim::StepRecord s = testing::MakeStep(n, /*with_eval=*/false);
  s.calls.clear();
  int i = 0;
  for (const Roles* roles : {&real, &simulated}) {
    for (const std::string& role : *roles) {
      optim::CallRecord c = testing::Call(n, role, i++, /*hit=*/false);
      c.simulated = roles == &simulated;
      s.calls.push_back(c);
    }
  }
  return s;
}

optim::RunInfo Stored(RunStore& store, const std::string& id) {
  auto info = store.LoadInfo(id);
  EXPECT_TRUE(info.ok() && info->has_value());
  return info.ok() && *info ? **info : optim::RunInfo{};
}

TEST(RunStoreSimulatedTest, AStepWithOnlyRealRepliesLeavesTheRunUnlabelled) {
  data::testing::TempDir dir;
  auto store = RunStore::Open(dir.path() + "/runs.db");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->BeginRun(Unlabelled("real")).ok());
  ASSERT_TRUE((*store)->RecordStep("real", StepWith(0, {"judge", "loss"}, {})).ok());
  const optim::RunInfo info = Stored(**store, "real");
  EXPECT_FALSE(info.simulated);
  EXPECT_TRUE(info.simulated_roles.empty());
  EXPECT_EQ(SimulatedLabel(info), "");
}

TEST(RunStoreSimulatedTest, ARealJudgeWithSimulatedOtherRolesIsLabelledWithThoseRoles) {
  data::testing::TempDir dir;
  const std::string path = dir.path() + "/runs.db";
  {
    auto store = RunStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->BeginRun(Unlabelled("mixed")).ok());
    ASSERT_TRUE((*store)->RecordStep("mixed", StepWith(0, {"judge"}, {})).ok());
    EXPECT_FALSE(Stored(**store, "mixed").simulated);
    ASSERT_TRUE((*store)->RecordStep("mixed", StepWith(1, {"judge"}, {"gradient", "loss"})).ok());
    const optim::RunInfo info = Stored(**store, "mixed");
    EXPECT_TRUE(info.simulated);
    EXPECT_EQ(info.simulated_roles, (Roles{"loss", "gradient"}));  // role order
  }
  // Resumed by a later invocation: BeginRun keeps the label, the next step adds to it.
  auto store = RunStore::Open(path);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->BeginRun(Unlabelled("mixed")).ok());
  EXPECT_EQ(Stored(**store, "mixed").simulated_roles, (Roles{"loss", "gradient"}));
  ASSERT_TRUE((*store)->RecordStep("mixed", StepWith(2, {"judge"}, {"optimizer", "loss"})).ok());
  const optim::RunInfo info = Stored(**store, "mixed");
  EXPECT_EQ(info.simulated_roles, (Roles{"loss", "gradient", "optimizer"}));
  EXPECT_EQ(SimulatedLabel(info), "SIMULATED (loss,gradient,optimizer)");

  auto reader = RunReader::Open(path);
  ASSERT_TRUE(reader.ok());
  auto detail = reader->LoadRun("mixed");
  ASSERT_TRUE(detail.ok()) << detail.error().ToString();
  const std::string shown = RenderRunDetail(*detail);
  EXPECT_NE(shown.find("run mixed [SIMULATED]"), std::string::npos) << shown;
  EXPECT_NE(shown.find("simulated roles: loss, gradient, optimizer"), std::string::npos) << shown;
  EXPECT_EQ(RunDetailToJson(*detail)["simulated_roles"],
            nlohmann::json::array({"loss", "gradient", "optimizer"}));
  auto listed = reader->ListRuns();
  ASSERT_TRUE(listed.ok());
  EXPECT_NE(RenderRunList(*listed).find("SIMULATED (loss,gradient,optimizer)"), std::string::npos);
}

TEST(RunStoreSimulatedTest, AFailedStepChangesNoLabel) {
  data::testing::TempDir dir;
  auto store = RunStore::Open(dir.path() + "/runs.db");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->BeginRun(Unlabelled("r")).ok());
  ASSERT_TRUE((*store)->RecordStep("r", StepWith(0, {"judge"}, {})).ok());
  ASSERT_FALSE((*store)->RecordStep("r", StepWith(0, {}, {"judge"})).ok());  // already stored
  EXPECT_FALSE(Stored(**store, "r").simulated);
}

TEST(RunStoreSimulatedTest, RoleNamesMergeOnceInRoleOrder) {
  EXPECT_EQ(optim::MergeRoleNames({"optimizer", "judge"}, {"judge", "diagnostic", "loss"}),
            (Roles{"judge", "loss", "optimizer", "diagnostic"}));
  EXPECT_EQ(optim::MergeRoleNames({"zz", "judge"}, {"aa"}), (Roles{"judge", "aa", "zz"}));
  optim::RunInfo info;
  EXPECT_FALSE(optim::AddSimulatedRoles({}, info));
  EXPECT_FALSE(info.simulated);
}

}  // namespace
}  // namespace judgeopt::store
