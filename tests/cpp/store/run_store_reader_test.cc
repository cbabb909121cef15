// Reading the run store for `runs list|show`: listings, per-step summaries, usage per role, and
// the rendered table and JSON.

#include "judgeopt/store/run_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_views.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;
using testing::MakeEval;
using testing::MakeRunInfo;
using testing::MakeBaseline;
using testing::MakeStep;

class RunReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = RunStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE(store_->RecordStep("r1", MakeBaseline()).ok());
    ASSERT_TRUE(store_->RecordStep("r1", MakeStep(1)).ok());
    optim::StepRecord rejected = MakeStep(2);
    rejected.test_eval = MakeEval(rejected.incumbent_after.fingerprint, 0.1, /*reused=*/1);
    ASSERT_TRUE(store_->RecordStep("r1", rejected).ok());
    optim::RunInfo real = MakeRunInfo("r2");
    real.simulated = false;
    real.mode = "ST:fluency";
    ASSERT_TRUE(store_->BeginRun(real).ok());
    ASSERT_TRUE(store_->FinishRun("r2", "failed", "budget exceeded").ok());
  }

  RunReader Reader() {
    auto reader = RunReader::Open(path_);
    EXPECT_TRUE(reader.ok()) << reader.error().ToString();
    return std::move(reader).value();
  }

  TempDir dir_;
  std::string path_ = dir_.path() + "/runs.db";
  std::unique_ptr<RunStore> store_;
};

TEST(RunReaderOpenTest, MissingFileIsNotFoundAndNotCreated) {
  TempDir dir;
  const std::string path = dir.path() + "/none/runs.db";
  auto reader = RunReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kNotFound);
  EXPECT_NE(reader.error().message.find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(RunReaderTest, ListsRunsInBeginOrderWithProgressAndFinalSpearman) {
  auto runs = Reader().ListRuns();
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  ASSERT_EQ(runs->size(), 2u);
  const RunListing& a = (*runs)[0];
  EXPECT_EQ(a.info.run_id, "r1");
  EXPECT_EQ(a.status, "running");
  EXPECT_EQ(a.last_step, 2);
  EXPECT_EQ(a.final_eval_step, 2);
  ASSERT_TRUE(a.final_average_spearman.has_value());
  EXPECT_DOUBLE_EQ(*a.final_average_spearman, 0.1);
  const RunListing& b = (*runs)[1];
  EXPECT_EQ(b.info.run_id, "r2");
  EXPECT_EQ(b.status, "failed");
  EXPECT_EQ(b.message, "budget exceeded");
  EXPECT_EQ(b.last_step, -1);
  EXPECT_FALSE(b.final_average_spearman.has_value());

  const std::string table = RenderRunList(*runs);
  EXPECT_NE(table.find("2/12"), std::string::npos) << table;
  EXPECT_NE(table.find("-/12"), std::string::npos) << table;
  EXPECT_NE(table.find("0.100"), std::string::npos) << table;
  EXPECT_NE(table.find("ST:fluency"), std::string::npos) << table;
  // Only the simulated run carries the label.
  const auto r1_line = table.substr(table.find("r1"), table.find('\n', table.find("r1")) -
                                                          table.find("r1"));
  EXPECT_NE(r1_line.find("SIMULATED"), std::string::npos) << table;
  const auto r2_at = table.find("r2");
  EXPECT_EQ(table.find("SIMULATED", r2_at), std::string::npos) << table;
  EXPECT_EQ(RenderRunList({}), "");
}

TEST_F(RunReaderTest, StepSummariesCarryGateMetricsAndUsagePerRole) {
  auto detail = Reader().LoadRun("r1");
  ASSERT_TRUE(detail.ok()) << detail.error().ToString();
  ASSERT_EQ(detail->steps.size(), 3u);
  const StepSummary& s1 = detail->steps[1];
  EXPECT_EQ(s1.step, 1);
  EXPECT_TRUE(s1.gate.accepted);  // odd steps are accepted in the fixture
  EXPECT_FALSE(detail->steps[2].gate.accepted);
  EXPECT_EQ(s1.gate.candidate_score, 1.125);
  ASSERT_TRUE(s1.test.has_value());
  ASSERT_EQ(s1.test->metrics.size(), 3u);
  EXPECT_EQ(s1.test->metrics[1].criterion, "coherence");
  EXPECT_FALSE(s1.test->metrics[1].spearman.has_value());
  EXPECT_EQ(detail->steps[2].test->reused_from_step, 1);

  // Step 1 made a judge call, a cached loss call and a failed optimizer call.
  ASSERT_EQ(s1.usage.size(), 3u);
  EXPECT_EQ(s1.usage[0].role, "judge");
  EXPECT_EQ(s1.usage[0].prompt_tokens, 100);
  EXPECT_EQ(s1.usage[0].completion_tokens, 10);
  EXPECT_EQ(s1.usage[1].role, "loss");
  EXPECT_EQ(s1.usage[1].cache_hits, 1);
  EXPECT_EQ(s1.usage[2].role, "optimizer");
  EXPECT_EQ(s1.usage[2].failed, 1);
  EXPECT_DOUBLE_EQ(s1.usage[2].usd, 0.000375);
  ASSERT_EQ(detail->totals.size(), 3u);
  EXPECT_EQ(detail->totals[0].role, "judge");
  EXPECT_EQ(detail->totals[0].calls, 3);  // baseline + steps 1 and 2
  EXPECT_EQ(detail->totals[1].cache_hits, 2);
}

TEST_F(RunReaderTest, ShowTextAndJsonNameEveryStep) {
  auto detail = Reader().LoadRun("r1");
  ASSERT_TRUE(detail.ok());
  const std::string text = RenderRunDetail(*detail);
  for (const char* want : {"run r1 [SIMULATED]", "baseline", "reused 1", "coherence", "average",
                           "optimizer", "Test metrics at step 2", "status running"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  const auto json = RunDetailToJson(*detail);
  EXPECT_EQ(json["run_id"], "r1");
  EXPECT_EQ(json["config"]["a"], 1);
  ASSERT_EQ(json["step_summaries"].size(), 3u);
  EXPECT_EQ(json["step_summaries"][2]["accepted"], false);
  EXPECT_EQ(json["step_summaries"][2]["test"]["reused_from_step"], 1);
  EXPECT_TRUE(json["step_summaries"][1]["test"]["metrics"][1]["spearman"].is_null());
  EXPECT_EQ(json["step_summaries"][1]["usage"][1]["cache_hits"], 1);
}

TEST_F(RunReaderTest, UnknownRunNamesItAndPointsToRunsList) {
  auto detail = Reader().LoadRun("nope");
  ASSERT_FALSE(detail.ok());
  EXPECT_EQ(detail.error().code, ErrorCode::kNotFound);
  EXPECT_NE(detail.error().message.find("'nope'"), std::string::npos);
  EXPECT_NE(detail.error().message.find("runs list"), std::string::npos);
}

TEST_F(RunReaderTest, AnOpenReaderSeesLaterCommits) {
  RunReader reader = Reader();
  EXPECT_EQ((*reader.ListRuns())[0].last_step, 2);
  ASSERT_TRUE(store_->RecordStep("r1", MakeStep(3, false)).ok());
  EXPECT_EQ((*reader.ListRuns())[0].last_step, 3);
  auto step = reader.LoadStep("r1", 3);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(testing::DumpStep(*step), testing::DumpStep(MakeStep(3, false)));
  EXPECT_EQ(reader.LoadStep("r1", 9).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace judgeopt::store
