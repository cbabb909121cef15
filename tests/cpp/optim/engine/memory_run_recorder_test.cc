// The in-memory RunRecorder: the RunRecorder contract (begin/continue, one record per step,
// checkpoint, evaluation reuse, finish) without a database.

#include "fakes/memory_run_recorder.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace judgeopt::optim {
namespace {

RunInfo Info(const std::string& id, const std::string& config = "{\"steps\":3}") {
  RunInfo info;
  info.run_id = id;
  info.group_id = id;
  info.config_json = config;
  info.dataset = "summeval";
  info.mode = "SSS";
  info.algorithm = "textgrad";
  info.criteria = {"fluency", "coherence"};
  info.steps = 3;
  return info;
}

EvaluationRecord Eval(const std::string& fingerprint, double spearman,
                      std::optional<int> reused = std::nullopt) {
  EvaluationRecord e;
  e.split = "test";
  e.prompt_fingerprint = fingerprint;
  e.settings_key = "k1";
  e.metrics.push_back({{spearman, {}, {}, {}, {}, {}, {}, 10, 0}, "average"});
  e.reused_from_step = reused;
  return e;
}

StepRecord Step(int n, const std::string& after, std::optional<EvaluationRecord> eval = {}) {
  StepRecord s;
  s.step = n;
  s.incumbent_after = {after, "{\"instructions\":\"" + after + "\"}"};
  s.carried_gate_score = 0.1 * n;
  s.test_eval = std::move(eval);
  return s;
}

TEST(MemoryRunRecorderTest, UnknownRunHasNoCheckpointAndCannotRecord) {
  MemoryRunRecorder rec;
  auto cp = rec.LoadCheckpoint("nope");
  ASSERT_TRUE(cp.ok());
  EXPECT_FALSE(cp->has_value());
  EXPECT_EQ(rec.RecordStep("nope", Step(0, "p0")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rec.FinishRun("nope", "finished", "").error().code, ErrorCode::kNotFound);
}

TEST(MemoryRunRecorderTest, CheckpointFollowsTheHighestStepAndLatestEvaluation) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  auto empty = rec.LoadCheckpoint("r1");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_EQ((*empty)->last_step, -1);
  EXPECT_EQ((*empty)->status, "running");

  ASSERT_TRUE(rec.RecordStep("r1", Step(0, "p0", Eval("p0", 0.3))).ok());
  ASSERT_TRUE(rec.RecordStep("r1", Step(1, "p1", Eval("p1", 0.4))).ok());
  ASSERT_TRUE(rec.RecordStep("r1", Step(2, "p2")).ok());  // no evaluation scheduled
  auto cp = rec.LoadCheckpoint("r1");
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ((*cp)->last_step, 2);
  EXPECT_EQ((*cp)->incumbent.fingerprint, "p2");
  ASSERT_TRUE((*cp)->carried_gate_score.has_value());
  EXPECT_DOUBLE_EQ(*(*cp)->carried_gate_score, 0.2);
  ASSERT_TRUE((*cp)->last_test_eval.has_value());
  EXPECT_EQ((*cp)->last_test_eval->prompt_fingerprint, "p1");
}

TEST(MemoryRunRecorderTest, DuplicateStepIsRejectedAndTheFirstKept) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  ASSERT_TRUE(rec.RecordStep("r1", Step(1, "first")).ok());
  Status again = rec.RecordStep("r1", Step(1, "second"));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("step 1"), std::string::npos);
  ASSERT_EQ(rec.Steps("r1").size(), 1u);
  EXPECT_EQ(rec.Steps("r1")[0].incumbent_after.fingerprint, "first");
  EXPECT_FALSE(rec.RecordStep("r1", Step(-1, "x")).ok());
}

TEST(MemoryRunRecorderTest, BeginAgainChecksTheConfigAndRevivesAFailedRun) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  Status other = rec.BeginRun(Info("r1", "{\"steps\":4}"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("r1"), std::string::npos);

  ASSERT_TRUE(rec.FinishRun("r1", "failed", "budget").ok());
  EXPECT_EQ(rec.RunStatus("r1"), "failed");
  EXPECT_EQ(rec.RunMessage("r1"), "budget");
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  EXPECT_EQ(rec.RunStatus("r1"), "running");

  ASSERT_TRUE(rec.FinishRun("r1", "finished", "").ok());
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  EXPECT_EQ(rec.RunStatus("r1"), "finished");
  EXPECT_FALSE(rec.FinishRun("r1", "paused", "").ok());
}

TEST(MemoryRunRecorderTest, FindEvaluationSearchesAllRunsAndPrefersComputedOnes) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("a")).ok());
  ASSERT_TRUE(rec.BeginRun(Info("b")).ok());
  ASSERT_TRUE(rec.RecordStep("a", Step(1, "p", Eval("p", 0.5, /*reused=*/0))).ok());
  ASSERT_TRUE(rec.RecordStep("b", Step(0, "p", Eval("p", 0.6))).ok());

  auto found = rec.FindEvaluation("p", "test", "k1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_FALSE((*found)->reused_from_step.has_value());
  EXPECT_DOUBLE_EQ(*(*found)->metrics[0].spearman, 0.6);

  EXPECT_FALSE(rec.FindEvaluation("p", "validation", "k1")->has_value());
  EXPECT_FALSE(rec.FindEvaluation("p", "test", "k2")->has_value());
  EXPECT_FALSE(rec.FindEvaluation("q", "test", "k1")->has_value());
}

TEST(MemoryRunRecorderTest, HookFailureStoresNothing) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  rec.set_record_hook([](const std::string&, const StepRecord& s) -> Status {
    if (s.step == 2) return IoError("disk full");
    return Status::Ok();
  });
  ASSERT_TRUE(rec.RecordStep("r1", Step(1, "p1")).ok());
  EXPECT_FALSE(rec.RecordStep("r1", Step(2, "p2")).ok());
  EXPECT_EQ((*rec.LoadCheckpoint("r1"))->last_step, 1);
}

TEST(MemoryRunRecorderTest, ConcurrentRunsRecordIndependently) {
  MemoryRunRecorder rec;
  constexpr int kRuns = 4;
  constexpr int kSteps = 25;
  std::vector<std::thread> threads;
  for (int r = 0; r < kRuns; ++r) {
    threads.emplace_back([&rec, r] {
      const std::string id = "run" + std::to_string(r);
      if (!rec.BeginRun(Info(id)).ok()) return;
      for (int s = 0; s < kSteps; ++s) {
        (void)rec.RecordStep(id, Step(s, id + "/" + std::to_string(s)));
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(rec.RunIds().size(), static_cast<std::size_t>(kRuns));
  for (int r = 0; r < kRuns; ++r) {
    const std::string id = "run" + std::to_string(r);
    EXPECT_EQ(rec.Steps(id).size(), static_cast<std::size_t>(kSteps));
    EXPECT_EQ((*rec.LoadCheckpoint(id))->incumbent.fingerprint, id + "/24");
  }
}

TEST(MemoryRunRecorderTest, KeepsEveryDecisionOfAStepInOrder) {
  MemoryRunRecorder rec;
  ASSERT_TRUE(rec.BeginRun(Info("r1")).ok());
  StepRecord step = Step(1, "p1");
  step.decisions = {{"conflict_matrix", "", "1 of 3 pairs contradict", "{\"pairs\":[]}"},
                    {"pcgrad", "fluency", "dropped 1 of 2 edits", "{\"dropped\":[1]}"},
                    {"select", "", "kept the incumbent", ""}};
  ASSERT_TRUE(rec.RecordStep("r1", step).ok());
  auto loaded = rec.LoadStep("r1", 1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->decisions, step.decisions);
  ASSERT_EQ(rec.Steps("r1").size(), 1u);
  EXPECT_EQ(rec.Steps("r1")[0].decisions, step.decisions);
}

}  // namespace
}  // namespace judgeopt::optim
