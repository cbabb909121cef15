// The optimization loop: calls per role and sequential waves per step for every mode (against
// reference-protocol §13.1 with our one-wave-per-stage structure), the gate, evaluation reuse,
// the protocol switches, and resume after a failed step.

#include "judgeopt/optim/run_loop.h"

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/llm/cache.h"

namespace judgeopt::optim {
namespace {

using llm::Role;

constexpr int kT = 4, kB = 3, kV = 4, kN = 6;

int Calls(const StepSummary& s, Role r) { return s.calls_by_role[static_cast<std::size_t>(r)]; }

class LoopTest : public ::testing::Test {
 protected:
  LoopTest() : dataset_(testdata::MakeLoopDataset()), model_([this](const llm::ChatRequest& r) {
                 return layout_.Answer(r);
               }) {}

  OptimizeConfig Config(const std::string& mode, const std::string& gate, int steps = 2) {
    OptimizeConfig c;
    c.dataset = dataset_.name;
    c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
    c.steps = steps;
    c.batch_size = kB;
    c.gate.metric = FindEnum<GateMetric>(gate).value();
    c.gate.samples = kV;
    return c;
  }

  Result<RunResult> Run(const OptimizeConfig& c, MemoryRunRecorder& recorder,
                        std::size_t plan_index = 0) {
    auto stack = testdata::MakeStack(model_, cache_);
    EXPECT_NE(stack, nullptr);
    WorkPool pool(4);
    RunDeps deps{*stack, pool, recorder, nullptr, "test"};
    auto plans = PlanRuns(c, dataset_);
    EXPECT_TRUE(plans.ok());
    return RunOptimization(c, dataset_, (*plans)[plan_index], deps);
  }

  data::Dataset dataset_;
  testdata::LayoutModel layout_;
  testing::ScriptedLlm model_;
  std::shared_ptr<llm::ResponseCache> cache_ = std::make_shared<llm::MemoryResponseCache>();
};

struct ModeCounts {
  const char* mode;
  int loss, gradient, optimizer;
};

class ModeCallsTest : public LoopTest, public ::testing::WithParamInterface<ModeCounts> {};

TEST_P(ModeCallsTest, CallsPerRoleAndWavesPerStepFollowTheProtocol) {
  const ModeCounts& m = GetParam();
  MemoryRunRecorder recorder;
  auto result = Run(Config(m.mode, "mae"), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->steps.size(), 3u);
  const StepSummary& base = result->steps[0];
  EXPECT_EQ(Calls(base, Role::kJudge), kN);
  EXPECT_EQ(base.waves, 1);
  for (int s = 1; s <= 2; ++s) {
    const StepSummary& st = result->steps[static_cast<std::size_t>(s)];
    SCOPED_TRACE(::testing::Message() << m.mode << " step " << s);
    // predict B, gate 2V (incumbent and candidate rescored together), eval N (new prompt).
    EXPECT_EQ(Calls(st, Role::kJudge), kB + 2 * kV + kN);
    EXPECT_EQ(Calls(st, Role::kLoss), m.loss);
    EXPECT_EQ(Calls(st, Role::kGradient), m.gradient);
    EXPECT_EQ(Calls(st, Role::kOptimizer), m.optimizer);
    EXPECT_EQ(st.waves, 6);  // predict, loss, gradient, optimizer, gate, eval
    EXPECT_TRUE(st.accepted);
    EXPECT_FALSE(st.eval_reused);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, ModeCallsTest,
                         ::testing::Values(ModeCounts{"SSS", kT * kB, kT * kB, kT},
                                           ModeCounts{"SSC", kT * kB, kT * kB, 1},
                                           ModeCounts{"SCC", kT * kB, kB, 1},
                                           ModeCounts{"CCC", kB, kB, 1}),
                         [](const auto& info) { return std::string(info.param.mode); });

TEST_F(LoopTest, NoGateMeansNoValidationCalls) {
  MemoryRunRecorder recorder;
  auto result = Run(Config("CCC", "none"), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(Calls(result->steps[1], Role::kJudge), kB + kN);
  EXPECT_EQ(result->steps[1].waves, 5);
  EXPECT_TRUE(result->steps[1].gate_skipped);
}

TEST_F(LoopTest, PaperGateScoresTheIncumbentOnceAndKeepsTheScore) {
  MemoryRunRecorder recorder;
  OptimizeConfig c = Config("SSS", "mae");
  c.switches = PaperSwitches();
  auto result = Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(Calls(result->steps[1], Role::kJudge), kB + 2 * kV + kN);
  EXPECT_EQ(result->steps[1].waves, 7);  // the incumbent first, then the candidate
  EXPECT_EQ(Calls(result->steps[2], Role::kJudge), kB + kV + kN);
  EXPECT_EQ(result->steps[2].waves, 6);
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_TRUE(steps[1].carried_gate_score.has_value());
}

TEST_F(LoopTest, RejectedStepKeepsThePromptAndReusesTheEvaluation) {
  layout_.bad_marker = " rule step";  // every rewritten instruction makes the judge worse
  MemoryRunRecorder recorder;
  auto result = Run(Config("SSC", "mae"), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  for (int s = 1; s <= 2; ++s) {
    const StepSummary& st = result->steps[static_cast<std::size_t>(s)];
    EXPECT_FALSE(st.accepted);
    EXPECT_LT(*st.candidate_score, *st.incumbent_score);
    EXPECT_TRUE(st.eval_reused);
    EXPECT_EQ(Calls(st, Role::kJudge), kB + 2 * kV);  // no test calls
  }
  const auto steps = recorder.Steps(result->plan.run_id);
  EXPECT_EQ(steps[2].incumbent_after.fingerprint, steps[0].incumbent_after.fingerprint);
  EXPECT_EQ(steps[2].test_eval->reused_from_step, 0);
  EXPECT_NE(steps[1].candidate.fingerprint, steps[1].incumbent_after.fingerprint);
}

TEST_F(LoopTest, OmittedCriterionKeepsCurrentInstructionByDefaultAndSeedUnderPaper) {
  layout_.omit_last_criterion = true;
  for (bool paper : {false, true}) {
    MemoryRunRecorder recorder;
    OptimizeConfig c = Config("CCC", "none");
    if (paper) c.switches.fallback_to_current = false;
    auto result = Run(c, recorder);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const std::string* last = result->final_prompt.Instruction("helpfulness");
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(*last, "Rate from 1 to 5.");  // seed == current here: never rewritten
    EXPECT_NE(*result->final_prompt.Instruction("clarity"), "Rate from 1 to 5.");
    EXPECT_EQ(result->final_prompt.output_format(), true);
  }
}

TEST_F(LoopTest, PaperDropsTheOutputFormatFromNewPrompts) {
  MemoryRunRecorder recorder;
  OptimizeConfig c = Config("SSS", "none", 1);
  c.switches.preserve_output_format = false;
  auto result = Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_FALSE(result->final_prompt.output_format());
}

TEST_F(LoopTest, SingleTaskPlansOneRunPerCriterionWithOneCriterionPrompts) {
  OptimizeConfig c = Config("ST", "none", 1);
  auto plans = PlanRuns(c, dataset_);
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(plans->size(), 4u);
  EXPECT_EQ((*plans)[2].criteria, std::vector<std::string>{"accuracy"});
  EXPECT_EQ((*plans)[2].group_id, (*plans)[0].group_id);
  MemoryRunRecorder recorder;
  auto result = Run(c, recorder, 2);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->final_prompt.instructions().size(), 1u);
  EXPECT_EQ(Calls(result->steps[1], Role::kLoss), kB);
  EXPECT_EQ(Calls(result->steps[1], Role::kOptimizer), 1);
  ASSERT_TRUE(result->final_eval.has_value());
  EXPECT_EQ(result->final_eval->metrics.size(), 2u);  // accuracy and the average
}

TEST_F(LoopTest, AFailedSingleTaskRunResumesFromItsOneCriterionPrompt) {
  // The stored incumbent of a single-task run names one criterion; resuming must rebuild exactly
  // that prompt (not one padded with the other criteria's seed instructions).
  const OptimizeConfig c = Config("ST", "none", 2);
  MemoryRunRecorder recorder;
  recorder.set_record_hook([](const std::string&, const StepRecord& s) -> Status {
    if (s.step == 2) return IoError("disk full (injected)");
    return Status::Ok();
  });
  ASSERT_FALSE(Run(c, recorder, 1).ok());
  recorder.set_record_hook(nullptr);
  auto resumed = Run(c, recorder, 1);
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->resumed_after_step, 1);
  EXPECT_EQ(resumed->final_prompt.instructions().size(), 1u);
  const auto steps = recorder.Steps(resumed->plan.run_id);
  ASSERT_EQ(steps.size(), 3u);
  auto rebuilt = PromptFromRecord(steps[1].incumbent_after, dataset_, resumed->plan.run_id);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().ToString();
  EXPECT_EQ(rebuilt->instructions().size(), 1u);
}

TEST_F(LoopTest, FailedStepResumesToTheUninterruptedResult) {
  MemoryRunRecorder clean;
  const OptimizeConfig c = Config("SSS", "spearman", 3);
  auto reference = Run(c, clean);
  ASSERT_TRUE(reference.ok()) << reference.error().ToString();

  MemoryRunRecorder broken;
  broken.set_record_hook([](const std::string&, const StepRecord& s) -> Status {
    if (s.step == 2) return IoError("disk full (injected)");
    return Status::Ok();
  });
  auto first = Run(c, broken);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().message.find("disk full"), std::string::npos);
  EXPECT_EQ(broken.RunStatus(reference->plan.run_id), "failed");
  broken.set_record_hook(nullptr);
  auto resumed = Run(c, broken);
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->resumed_after_step, 1);
  EXPECT_EQ(broken.RunStatus(reference->plan.run_id), "finished");
  const auto a = clean.Steps(reference->plan.run_id);
  const auto b = broken.Steps(reference->plan.run_id);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].incumbent_after.json, b[i].incumbent_after.json);
    EXPECT_EQ(a[i].gate.accepted, b[i].gate.accepted);
    EXPECT_EQ(a[i].gradients.size(), b[i].gradients.size());
    ASSERT_EQ(a[i].test_eval.has_value(), b[i].test_eval.has_value());
    if (a[i].test_eval) {
      EXPECT_EQ(a[i].test_eval->metrics[kT].spearman, b[i].test_eval->metrics[kT].spearman);
      EXPECT_EQ(a[i].test_eval->reused_from_step, b[i].test_eval->reused_from_step);
    }
  }
  // The retried step 2 was answered from the cache: only the write failed the first time.
  EXPECT_EQ(resumed->steps[0].step, 2);
  EXPECT_EQ(resumed->steps[0].cache_hits, resumed->steps[0].calls);

  auto again = Run(c, broken);  // a finished run makes no call
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->steps.empty());
}

TEST_F(LoopTest, AFailedJudgeCallFailsTheStepInsteadOfRecordingAPartialEvaluation) {
  layout_.fail_tag_prefix = "step2/eval/";
  MemoryRunRecorder recorder;
  auto result = Run(Config("SSS", "none"), recorder);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(result.error().message.find("step 2"), std::string::npos) << result.error().message;
  const auto plans = PlanRuns(Config("SSS", "none"), dataset_);
  const auto steps = recorder.Steps((*plans)[0].run_id);
  ASSERT_EQ(steps.size(), 2u);  // baseline and step 1 stored; step 2 not
  EXPECT_EQ(recorder.RunStatus((*plans)[0].run_id), "failed");
}

TEST(ModeTest, RejectsModesThatSeparateAfterCombining) {
  for (const char* bad : {"SCS", "CSS", "CSC", "CCS"}) {
    auto m = ParseMode(bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_NE(m.error().message.find("cannot work per criterion"), std::string::npos);
  }
  EXPECT_FALSE(ParseMode("XYZ").ok());
  EXPECT_EQ(ParseMode("scc")->Name(), "SCC");
}

}  // namespace
}  // namespace judgeopt::optim
