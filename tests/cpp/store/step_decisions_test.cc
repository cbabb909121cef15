// The methods' decisions in the run store (schema version 3, table step_decisions): stored in the
// step's transaction, read back in order by the writer, the reader and the exports; an older
// (version-2) file is read without them and upgraded in place when opened for writing.

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
using testing::MakeDecisions;
using testing::MakeRunInfo;
using testing::MakeStep;

std::unique_ptr<RunStore> OpenOrDie(const std::string& path) {
  auto store = RunStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

int64_t Query(const std::string& path, const std::string& sql) {
  auto db = Db::Open(path);
  EXPECT_TRUE(db.ok());
  auto n = db->QueryInt64(sql);
  EXPECT_TRUE(n.ok()) << n.error().ToString();
  return n.ok() ? n->value_or(-1) : -1;
}

std::map<std::string, std::string> ExportCsv(const std::string& path, const std::string& run) {
  auto reader = RunReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.error().ToString();
  std::map<std::string, std::string> out;
  if (!reader.ok()) return out;
  auto tables = ExportRun(*reader, run, {});
  EXPECT_TRUE(tables.ok()) << tables.error().ToString();
  if (tables.ok()) {
    for (const auto& t : *tables) out[t.name] = t.content;
  }
  return out;
}

// Makes `path` a version-2 file: the run store as it was before step_decisions (version 3) and
// the calls' finish_reason and simulated columns and runs.simulated_roles (version 4) and the
// calls' usage details (version 5) existed.
void DowngradeToVersionTwo(const std::string& path) {
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  Status st = db->Exec(
      "DROP TABLE step_decisions; ALTER TABLE calls DROP COLUMN finish_reason; "
      "ALTER TABLE calls DROP COLUMN simulated; ALTER TABLE runs DROP COLUMN simulated_roles; "
      "ALTER TABLE calls DROP COLUMN total_tokens; ALTER TABLE calls DROP COLUMN cached_tokens; "
      "ALTER TABLE calls DROP COLUMN reasoning_tokens; PRAGMA user_version = 2");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
}

class StepDecisionsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.path() + "/runs.db";
};

TEST_F(StepDecisionsTest, DecisionsRoundTripInOrderThroughWriterAndReader) {
  {
    auto store = OpenOrDie(path_);
    ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeBaseline()).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(2)).ok());
  }
  EXPECT_EQ(Query(path_, "SELECT COUNT(*) FROM step_decisions"), 6);
  auto store = OpenOrDie(path_);
  auto got = store->LoadStep("r1", 2);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->decisions, MakeDecisions(2));
  EXPECT_TRUE((*store->LoadStep("r1", 0))->decisions.empty());

  auto reader = RunReader::Open(path_);
  ASSERT_TRUE(reader.ok()) << reader.error().ToString();
  auto detail = reader->LoadRun("r1");
  ASSERT_TRUE(detail.ok()) << detail.error().ToString();
  ASSERT_EQ(detail->steps.size(), 3u);
  EXPECT_TRUE(detail->steps[0].decisions.empty());
  EXPECT_EQ(detail->steps[1].decisions, MakeDecisions(1));
  EXPECT_EQ(detail->steps[2].decisions, MakeDecisions(2));
  EXPECT_EQ(reader->LoadStep("r1", 1)->decisions, MakeDecisions(1));
}

TEST_F(StepDecisionsTest, ABadDecisionFailsTheWholeStep) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  optim::StepRecord bad_payload = MakeStep(1);
  bad_payload.decisions[1].payload_json = "{\"dropped\": [1,";
  Status st = store->RecordStep("r1", bad_payload);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("payload_json"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("pcgrad"), std::string::npos) << st.error().message;
  optim::StepRecord no_kind = MakeStep(1);
  no_kind.decisions[0].kind = "";
  EXPECT_FALSE(store->RecordStep("r1", no_kind).ok());
  EXPECT_EQ(Query(path_, "SELECT COUNT(*) FROM steps"), 0);
  EXPECT_EQ(Query(path_, "SELECT COUNT(*) FROM step_decisions"), 0);
  EXPECT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());  // the step is still free
}

TEST_F(StepDecisionsTest, AVersionTwoFileIsReadAsItIsAndUpgradedInPlaceForWriting) {
  // What a version-2 writer stored: no decisions, no finish_reason or simulated flag per call.
  optim::StepRecord old0 = MakeBaseline(), old1 = MakeStep(1), old2 = MakeStep(2, false);
  for (optim::StepRecord* s : {&old0, &old1, &old2}) {
    s->decisions.clear();
    for (optim::CallRecord& c : s->calls) {
      c.finish_reason.clear();
      c.simulated = false;
      c.cached_tokens = c.reasoning_tokens = 0;
    }
  }
  {
    auto store = OpenOrDie(path_);
    ASSERT_TRUE(store->BeginRun(MakeRunInfo("old")).ok());
    ASSERT_TRUE(store->RecordStep("old", old0).ok());
    ASSERT_TRUE(store->RecordStep("old", old1).ok());
    ASSERT_TRUE(store->RecordStep("old", old2).ok());
  }
  DowngradeToVersionTwo(path_);

  {  // A reader reads the version-2 file unchanged: no decisions, an empty decisions export.
    auto reader = RunReader::Open(path_);
    ASSERT_TRUE(reader.ok()) << reader.error().ToString();
    auto detail = reader->LoadRun("old");
    ASSERT_TRUE(detail.ok()) << detail.error().ToString();
    ASSERT_EQ(detail->steps.size(), 3u);
    EXPECT_TRUE(detail->steps[1].decisions.empty());
    EXPECT_EQ(DumpStep(*reader->LoadStep("old", 1)), DumpStep(old1));
    EXPECT_EQ(ExportCsv(path_, "old")["step_decisions"],
              "run_id,step,ordinal,kind,criterion,summary,payload_json\n");
  }
  EXPECT_EQ(Query(path_, "PRAGMA user_version"), 2);

  auto store = OpenOrDie(path_);  // opening for writing migrates in place
  EXPECT_EQ(Query(path_, "PRAGMA user_version"),
            static_cast<int64_t>(RunStoreMigrations().size()));
  for (const optim::StepRecord& want : {old0, old1, old2}) {
    auto got = store->LoadStep("old", want.step);
    ASSERT_TRUE(got.ok() && got->has_value()) << want.step;
    EXPECT_EQ(DumpStep(**got), DumpStep(want));
  }
  auto checkpoint = store->LoadCheckpoint("old");
  ASSERT_TRUE(checkpoint.ok() && checkpoint->has_value());
  EXPECT_EQ((*checkpoint)->last_step, 2);
  ASSERT_TRUE(store->RecordStep("old", MakeStep(3)).ok());
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("new")).ok());
  ASSERT_TRUE(store->RecordStep("new", MakeStep(1)).ok());
  EXPECT_EQ((*store->LoadStep("old", 3))->decisions, MakeDecisions(3));
  EXPECT_EQ((*store->LoadStep("new", 1))->decisions, MakeDecisions(1));
}

TEST_F(StepDecisionsTest, AReaderRefusesAFileOlderThanItReads) {
  {
    auto db = Db::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Migrate({RunStoreMigrations().front()}).ok());  // version 1
  }
  auto reader = RunReader::Open(path_);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("open it for writing"), std::string::npos)
      << reader.error().message;
}

TEST_F(StepDecisionsTest, ExportsCarryEveryDecisionInStepOrder) {
  {
    auto store = OpenOrDie(path_);
    ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(2)).ok());  // stored out of order
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  }
  const std::string csv = ExportCsv(path_, "r1")["step_decisions"];
  const std::string first_row = "r1,1,0,conflict_matrix,,1 of 4 edit pairs contradict,";
  const std::string pcgrad_row =
      "r1,1,1,pcgrad,fluency,\"dropped 1 of 2 edits, \"\"contradict\"\"\nwith coherence\",";
  ASSERT_NE(csv.find(first_row), std::string::npos) << csv;
  ASSERT_NE(csv.find(pcgrad_row), std::string::npos) << csv;
  EXPECT_LT(csv.find(first_row), csv.find(pcgrad_row));
  EXPECT_LT(csv.find(pcgrad_row), csv.find("r1,2,0,conflict_matrix"));
  EXPECT_NE(csv.find("r1,1,2,select,,kept the incumbent,\n"), std::string::npos) << csv;
}

TEST_F(StepDecisionsTest, RunsShowListsDecisionsAndTheirPayloadsOnRequest) {
  {
    auto store = OpenOrDie(path_);
    ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeBaseline()).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  }
  auto reader = RunReader::Open(path_);
  ASSERT_TRUE(reader.ok());
  auto detail = reader->LoadRun("r1");
  ASSERT_TRUE(detail.ok());
  const std::string text = RenderRunDetail(*detail);
  EXPECT_NE(text.find("Decisions"), std::string::npos) << text;
  EXPECT_NE(text.find("conflict_matrix"), std::string::npos) << text;
  EXPECT_NE(text.find("dropped 1 of 2 edits, \"contradict\" with coherence"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\"against\""), std::string::npos) << "payloads only on request\n" << text;
  const std::string verbose = RenderRunDetail(*detail, /*payloads=*/true);
  EXPECT_NE(verbose.find("\"against\": \"coherence\""), std::string::npos) << verbose;
  EXPECT_NE(verbose.find("(no payload)"), std::string::npos) << verbose;

  const auto json = RunDetailToJson(*detail);
  EXPECT_TRUE(json["step_summaries"][0]["decisions"].empty());
  const auto& d = json["step_summaries"][1]["decisions"];
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0]["kind"], "conflict_matrix");
  EXPECT_EQ(d[0]["payload"]["pairs"][0]["contradict"], 1);
  EXPECT_EQ(d[1]["criterion"], "fluency");
  EXPECT_TRUE(d[2]["payload"].is_null());
}

}  // namespace
}  // namespace judgeopt::store
