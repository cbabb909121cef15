// Usage details per call in the run store (schema version 5, issue 16): total, cached and
// reasoning tokens round-trip, are summed per role for `runs show` and exported; a version-4 file
// is read with prompt + completion as the total and no cached or reasoning tokens, and is
// upgraded in place when opened for writing.

#include <gtest/gtest.h>

#include <map>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_views.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;
using testing::DumpStep;
using testing::MakeBaseline;
using testing::MakeRunInfo;
using testing::MakeStep;

class RunStoreUsageTest : public ::testing::Test {
 protected:
  void Record(const std::vector<optim::StepRecord>& steps) {
    auto store = RunStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ASSERT_TRUE((*store)->BeginRun(MakeRunInfo("r1")).ok());
    for (const auto& s : steps) ASSERT_TRUE((*store)->RecordStep("r1", s).ok());
  }
  void DowngradeToVersionFour() {
    auto db = Db::Open(path_);
    ASSERT_TRUE(db.ok());
    Status st = db->Exec(
        "ALTER TABLE calls DROP COLUMN total_tokens; ALTER TABLE calls DROP COLUMN cached_tokens; "
        "ALTER TABLE calls DROP COLUMN reasoning_tokens; PRAGMA user_version = 4");
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }
  std::string ExportCalls() {
    auto reader = RunReader::Open(path_);
    EXPECT_TRUE(reader.ok()) << reader.error().ToString();
    if (!reader.ok()) return "";
    auto tables = ExportRun(*reader, "r1", {});
    EXPECT_TRUE(tables.ok()) << tables.error().ToString();
    for (const auto& t : tables.ok() ? *tables : std::vector<ExportedTable>{}) {
      if (t.name == "calls") return t.content;
    }
    return "";
  }
  RunDetail Detail() {
    auto reader = RunReader::Open(path_);
    EXPECT_TRUE(reader.ok()) << reader.error().ToString();
    auto detail = reader->LoadRun("r1");
    EXPECT_TRUE(detail.ok()) << detail.error().ToString();
    return detail.ok() ? *detail : RunDetail{};
  }

  TempDir dir_;
  std::string path_ = dir_.path() + "/runs.db";
};

const RoleUsage* FindRole(const std::vector<RoleUsage>& usage, const std::string& role) {
  for (const auto& u : usage) {
    if (u.role == role) return &u;
  }
  return nullptr;
}

TEST_F(RunStoreUsageTest, DetailsRoundTripAreSummedPerRoleShownAndExported) {
  const optim::StepRecord step = MakeStep(1);
  Record({MakeBaseline(), step});
  auto store = RunStore::Open(path_);
  ASSERT_TRUE(store.ok());
  auto got = (*store)->LoadStep("r1", 1);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(DumpStep(**got), DumpStep(step));
  EXPECT_EQ((*got)->calls[2].cached_tokens, 40);
  EXPECT_EQ((*got)->calls[2].reasoning_tokens, 6);

  const RunDetail detail = Detail();
  const RoleUsage* optimizer = FindRole(detail.totals, "optimizer");  // the fixture's call 2
  ASSERT_NE(optimizer, nullptr);
  EXPECT_EQ(optimizer->cached_tokens, 40);
  EXPECT_EQ(optimizer->reasoning_tokens, 6);
  const std::string shown = RenderRunDetail(detail);
  EXPECT_NE(shown.find("cached tokens"), std::string::npos) << shown;
  EXPECT_NE(shown.find("reasoning tokens"), std::string::npos) << shown;
  const auto json = RunDetailToJson(detail);
  EXPECT_NE(json.dump().find("\"reasoning_tokens\":6"), std::string::npos) << json.dump();

  const std::string calls = ExportCalls();
  EXPECT_NE(calls.find(",total_tokens,cached_tokens,reasoning_tokens\n"), std::string::npos)
      << calls;
  EXPECT_NE(calls.find(",114,40,6\n"), std::string::npos) << calls;  // 102 + 12, 20*2, 3*2
}

TEST_F(RunStoreUsageTest, AVersionFourFileIsReadWithoutDetailsAndUpgradedForWriting) {
  optim::StepRecord old = MakeStep(1);
  for (auto& c : old.calls) c.cached_tokens = c.reasoning_tokens = 0;
  Record({MakeBaseline(), old});
  DowngradeToVersionFour();

  const RunDetail detail = Detail();  // read-only: the file stays at version 4
  const RoleUsage* optimizer = FindRole(detail.totals, "optimizer");
  ASSERT_NE(optimizer, nullptr);
  EXPECT_EQ(optimizer->reasoning_tokens, 0);
  EXPECT_EQ(optimizer->prompt_tokens, 102);
  EXPECT_NE(ExportCalls().find(",114,0,0\n"), std::string::npos) << ExportCalls();

  auto store = RunStore::Open(path_);  // opening for writing migrates in place
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto got = (*store)->LoadStep("r1", 1);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(DumpStep(**got), DumpStep(old));  // total = prompt + completion after the upgrade
  ASSERT_TRUE((*store)->RecordStep("r1", MakeStep(2)).ok());
  auto fresh = (*store)->LoadStep("r1", 2);
  ASSERT_TRUE(fresh.ok() && fresh->has_value());
  EXPECT_EQ((*fresh)->calls[2].reasoning_tokens, 6);
}

}  // namespace
}  // namespace judgeopt::store
