// The analysis tables: diagnostic rows and cherry-pick results round-trip whole, keys are unique,
// readers order rows and see no rows in a file without the tables, evaluations kept for reuse
// come back (and those of runs are found too), and a version-1 file migrates.

#include "judgeopt/store/analysis_store.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "cpp/store/run_store_fixtures.h"

namespace judgeopt::store {
namespace {

namespace fs = std::filesystem;
using testing::MakeEval;
using testing::MakeRunInfo;
using testing::MakeStep;

class AnalysisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("jo_analysis_" + std::string(::testing::UnitTest::GetInstance()
                                             ->current_test_info()
                                             ->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "runs.db").string();
    auto runs = RunStore::Open(path_);
    ASSERT_TRUE(runs.ok()) << runs.error().message;
    runs_ = std::move(*runs);
    auto a = MakeRunInfo("run-a");
    auto b = MakeRunInfo("run-b");
    b.mode = "CCC";
    ASSERT_TRUE(runs_->BeginRun(a).ok());
    ASSERT_TRUE(runs_->BeginRun(b).ok());
    auto store = AnalysisStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    runs_.reset();
    fs::remove_all(dir_);
  }

  static DiagnosticRow Row(const std::string& run, int step, const std::string& criterion,
                           const std::string& kind, std::optional<int> score) {
    DiagnosticRow r;
    r.run_id = run;
    r.kind = kind;
    r.step = step;
    r.criterion = criterion;
    r.score = score;
    r.raw_reply = score ? std::to_string(*score) : "I cannot rate this";
    r.request_hash = "h-" + run + std::to_string(step) + criterion + kind;
    r.model = "judge-model";
    r.simulated = true;
    return r;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<RunStore> runs_;
  std::unique_ptr<AnalysisStore> store_;
};

TEST_F(AnalysisStoreTest, DiagnosticsRoundTripInRunKindStepAndCriteriaOrder) {
  // Stored out of order; run-a's criteria are (fluency, coherence), so fluency comes first.
  ASSERT_TRUE(store_
                  ->SaveDiagnostics({Row("run-b", 1, "fluency", kSpecificity, 3),
                                     Row("run-a", 2, "fluency", kSpecificity, 9),
                                     Row("run-a", 1, "coherence", kSpecificity, std::nullopt),
                                     Row("run-a", 1, "fluency", kSpecificity, 8),
                                     Row("run-a", 1, "fluency", kAdherence, 7)})
                  .ok());
  auto all = store_->ListDiagnostics({});
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 5u);
  const std::vector<std::tuple<std::string, std::string, int, std::string>> expected = {
      {"run-a", kAdherence, 1, "fluency"},     {"run-a", kSpecificity, 1, "fluency"},
      {"run-a", kSpecificity, 1, "coherence"}, {"run-a", kSpecificity, 2, "fluency"},
      {"run-b", kSpecificity, 1, "fluency"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const DiagnosticRow& r = (*all)[i];
    EXPECT_EQ(std::make_tuple(r.run_id, r.kind, r.step, r.criterion), expected[i]) << i;
  }
  const DiagnosticRow& missing = (*all)[2];
  EXPECT_FALSE(missing.score.has_value());
  EXPECT_EQ(missing.raw_reply, "I cannot rate this");
  EXPECT_EQ(missing.mode, "SSS");
  EXPECT_EQ((*all)[4].mode, "CCC");
  EXPECT_EQ((*all)[4].request_hash, "h-run-b1fluencyspecificity");
  EXPECT_EQ((*all)[4].model, "judge-model");
  EXPECT_TRUE((*all)[4].simulated);

  auto only_b = store_->ListDiagnostics({"run-b"}, kSpecificity);
  ASSERT_TRUE(only_b.ok());
  ASSERT_EQ(only_b->size(), 1u);
  EXPECT_EQ(*(*only_b)[0].score, 3);
  auto adherence = store_->ListDiagnostics({}, kAdherence);
  ASSERT_TRUE(adherence.ok());
  EXPECT_EQ(adherence->size(), 1u);
}

TEST_F(AnalysisStoreTest, ADuplicateDiagnosticStoresNothingOfItsBatch) {
  ASSERT_TRUE(store_->SaveDiagnostics({Row("run-a", 1, "fluency", kSpecificity, 8)}).ok());
  Status again = store_->SaveDiagnostics({Row("run-a", 2, "fluency", kSpecificity, 5),
                                          Row("run-a", 1, "fluency", kSpecificity, 4)});
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already stored"), std::string::npos);
  auto all = store_->ListDiagnostics({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(*(*all)[0].score, 8);
}

TEST_F(AnalysisStoreTest, DiagnosticsOfAnUnknownRunAreRefused) {
  Status st = store_->SaveDiagnostics({Row("nope", 1, "fluency", kSpecificity, 8)});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("nope"), std::string::npos);
  EXPECT_FALSE(store_->ListDiagnostics({"nope"}).ok());
}

CherrypickResult MakeCherrypick(const std::string& id, double stitched_fluency) {
  CherrypickResult r;
  r.id = id;
  r.dataset = "summeval";
  r.group_id = "g1";
  r.run_ids = {"g1-fluency", "g1-coherence"};
  r.pick_metric = "mae";
  r.pick_split = "validation";
  r.pick_samples = 100;
  r.simulated = true;
  r.judge_model = "m";
  r.initial_prompt = {"fp-initial", "{\"initial\":1}"};
  r.stitched_prompt = {"fp-stitched-" + id, "{\"stitched\":1}"};
  CherrypickRow f;
  f.criterion = "fluency";
  f.source_run_id = "g1-fluency";
  f.source_step = 3;
  f.instruction = "Judge grammar, \"strictly\".\nLine two.";
  f.pick_score = 0.61;
  f.initial = {.spearman = 0.3, .mae = 0.9, .off_by_one = 0.5, .n = 10, .missing = 0};
  f.single = {.spearman = 0.4, .mae = 0.8, .off_by_one = std::nullopt, .n = 9, .missing = 1};
  f.stitched = {
      .spearman = stitched_fluency, .mae = 1.0, .off_by_one = 0.45, .n = 10, .missing = 0};
  f.candidates = {{"g1-fluency", 0, "fp0", 0.7}, {"g1-fluency", 3, "fp3", 0.61},
                  {"g1-fluency", 5, "fp5", std::nullopt}};
  CherrypickRow c;
  c.criterion = "coherence";
  c.instruction = "seed";
  CherrypickRow avg;
  avg.criterion = "average";
  avg.initial.spearman = 0.2;
  r.rows = {f, c, avg};
  return r;
}

TEST_F(AnalysisStoreTest, CherrypickRoundTripsWholeAndARerunReplacesIt) {
  ASSERT_TRUE(store_->SaveCherrypick(MakeCherrypick("cp1", 0.25)).ok());
  ASSERT_TRUE(store_->SaveCherrypick(MakeCherrypick("cp2", 0.1)).ok());
  ASSERT_TRUE(store_->SaveCherrypick(MakeCherrypick("cp1", 0.35)).ok());  // replaces cp1
  auto all = store_->ListCherrypicks();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  auto got = store_->LoadCherrypick("cp1");
  ASSERT_TRUE(got.ok() && got->has_value());
  const CherrypickResult& r = **got;
  const CherrypickResult want = MakeCherrypick("cp1", 0.35);
  EXPECT_EQ(r.dataset, want.dataset);
  EXPECT_EQ(r.group_id, want.group_id);
  EXPECT_EQ(r.run_ids, want.run_ids);
  EXPECT_EQ(r.pick_metric, "mae");
  EXPECT_EQ(r.pick_split, "validation");
  EXPECT_EQ(r.pick_samples, 100);
  EXPECT_TRUE(r.simulated);
  EXPECT_EQ(r.initial_prompt.json, want.initial_prompt.json);
  EXPECT_EQ(r.stitched_prompt.fingerprint, "fp-stitched-cp1");
  EXPECT_EQ(r.stitched_prompt.json, "{\"stitched\":1}");
  ASSERT_EQ(r.rows.size(), 3u);
  const CherrypickRow* f = r.Row("fluency");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->source_step, 3);
  EXPECT_EQ(f->instruction, want.rows[0].instruction);
  EXPECT_DOUBLE_EQ(*f->pick_score, 0.61);
  EXPECT_DOUBLE_EQ(*f->stitched.spearman, 0.35);
  EXPECT_FALSE(f->single.off_by_one.has_value());
  EXPECT_EQ(f->single.missing, 1);
  ASSERT_EQ(f->candidates.size(), 3u);
  EXPECT_EQ(f->candidates[1].prompt_fingerprint, "fp3");
  EXPECT_FALSE(f->candidates[2].score.has_value());
  EXPECT_EQ(r.Row("coherence")->source_step, -1);
  EXPECT_EQ(r.rows.back().criterion, "average");
  EXPECT_FALSE(store_->LoadCherrypick("cp-unknown")->has_value());
}

TEST_F(AnalysisStoreTest, EvaluationsKeptForReuseComeBackAndRunEvaluationsAreFound) {
  optim::EvaluationRecord e = MakeEval("fp-val", 0.4);
  e.split = "validation";
  e.settings_key = "key-v";
  ASSERT_TRUE(store_->SaveEvaluation(e).ok());
  auto got = store_->FindEvaluation("fp-val", "validation", "key-v");
  ASSERT_TRUE(got.ok() && got->has_value());
  ASSERT_EQ((*got)->metrics.size(), e.metrics.size());
  EXPECT_FALSE((*got)->metrics[1].spearman.has_value());
  EXPECT_DOUBLE_EQ(*(*got)->metrics[2].spearman, 0.4);
  ASSERT_EQ((*got)->predictions.size(), 3u);
  EXPECT_EQ((*got)->predictions[1].raw_reply, e.predictions[1].raw_reply);
  EXPECT_FALSE((*got)->predictions[1].values[1].has_value());
  EXPECT_FALSE(store_->FindEvaluation("fp-val", "validation", "other")->has_value());

  // A run's stored test evaluation is found through the same call.
  optim::StepRecord step = MakeStep(0);
  step.test_eval = MakeEval("fp-run", 0.3);
  ASSERT_TRUE(runs_->RecordStep("run-a", step).ok());
  auto from_run = store_->FindEvaluation("fp-run", "test", "settings-1");
  ASSERT_TRUE(from_run.ok() && from_run->has_value());
  EXPECT_DOUBLE_EQ(*(*from_run)->metrics.back().spearman, 0.3);
}

TEST_F(AnalysisStoreTest, ReaderSeesTheRowsAndAVersionOneFileHasNone) {
  ASSERT_TRUE(store_->SaveDiagnostics({Row("run-a", 1, "fluency", kSpecificity, 8)}).ok());
  ASSERT_TRUE(store_->SaveCherrypick(MakeCherrypick("cp1", 0.2)).ok());
  auto reader = RunReader::Open(path_);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(ListDiagnostics(reader->db())->size(), 1u);
  EXPECT_EQ(ListCherrypicks(reader->db())->size(), 1u);

  // A database at version 1 (before the analysis tables): the free readers give no rows, and
  // opening it for writing migrates it.
  const std::string old_path = (dir_ / "v1.db").string();
  {
    auto db = Db::Open(old_path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Migrate({RunStoreMigrations().front()}).ok());
    auto none = ListDiagnostics(*db);
    ASSERT_TRUE(none.ok()) << none.error().message;
    EXPECT_TRUE(none->empty());
    EXPECT_TRUE(ListCherrypicks(*db)->empty());
  }
  auto migrated = AnalysisStore::Open(old_path);
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  EXPECT_TRUE((*migrated)->ListCherrypicks()->empty());
}

}  // namespace
}  // namespace judgeopt::store
