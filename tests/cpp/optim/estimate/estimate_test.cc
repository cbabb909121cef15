// The cost projection: calls per role per step against docs/protocol.md's table for every mode
// and gate, bounds that contain the calls a real (scripted) run makes, token sums from the
// rendered prompts, dollars at the configured prices, and the budget check.

#include "cpp/skip_policy.h"
#include "judgeopt/optim/estimate/estimate.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

using llm::Role;

// MakeLoopDataset: T = 4 criteria, 8 train, 6 validation, 6 test examples.
constexpr int kT = 4, kB = 3, kV = 4, kN = 6;

OptimizeConfig Config(const std::string& mode, const std::string& gate, int steps = 2) {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
  c.steps = steps;
  c.batch_size = kB;
  c.gate.metric = FindEnum<GateMetric>(gate).value();
  c.gate.samples = kV;
  return c;
}

OptimizeConfig Paper(OptimizeConfig c) {
  c.protocol = Protocol::kPaper;
  c.switches = PaperSwitches();
  c.judge_reasks = 0;
  return c;
}

Bounds B(int64_t lo, int64_t hi) { return {lo, hi}; }
Bounds B(int64_t n) { return {n, n}; }

struct ModeCase {
  const char* mode;
  int loss, gradient, optimizer_min, optimizer_max;  // per step, one run
};

class StepCountsTest : public ::testing::TestWithParam<ModeCase> {
 protected:
  data::Dataset dataset_ = testdata::MakeLoopDataset();
};

TEST_P(StepCountsTest, StageCallsFollowTheProtocolTable) {
  const ModeCase& m = GetParam();
  const OptimizeConfig c = Config(m.mode, "mae");
  const bool st = std::string(m.mode) == "ST";
  const RunShape shape = ShapeOf(c, dataset_, st ? 1 : kT);
  EXPECT_EQ(shape.batch, kB);
  EXPECT_EQ(shape.gate_samples, kV);
  EXPECT_EQ(shape.eval_size, kN);
  for (int step = 1; step <= 2; ++step) {
    SCOPED_TRACE(::testing::Message() << m.mode << " step " << step);
    const CallCounts k = StepCallCounts(c, shape, step);
    EXPECT_EQ(k.loss, B(m.loss));
    EXPECT_EQ(k.gradient, B(m.gradient));
    EXPECT_EQ(k.optimizer, B(m.optimizer_min, m.optimizer_max));
    EXPECT_EQ(k.ForRole(Role::kDiagnostic), B(0));
  }
}

// T = 4, B = 3, one optimizer retry (the default): S stages T x B, C stages B; the separate
// optimizer T calls, the combined one 1 (+1 retry at most). ST: per criterion run, CCC with T = 1.
INSTANTIATE_TEST_SUITE_P(Modes, StepCountsTest,
                         ::testing::Values(ModeCase{"SSS", 12, 12, 4, 4},
                                           ModeCase{"SSC", 12, 12, 1, 2},
                                           ModeCase{"SCC", 12, 3, 1, 2},
                                           ModeCase{"CCC", 3, 3, 1, 2},
                                           ModeCase{"ST", 3, 3, 1, 2}));

class EstimateTest : public ::testing::Test {
 protected:
  data::Dataset dataset_ = testdata::MakeLoopDataset();
};

TEST_F(EstimateTest, JudgeCallsPerStepForEachGate) {
  const RunShape shape = ShapeOf(Config("SSS", "none"), dataset_, kT);
  // No gate: predict B and (every step accepted) an evaluation N, both bounds.
  const OptimizeConfig none = Config("SSS", "none");
  EXPECT_EQ(StepCallCounts(none, shape, 0).Judge(), B(kN));
  EXPECT_EQ(StepCallCounts(none, shape, 1).Judge(), B(kB + kN));
  // Default gate: 2V every gated step; the evaluation is skipped when the step is rejected.
  const OptimizeConfig mae = Config("SSS", "mae");
  EXPECT_EQ(StepCallCounts(mae, shape, 0).Judge(), B(kN));
  EXPECT_EQ(StepCallCounts(mae, shape, 1).Judge(), B(kB + 2 * kV, kB + 2 * kV + kN));
  EXPECT_EQ(StepCallCounts(mae, shape, 2).Judge(), B(kB + 2 * kV, kB + 2 * kV + kN));
  // Paper: V each step, plus V for the incumbent at the first step.
  const OptimizeConfig paper = Paper(Config("SSS", "mae"));
  EXPECT_EQ(StepCallCounts(paper, shape, 1).judge_gate, B(2 * kV));
  EXPECT_EQ(StepCallCounts(paper, shape, 2).judge_gate, B(kV));
}

TEST_F(EstimateTest, EvaluationScheduleAndCandidatesChangeJudgeCalls) {
  OptimizeConfig c = Config("CCC", "mae", 4);
  c.eval.every = 2;
  c.eval.first = false;
  c.eval.last = false;
  c.eval.initial = false;
  c.num_candidates = 3;
  const RunShape shape = ShapeOf(c, dataset_, kT);
  // The first scheduled evaluation is step 2: the lower bound pays it, later ones are reused.
  EXPECT_EQ(StepCallCounts(c, shape, 0).judge_eval, B(0));
  EXPECT_EQ(StepCallCounts(c, shape, 1).judge_eval, B(0));
  EXPECT_EQ(StepCallCounts(c, shape, 2).judge_eval, B(kN));
  EXPECT_EQ(StepCallCounts(c, shape, 4).judge_eval, B(0, kN));
  // Three candidates: B predictions + 3 x B candidate scorings; 3 optimizer calls (+3 retries).
  EXPECT_EQ(StepCallCounts(c, shape, 1).judge_train, B(kB + 3 * kB));
  EXPECT_EQ(StepCallCounts(c, shape, 1).optimizer, B(3, 6));
}

// A scripted run's calls per role lie within the projection's bounds (exactly on them without
// a gate, where no step can be rejected).
TEST_F(EstimateTest, RealRunsStayWithinTheBounds) {
  testdata::LayoutModel layout;
  testing::ScriptedLlm model([&layout](const llm::ChatRequest& r) { return layout.Answer(r); });
  for (const char* mode : {"SSS", "SSC", "SCC", "CCC", "ST"}) {
    for (const char* gate : {"none", "mae"}) {
      for (bool paper : {false, true}) {
        SCOPED_TRACE(::testing::Message() << mode << " " << gate << (paper ? " paper" : ""));
        OptimizeConfig c = Config(mode, gate, 3);
        if (paper) c = Paper(c);
        auto estimate = EstimateRun(c, dataset_);
        ASSERT_TRUE(estimate.ok()) << estimate.error().ToString();
        llm::PerRole<int64_t> made{};
        auto plans = PlanRuns(c, dataset_);
        ASSERT_TRUE(plans.ok());
        for (const RunPlan& plan : *plans) {
          auto stack = testdata::MakeStack(model, std::make_shared<llm::MemoryResponseCache>());
          ASSERT_NE(stack, nullptr);
          WorkPool pool(4);
          MemoryRunRecorder recorder;
          RunDeps deps{*stack, pool, recorder, nullptr, "test"};
          auto result = RunOptimization(c, dataset_, plan, deps);
          ASSERT_TRUE(result.ok()) << result.error().ToString();
          for (const StepSummary& s : result->steps) {
            for (llm::Role role : llm::kAllRoles) made[role] += s.calls_by_role[role];
          }
        }
        for (const RoleEstimate& r : estimate->roles) {
          SCOPED_TRACE(llm::RoleName(r.role));
          const int64_t n = made[r.role];
          EXPECT_LE(r.calls.min, n);
          EXPECT_GE(r.calls.max, n);
          if (std::string(gate) == "none" && r.role != Role::kOptimizer) {
            EXPECT_EQ(r.calls.min, n);
          }
        }
      }
    }
  }
}

TEST_F(EstimateTest, StRunsAreSummedOverCriteria) {
  auto st = EstimateRun(Config("ST", "none"), dataset_);
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(st->runs, kT);
  ASSERT_EQ(st->roles.size(), 4u);
  // Per run: baseline N + 2 steps x (B + N); loss and gradient B per step; 4 runs.
  EXPECT_EQ(st->roles[0].calls, B(kT * (kN + 2 * (kB + kN))));
  EXPECT_EQ(st->roles[1].calls, B(kT * 2 * kB));
  EXPECT_EQ(st->roles[2].calls, B(kT * 2 * kB));
  EXPECT_EQ(st->calls.max, st->roles[0].calls.max + st->roles[1].calls.max +
                               st->roles[2].calls.max + st->roles[3].calls.max);
}

TEST_F(EstimateTest, JudgeTokensComeFromTheRenderedPrompts) {
  OptimizeConfig c = Config("SSS", "none", 0);  // the baseline evaluation only
  c.llm.role(Role::kJudge).max_tokens = 1000;
  auto e = EstimateRun(c, dataset_);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  const judge::JudgePrompt seed = judge::JudgePrompt::FromDataset(dataset_);
  int64_t expected = 0;
  for (std::size_t p : dataset_.splits.test) {
    llm::ChatRequest r;
    r.messages = *judge::RenderJudgeMessages(seed, dataset_, dataset_.examples[p]);
    expected += llm::ApproxPromptTokens(r);
  }
  EXPECT_EQ(e->roles[0].calls, B(kN));
  EXPECT_EQ(e->roles[0].prompt_tokens, B(expected));
  EXPECT_EQ(e->roles[0].completion_tokens, B(kN * 15 * kT));  // 15 tokens per criterion
  EXPECT_EQ(e->roles[1].calls, B(0));
}

TEST_F(EstimateTest, RepliesAreCappedByMaxTokens) {
  OptimizeConfig c = Config("SSS", "none", 1);
  c.llm.role(Role::kJudge).max_tokens = 10;
  c.llm.role(Role::kLoss).max_tokens = 20;
  auto e = EstimateRun(c, dataset_);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->roles[0].completion_tokens.max, e->roles[0].calls.max * 10);
  EXPECT_EQ(e->roles[1].completion_tokens.max, e->roles[1].calls.max * 20);
  EXPECT_EQ(e->roles[2].completion_tokens.max, e->roles[2].calls.max * 400);
}

TEST_F(EstimateTest, LongerCritiquesMakeLongerGradientPrompts) {
  EstimateAssumptions shorter, longer;
  shorter.loss_tokens = 50;
  longer.loss_tokens = 500;
  const OptimizeConfig c = Config("SSS", "none", 1);
  auto a = EstimateRun(c, dataset_, shorter);
  auto b = EstimateRun(c, dataset_, longer);
  ASSERT_TRUE(a.ok() && b.ok());
  // 12 gradient calls, each critique 450 tokens longer.
  EXPECT_NEAR(static_cast<double>(b->roles[2].prompt_tokens.max - a->roles[2].prompt_tokens.max),
              12 * 450, 12 * 2);
  EXPECT_EQ(a->roles[1].prompt_tokens, b->roles[1].prompt_tokens);
}

TEST_F(EstimateTest, DollarsAreTokensTimesPrice) {
  OptimizeConfig c = Config("SSC", "mae");
  for (Role r : llm::kAllRoles) {
    c.llm.role(r).backend = llm::Backend::kOpenAi;
    c.llm.role(r).model = "priced";
  }
  c.llm.role(Role::kOptimizer).model = "free-for-all";
  c.llm.prices["priced"] = {2.0, 8.0};
  auto e = EstimateRun(c, dataset_);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  double total_max = 0;
  for (const RoleEstimate& r : e->roles) {
    SCOPED_TRACE(llm::RoleName(r.role));
    EXPECT_FALSE(r.simulated);
    if (r.role == Role::kOptimizer) {
      EXPECT_FALSE(r.priced);
      EXPECT_EQ(r.usd_max, 0.0);
      continue;
    }
    EXPECT_TRUE(r.priced);
    const double want = (static_cast<double>(r.prompt_tokens.max) * 2.0 +
                         static_cast<double>(r.completion_tokens.max) * 8.0) / 1e6;
    EXPECT_DOUBLE_EQ(r.usd_max, want);
    EXPECT_GT(r.usd_max, 0);
    EXPECT_LE(r.usd_min, r.usd_max);
    total_max += want;
  }
  EXPECT_NEAR(e->usd_max, total_max, 1e-12);
  EXPECT_TRUE(e->any_unpriced);
  EXPECT_FALSE(e->all_simulated);
  const std::string text = RenderEstimate(*e);
  EXPECT_NE(text.find("'free-for-all' has no price: its cost is unknown"), std::string::npos)
      << text;
  EXPECT_NE(text.find("price unknown"), std::string::npos) << text;
  EXPECT_EQ(text.find("$0 (unpriced)"), std::string::npos) << "never $0 for an unknown price";
  EXPECT_NE(text.find("+ price unknown"), std::string::npos) << "the total says so too";
  EXPECT_NE(DescribeProjection(*e).find("unknown cost of unpriced models"), std::string::npos);
}

TEST_F(EstimateTest, SimulatedRolesCostNothing) {
  auto e = EstimateRun(Config("SSS", "mae"), dataset_);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->all_simulated);
  EXPECT_EQ(e->usd_max, 0.0);
  EXPECT_GT(e->prompt_tokens.max, 0);
  EXPECT_NE(RenderEstimate(*e).find("simulated backend: $0"), std::string::npos);
}

TEST_F(EstimateTest, ExceedsBudgetComparesTheUpperBound) {
  CostEstimate e;
  e.calls = {100, 200};
  e.usd_min = 1.0;
  e.usd_max = 3.0;
  EXPECT_FALSE(ExceedsBudget(e, {}));
  EXPECT_FALSE(ExceedsBudget(e, {3.0, 200}));
  EXPECT_TRUE(ExceedsBudget(e, {2.5, std::nullopt}));
  EXPECT_TRUE(ExceedsBudget(e, {std::nullopt, 150}));
  EXPECT_NE(DescribeBudget({2.5, 150}).find("max_calls 150"), std::string::npos);
  EXPECT_EQ(DescribeBudget({}), "no budget");
  EXPECT_EQ(DescribeProjection(e), "at most $3.00 and 200 calls");
}

// The refusal names the budget settings and the way to start anyway as the caller spells them.
TEST_F(EstimateTest, OverBudgetRefusalSaysWhatToChangeInTheCallersWords) {
  CostEstimate e;
  e.calls = {100, 200};
  e.usd_max = 3.0;
  const std::string flags = OverBudgetRefusal(e, {2.5, std::nullopt}, OverrideSpelling::kFlags);
  EXPECT_EQ(flags.rfind("the projected cost exceeds the budget: projected at most $3.00 and 200 "
                        "calls; budget: max_usd $2.50\n",
                        0),
            0u)
      << flags;
  EXPECT_NE(flags.find("(or pass --max-usd / --max-calls)"), std::string::npos);
  EXPECT_NE(flags.find("add --force to start anyway"), std::string::npos);
  const std::string words = OverBudgetRefusal(e, {2.5, std::nullopt}, OverrideSpelling::kKeywords);
  EXPECT_NE(words.find("(or pass max_usd / max_calls)"), std::string::npos);
  EXPECT_NE(words.find("pass force=True to start anyway"), std::string::npos);
}

TEST_F(EstimateTest, UnknownCriterionFails) {
  OptimizeConfig c = Config("SSS", "none");
  c.criteria = {"nonexistent"};
  auto e = EstimateRun(c, dataset_);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("nonexistent"), std::string::npos);
}

// reference-protocol §13.1: a gated paper run on SummEval (T=4, B=3, V=100, N=480, 12 steps)
// makes 480 + 12 x (3 + 100 + 480) + 100 = 7,576 judge calls when every step is evaluated.
TEST(EstimateSummEvalTest, PaperGatedRunMatchesTheStudysCount) {
  const std::string root = JUDGEOPT_SOURCE_DIR "/../shared/data";
  if (!std::filesystem::exists(root + "/summeval")) {
    JO_SKIP_OR_FAIL() << "SummEval data not found under " << root;
  }
  data::LoadOptions options;
  options.protocol = "paper";
  auto ds = data::LoadDataset("summeval", data::DataLocator(root, "", {}), options);
  ASSERT_TRUE(ds.ok()) << ds.error().ToString();
  OptimizeConfig c = Paper(Config("SSC", "mae", 12));
  c.gate.samples = 100;
  auto e = EstimateRun(c, *ds);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->shape.criteria, 4);
  EXPECT_EQ(e->shape.eval_size, 480);
  EXPECT_EQ(e->roles[0].calls.max, 7576);
  EXPECT_EQ(e->roles[0].calls.min, 480 + 12 * (3 + 100) + 100);  // every step rejected
  EXPECT_EQ(e->roles[1].calls, B(12 * 12));
  EXPECT_EQ(e->roles[2].calls, B(12 * 12));
  EXPECT_EQ(e->roles[3].calls, B(12, 24));
  EXPECT_NE(RenderEstimate(*e).find("1,816-7,576"), std::string::npos) << RenderEstimate(*e);
  // §13.1 saw ~31k characters (~7.8k tokens) per SSC optimizer prompt with real gradients.
  const double per_call = static_cast<double>(e->roles[3].prompt_tokens.min) / 12;
  EXPECT_GT(per_call, 4000);
  EXPECT_LT(per_call, 16000);
}

}  // namespace
}  // namespace judgeopt::optim
