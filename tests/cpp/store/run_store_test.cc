// The SQLite run store: round trip of every recorded field, one transaction per step,
// duplicate steps, checkpoints, evaluation reuse across runs, and concurrent writers.

#include "judgeopt/store/run_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;
using testing::DumpEval;
using testing::DumpStep;
using testing::MakeEval;
using testing::MakeRunInfo;
using testing::MakeBaseline;
using testing::MakeStep;

std::unique_ptr<RunStore> OpenOrDie(const std::string& path) {
  auto store = RunStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

int64_t Count(const std::string& path, const std::string& table) {
  auto db = Db::Open(path);
  EXPECT_TRUE(db.ok());
  auto n = db->QueryInt64("SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(n.ok());
  return n.ok() ? n->value_or(-1) : -1;
}

class RunStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.path() + "/runs.db";
};

TEST(RunStoreSchemaTest, NewFileIsMigratedAndInWal) {
  TempDir dir;
  const std::string path = dir.path() + "/runs.db";
  ASSERT_NE(OpenOrDie(path), nullptr);
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*db->UserVersion(), static_cast<int>(RunStoreMigrations().size()));
  EXPECT_EQ(*db->JournalMode(), "wal");
  EXPECT_TRUE(RunStore::Open(path, {.read_only = true}).error().message.find("read-only") !=
              std::string::npos);
}

TEST_F(RunStoreTest, EveryFieldOfAStepAndTheRunRoundTrips) {
  {
    auto store = OpenOrDie(path_);
    ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeBaseline()).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
    ASSERT_TRUE(store->RecordStep("r1", MakeStep(2, /*with_eval=*/false)).ok());
  }
  auto store = OpenOrDie(path_);  // a fresh connection reads what the first one committed
  for (const optim::StepRecord& want : {MakeBaseline(), MakeStep(1), MakeStep(2, false)}) {
    auto got = store->LoadStep("r1", want.step);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ(DumpStep(**got), DumpStep(want));
  }
  EXPECT_FALSE(store->LoadStep("r1", 3)->has_value());

  auto db = Db::Open(path_);
  ASSERT_TRUE(db.ok());
  auto run = run_rows::LoadRun(*db, "r1");
  ASSERT_TRUE(run.ok() && run->has_value());
  const optim::RunInfo want = MakeRunInfo("r1");
  const optim::RunInfo& info = (*run)->info;
  EXPECT_EQ(info.group_id, want.group_id);
  EXPECT_EQ(info.config_json, want.config_json);
  EXPECT_EQ(info.code_version, want.code_version);
  EXPECT_EQ(info.dataset, want.dataset);
  EXPECT_EQ(info.mode, want.mode);
  EXPECT_EQ(info.algorithm, want.algorithm);
  EXPECT_EQ(info.criteria, want.criteria);
  EXPECT_EQ(info.steps, want.steps);
  EXPECT_EQ(info.simulated, want.simulated);
  // BeginRun's roles, joined by those whose calls the steps recorded as simulated.
  EXPECT_EQ(info.simulated_roles, (std::vector<std::string>{"judge", "loss", "optimizer"}));
  EXPECT_EQ((*run)->status, "running");
}

TEST_F(RunStoreTest, AFailingInsertLeavesNoPartOfTheStep) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  ASSERT_TRUE(store->RecordStep("r1", MakeBaseline()).ok());
  const std::vector<std::string> tables = {"steps", "prompts", "predictions", "losses",
                                           "gradients", "optimizer_calls", "evaluations",
                                           "evaluation_metrics", "calls"};
  std::vector<int64_t> before;
  for (const auto& t : tables) before.push_back(Count(path_, t));
  {
    // The calls rows are the last ones a step writes; make one of them fail.
    auto db = Db::Open(path_);
    ASSERT_TRUE(db->Exec("CREATE TRIGGER fail_boom BEFORE INSERT ON calls WHEN NEW.tag = 'boom' "
                         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;")
                    .ok());
  }
  optim::StepRecord bad = MakeStep(1);
  bad.calls.back().tag = "boom";
  Status st = store->RecordStep("r1", bad);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("injected failure"), std::string::npos);
  EXPECT_NE(st.error().message.find("run r1 step 1"), std::string::npos);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    EXPECT_EQ(Count(path_, tables[i]), before[i]) << tables[i];
  }
  EXPECT_EQ((*store->LoadCheckpoint("r1"))->last_step, 0);
  // The same step can then be recorded whole.
  ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  EXPECT_EQ(DumpStep(**store->LoadStep("r1", 1)), DumpStep(MakeStep(1)));
}

TEST_F(RunStoreTest, DuplicateStepIsRejectedAndTheFirstKept) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  optim::StepRecord other = MakeStep(1);
  other.losses.clear();
  Status st = store->RecordStep("r1", other);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("already stored"), std::string::npos);
  EXPECT_EQ(DumpStep(**store->LoadStep("r1", 1)), DumpStep(MakeStep(1)));
  EXPECT_EQ(store->RecordStep("r1", MakeStep(-1)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->RecordStep("r2", MakeStep(1)).error().code, ErrorCode::kNotFound);
}

TEST_F(RunStoreTest, APromptFingerprintCannotChangeItsJson) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  optim::StepRecord s = MakeStep(2);
  s.incumbent_before = {"fp-cand1", "{\"different\":true}"};
  Status st = store->RecordStep("r1", s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("fp-cand1"), std::string::npos);
  EXPECT_FALSE(store->LoadStep("r1", 2)->has_value());
  optim::StepRecord evalsplit = MakeStep(2);
  evalsplit.test_eval->split = "batch";
  EXPECT_FALSE(store->RecordStep("r1", evalsplit).ok());
}

TEST_F(RunStoreTest, CheckpointIsTheHighestStepAndTheLastTestEvaluation) {
  auto store = OpenOrDie(path_);
  EXPECT_FALSE(store->LoadCheckpoint("r1")->has_value());
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  auto empty = store->LoadCheckpoint("r1");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_EQ((*empty)->last_step, -1);
  EXPECT_FALSE((*empty)->last_test_eval.has_value());
  EXPECT_EQ((*empty)->status, "running");

  ASSERT_TRUE(store->RecordStep("r1", MakeBaseline()).ok());
  ASSERT_TRUE(store->RecordStep("r1", MakeStep(1)).ok());
  ASSERT_TRUE(store->RecordStep("r1", MakeStep(2, /*with_eval=*/false)).ok());
  auto cp = store->LoadCheckpoint("r1");
  ASSERT_TRUE(cp.ok()) << cp.error().ToString();
  ASSERT_TRUE(cp->has_value());
  EXPECT_EQ((*cp)->last_step, 2);
  EXPECT_EQ((*cp)->incumbent.fingerprint, MakeStep(2).incumbent_after.fingerprint);
  EXPECT_EQ((*cp)->incumbent.json, MakeStep(2).incumbent_after.json);
  EXPECT_EQ((*cp)->carried_gate_score, MakeStep(2).carried_gate_score);
  EXPECT_EQ(DumpEval((*cp)->last_test_eval), DumpEval(MakeStep(1).test_eval));
  EXPECT_EQ((*cp)->last_test_eval_step, 1);

  ASSERT_TRUE(store->FinishRun("r1", "failed", "budget exceeded").ok());
  EXPECT_EQ((*store->LoadCheckpoint("r1"))->status, "failed");
}

TEST_F(RunStoreTest, BeginRunContinuesOnlyTheSameConfig) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  Status other = store->BeginRun(MakeRunInfo("r1", "{\"a\":2}"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("run r1"), std::string::npos);

  ASSERT_TRUE(store->FinishRun("r1", "failed", "killed").ok());
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  EXPECT_EQ((*store->LoadCheckpoint("r1"))->status, "running");
  ASSERT_TRUE(store->FinishRun("r1", "finished", "").ok());
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("r1")).ok());
  EXPECT_EQ((*store->LoadCheckpoint("r1"))->status, "finished");
  EXPECT_EQ(store->FinishRun("r1", "paused", "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->FinishRun("nope", "failed", "").error().code, ErrorCode::kNotFound);
}

TEST_F(RunStoreTest, FindEvaluationSearchesEveryRunAndPrefersComputedOnes) {
  auto store = OpenOrDie(path_);
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("a")).ok());
  ASSERT_TRUE(store->BeginRun(MakeRunInfo("b")).ok());
  optim::StepRecord reused = MakeStep(3);
  reused.test_eval = MakeEval("fp-shared", 0.5, /*reused=*/1);
  optim::StepRecord computed = MakeStep(4);
  computed.test_eval = MakeEval("fp-shared", 0.6);
  ASSERT_TRUE(store->RecordStep("a", reused).ok());
  ASSERT_TRUE(store->RecordStep("b", computed).ok());

  auto found = store->FindEvaluation("fp-shared", "test", "settings-1");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(DumpEval(*found), DumpEval(computed.test_eval));
  EXPECT_FALSE(store->FindEvaluation("fp-shared", "validation", "settings-1")->has_value());
  EXPECT_FALSE(store->FindEvaluation("fp-shared", "test", "settings-2")->has_value());
  EXPECT_FALSE(store->FindEvaluation("fp-other", "test", "settings-1")->has_value());

  // Another connection sees it too.
  auto second = OpenOrDie(path_);
  EXPECT_EQ(DumpEval(*second->FindEvaluation("fp-shared", "test", "settings-1")),
            DumpEval(computed.test_eval));
}

// Writes steps 0..n-1 of `run` and returns how many failed.
int WriteRun(RunStore& store, const std::string& run, int n) {
  int failures = store.BeginRun(MakeRunInfo(run)).ok() ? 0 : 1;
  for (int s = 0; s < n; ++s) {
    optim::StepRecord step = MakeStep(s);
    // Distinct prompts per run, so the runs do not share fingerprints.
    step.incumbent_after = testing::Prompt(run + "-" + std::to_string(s));
    step.test_eval->prompt_fingerprint = step.incumbent_after.fingerprint;
    if (!store.RecordStep(run, step).ok()) ++failures;
  }
  return failures;
}

void ExpectRunComplete(RunStore& store, const std::string& run, int n) {
  auto cp = store.LoadCheckpoint(run);
  ASSERT_TRUE(cp.ok() && cp->has_value()) << run;
  EXPECT_EQ((*cp)->last_step, n - 1) << run;
  EXPECT_EQ((*cp)->incumbent.fingerprint, "fp-" + run + "-" + std::to_string(n - 1));
}

TEST_F(RunStoreTest, SeveralConnectionsAndThreadsWriteAtOnce) {
  constexpr int kSteps = 15;
  auto shared = OpenOrDie(path_);
  auto own1 = OpenOrDie(path_);
  auto own2 = OpenOrDie(path_);
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { failures[0] = WriteRun(*shared, "grid-a", kSteps); });
  threads.emplace_back([&] { failures[1] = WriteRun(*shared, "grid-b", kSteps); });
  threads.emplace_back([&] { failures[2] = WriteRun(*own1, "own-1", kSteps); });
  threads.emplace_back([&] { failures[3] = WriteRun(*own2, "own-2", kSteps); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
  for (const char* run : {"grid-a", "grid-b", "own-1", "own-2"}) {
    ExpectRunComplete(*shared, run, kSteps);
  }
  EXPECT_EQ(Count(path_, "steps"), 4 * kSteps);
}

TEST_F(RunStoreTest, TwoProcessesWriteOneFile) {
  constexpr int kSteps = 15;
  ASSERT_NE(OpenOrDie(path_), nullptr);  // created before the fork
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = RunStore::Open(path_);
    _exit(store.ok() && WriteRun(**store, "child", kSteps) == 0 ? 0 : 1);
  }
  auto store = OpenOrDie(path_);
  EXPECT_EQ(WriteRun(*store, "parent", kSteps), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ExpectRunComplete(*store, "child", kSteps);
  ExpectRunComplete(*store, "parent", kSteps);
}

}  // namespace
}  // namespace judgeopt::store
