// The OPRO step against a scripted model: calls per role and waves per step equal the estimate
// (reference-protocol §13.2 with one wave per stage), the trajectory (capacity, order, no
// duplicates by default, the study's duplicates under paper), exemplars that exclude the batch,
// a criterion missing from a proposal, an unparseable proposal, the best-candidate choice with
// and without the gate, and an exact resume after a failed step.

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "cpp/optim/opro/opro_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/base/numpy_random.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/opro/opro_prompt.h"
#include "judgeopt/optim/opro/opro_state.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

using llm::Role;

constexpr int kB = 3, kV = 4, kN = 6, kC = 3;

int Calls(const StepSummary& s, Role r) { return s.calls_by_role[static_cast<std::size_t>(r)]; }

class OproStepTest : public ::testing::Test {
 protected:
  OproStepTest()
      : dataset_(testdata::MakeLoopDataset()),
        llm_([this](const llm::ChatRequest& r) { return model_.Answer(r); }) {}

  OptimizeConfig Config(const std::string& gate = "none", int steps = 2) {
    OptimizeConfig c;
    c.dataset = dataset_.name;
    c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    EXPECT_TRUE(ApplyAlgorithmName(c, "opro", "algorithm").ok());
    c.steps = steps;
    c.batch_size = kB;
    c.gate.metric = FindEnum<GateMetric>(gate).value();
    c.gate.samples = kV;
    c.opro.num_candidates = kC;
    c.opro.demonstrations = 2;
    EXPECT_TRUE(ValidateOptimizeConfig(c).ok());
    return c;
  }

  Result<RunResult> Run(const OptimizeConfig& c, MemoryRunRecorder& recorder,
                        std::shared_ptr<llm::ResponseCache> cache = nullptr) {
    auto stack = testdata::MakeStack(llm_, cache ? cache : cache_);
    EXPECT_NE(stack, nullptr);
    WorkPool pool(4);
    RunDeps deps{*stack, pool, recorder, nullptr, "test"};
    auto plans = PlanRuns(c, dataset_);
    EXPECT_TRUE(plans.ok());
    return RunOptimization(c, dataset_, (*plans)[0], deps);
  }

  // The optimizer requests' meta-prompts of `step` (one per proposal).
  std::vector<std::string> MetaPrompts(int step) const {
    std::vector<std::string> out;
    for (const auto& r : llm_.Requests()) {
      if (r.tag.rfind(fmt::format("step{}/optimizer/", step), 0) == 0) {
        out.push_back(testing::ScriptedLlm::LastUserMessage(r));
      }
    }
    return out;
  }

  // Accuracy of the fixed judge reply on `positions`, averaged over the criteria (computed from
  // the gold values, independently of the implementation).
  double FixedAccuracy(const std::vector<std::size_t>& positions) const {
    const auto fixed = testdata::OproModel::Fixed();
    double sum = 0;
    for (const auto& [c, v] : fixed.items()) {
      int hits = 0;
      for (std::size_t p : positions) {
        hits += testdata::OproModel::Gold(static_cast<int>(p))[c] == v ? 1 : 0;
      }
      sum += static_cast<double>(hits) / static_cast<double>(positions.size());
    }
    return sum / 4;
  }

  data::Dataset dataset_;
  testdata::OproModel model_;
  testing::ScriptedLlm llm_;
  std::shared_ptr<llm::ResponseCache> cache_ = std::make_shared<llm::MemoryResponseCache>();
};

TEST_F(OproStepTest, CallsPerRoleAndWavesPerStepEqualTheEstimate) {
  for (const std::string gate : {"none", "mae"}) {
    SCOPED_TRACE(gate);
    MemoryRunRecorder recorder;
    const OptimizeConfig c = Config(gate);
    auto result = Run(c, recorder);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    ASSERT_EQ(result->steps.size(), 3u);
    const RunShape shape = ShapeOf(c, dataset_, 4);
    for (int s = 1; s <= 2; ++s) {
      const StepSummary& st = result->steps[static_cast<std::size_t>(s)];
      const CallCounts want = StepCallCounts(c, shape, s);
      // Every proposal is new, so the prompt changes and every evaluation is paid.
      EXPECT_EQ(Calls(st, Role::kJudge), kB + kC * kB + (gate == "none" ? 0 : 2 * kV) + kN);
      EXPECT_EQ(Calls(st, Role::kJudge), want.Judge().max);
      EXPECT_EQ(Calls(st, Role::kOptimizer), kC);
      EXPECT_EQ(Calls(st, Role::kOptimizer), want.optimizer.max);
      EXPECT_EQ(Calls(st, Role::kLoss), 0);
      EXPECT_EQ(Calls(st, Role::kGradient), 0);
      EXPECT_EQ(want.loss.max + want.gradient.max, 0);
      // predict, optimizer, candidates, (gate), eval
      EXPECT_EQ(st.waves, gate == "none" ? 4 : 5);
    }
    // The fixed batch: step 2's current prompt (step 1's best candidate) is scored from the
    // cache, with the very replies it got as a candidate.
    EXPECT_GE(result->steps[2].cache_hits, kB);
  }
}

TEST_F(OproStepTest, FixedBatchIsTheSameRowsEveryStepUnlessTurnedOff) {
  MemoryRunRecorder recorder;
  auto result = Run(Config("none", 3), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  OptimizeConfig c = Config();
  EXPECT_EQ(steps[1].batch_positions, SampleBatch(dataset_, c, 0));
  EXPECT_EQ(steps[3].batch_positions, steps[1].batch_positions);
  c.opro.fixed_batch = false;
  EXPECT_EQ(OproBatch(dataset_, c, 3), SampleBatch(dataset_, c, 3));
  // The current prompt's score is the accuracy of its predictions on the batch.
  EXPECT_EQ(steps[1].losses.size(), 4u * (1 + kC));
  EXPECT_EQ(steps[1].losses[0].sample, kOproCurrentSample);
  auto hits = HitsOf(steps[1].losses, kOproCurrentSample, result->plan.criteria);
  ASSERT_TRUE(hits.ok()) << hits.error().ToString();
  EXPECT_DOUBLE_EQ(MeanAccuracy(*hits), FixedAccuracy(steps[1].batch_positions));
}

TEST_F(OproStepTest, ExemplarsExcludeTheBatchByDefaultButNotUnderPaper) {
  OptimizeConfig c = Config();
  c.opro.demonstrations = 3;
  const auto batch = OproBatch(dataset_, c, 1);
  bool overlapped = false;
  for (int step = 1; step <= 20; ++step) {
    const auto fixed = OproExemplarPositions(dataset_, c, step, batch);
    ASSERT_EQ(fixed.size(), 3u);
    for (std::size_t p : fixed) {
      EXPECT_EQ(std::count(batch.begin(), batch.end(), p), 0) << "step " << step;
    }
    OptimizeConfig paper = c;
    paper.opro.exemplars_exclude_batch = false;
    const auto study = OproExemplarPositions(dataset_, paper, step, batch);
    // The study's demos: the training split permuted with the step as seed, first 3 rows.
    const auto order = Permutation(dataset_.splits.train.size(), static_cast<uint32_t>(step));
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(study[i], dataset_.splits.train[order[i]]);
    for (std::size_t p : study) overlapped |= std::count(batch.begin(), batch.end(), p) > 0;
  }
  EXPECT_TRUE(overlapped) << "the study's demos should overlap the batch at some step";
}

TEST_F(OproStepTest, MetaPromptShowsExemplarsWithoutBatchRowsAndTheTrajectoryWorstToBest) {
  model_.good = {1};
  MemoryRunRecorder recorder;
  auto result = Run(Config("none", 2), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto metas = MetaPrompts(2);
  ASSERT_EQ(metas.size(), static_cast<std::size_t>(kC));
  EXPECT_TRUE(std::all_of(metas.begin(), metas.end(),
                          [&](const std::string& m) { return m == metas[0]; }));
  const std::string& meta = metas[0];
  const auto exemplars = meta.find("Exemplar 1:");
  ASSERT_NE(exemplars, std::string::npos);
  const std::vector<StepRecord> steps = recorder.Steps(result->plan.run_id);  // kept alive
  ASSERT_GE(steps.size(), 3u);
  for (std::size_t p : steps[2].batch_positions) {
    EXPECT_EQ(meta.find(fmt::format("Review number {}.", p), exemplars), std::string::npos);
  }
  // Step 1's good proposal is the best entry: it comes last among the entries.
  const auto good = meta.rfind("GOOD-clarity");
  const auto worse = meta.find("rule step1/optimizer/all/k0");
  ASSERT_NE(good, std::string::npos);
  ASSERT_NE(worse, std::string::npos);
  EXPECT_LT(worse, good);
  EXPECT_LT(good, exemplars);
}

TEST_F(OproStepTest, TrajectoryKeepsTheBestKWithoutDuplicatesByDefault) {
  model_.good = {0};  // every step's first proposal wins and becomes the next current prompt
  for (bool dedupe : {true, false}) {
    SCOPED_TRACE(dedupe);
    MemoryRunRecorder recorder;
    OptimizeConfig c = Config("none", 3);
    c.opro.dedupe_trajectory = dedupe;
    c.opro.trajectory_size = 5;
    auto result = Run(c, recorder);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const auto steps = recorder.Steps(result->plan.run_id);
    // Step 2's current prompt is step 1's winner, already in the trajectory.
    EXPECT_EQ(steps[2].incumbent_before.json, steps[1].incumbent_after.json);
    const std::string& meta = steps[2].optimizer_calls[0].meta_prompt;
    const std::string winner = "rule step1/optimizer/all/k0 GOOD-clarity";
    std::size_t shown = 0;
    for (auto at = meta.find(winner); at != std::string::npos; at = meta.find(winner, at + 1)) {
      ++shown;
    }
    EXPECT_EQ(shown, dedupe ? 1u : 2u);

    OproState state(c);
    WorkPool pool(1);
    const judge::Judge judge(llm_, pool, {});
    RunContext ctx{dataset_, c, result->plan.run_id, result->plan.criteria, {}, pool, judge};
    ASSERT_TRUE(state.Restore(ctx, recorder, 3).ok());
    const auto sorted = state.trajectory().Sorted();
    EXPECT_EQ(sorted.size(), 5u);  // 3 current + 9 candidates pushed, capacity 5
    for (std::size_t i = 1; i < sorted.size(); ++i) EXPECT_LE(sorted[i - 1].key, sorted[i].key);
    EXPECT_DOUBLE_EQ(sorted.back().key, 1.0);  // a GOOD proposal: exact on every criterion
  }
}

TEST_F(OproStepTest, BestToWorstOrderPutsTheBestEntryFirst) {
  model_.good = {2};
  MemoryRunRecorder recorder;
  OptimizeConfig c = Config("none", 2);
  c.opro.trajectory_order = TrajectoryOrder::kBestToWorst;
  auto result = Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const std::string meta = recorder.Steps(result->plan.run_id)[2].optimizer_calls[0].meta_prompt;
  const auto good = meta.find("GOOD-clarity");
  const auto worse = meta.find("rule step1/optimizer/all/k0");
  ASSERT_NE(good, std::string::npos);
  ASSERT_NE(worse, std::string::npos);
  EXPECT_LT(good, worse);
}

TEST_F(OproStepTest, AMissingCriterionKeepsTheCurrentInstruction) {
  model_.omit = "helpfulness";
  MemoryRunRecorder recorder;
  auto result = Run(Config("none", 2), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(*result->final_prompt.Instruction("helpfulness"), "Rate from 1 to 5.");
  EXPECT_NE(result->final_prompt.Instruction("clarity")->find("rule step2"), std::string::npos);
  const auto steps = recorder.Steps(result->plan.run_id);
  EXPECT_TRUE(steps[1].optimizer_calls[0].error.empty());
  EXPECT_EQ(steps[1].optimizer_calls[0].parsed_json.find("helpfulness"), std::string::npos);
}

TEST_F(OproStepTest, AnUnparseableProposalIsRecordedAndSkipped) {
  model_.unparseable = {1};
  MemoryRunRecorder recorder;
  auto result = Run(Config("none", 1), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  ASSERT_EQ(step.optimizer_calls.size(), static_cast<std::size_t>(kC));
  EXPECT_FALSE(step.optimizer_calls[1].error.empty());
  EXPECT_TRUE(step.optimizer_calls[1].parsed_json.empty());
  EXPECT_EQ(step.optimizer_calls[1].raw_reply, "I would rather not answer in JSON.");
  ASSERT_EQ(step.gate.candidate_batch_scores.size(), static_cast<std::size_t>(kC));
  EXPECT_TRUE(std::isnan(step.gate.candidate_batch_scores[1]));
  EXPECT_FALSE(std::isnan(step.gate.candidate_batch_scores[2]));
  EXPECT_EQ(Calls(result->steps[1], Role::kJudge), kB + (kC - 1) * kB + kN);
}

TEST_F(OproStepTest, NoUsableProposalKeepsThePromptAndCostsNoTestCalls) {
  model_.unparseable = {0, 1, 2};
  MemoryRunRecorder recorder;
  auto result = Run(Config("none", 1), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  EXPECT_EQ(step.gate.chosen_candidate, -1);
  EXPECT_FALSE(step.gate.accepted);
  EXPECT_EQ(step.incumbent_after.json, step.incumbent_before.json);
  ASSERT_TRUE(step.test_eval.has_value());
  EXPECT_EQ(step.test_eval->reused_from_step, 0);
  EXPECT_EQ(Calls(result->steps[1], Role::kJudge), kB);
}

TEST_F(OproStepTest, TheFirstBestProposalIsTakenEvenWhenWorseWithoutAGate) {
  model_.good = {1, 2};
  MemoryRunRecorder recorder;
  auto best = Run(Config("none", 1), recorder);
  ASSERT_TRUE(best.ok()) << best.error().ToString();
  const StepRecord step = recorder.Steps(best->plan.run_id)[1];
  EXPECT_EQ(step.gate.chosen_candidate, 1);  // 1 and 2 tie at 1.0: the first wins
  EXPECT_DOUBLE_EQ(step.gate.candidate_batch_scores[1], 1.0);
  EXPECT_EQ(step.incumbent_after.fingerprint, step.candidate.fingerprint);

  // Every proposal is worse than the seed prompt on the batch: the study takes the best anyway.
  model_.good.clear();
  model_.bad = {0, 1, 2};
  MemoryRunRecorder worse;
  OptimizeConfig c = Config("none", 1);
  c.seed = 1;  // another run
  auto taken = Run(c, worse);
  ASSERT_TRUE(taken.ok()) << taken.error().ToString();
  const StepRecord w = worse.Steps(taken->plan.run_id)[1];
  auto current = HitsOf(w.losses, kOproCurrentSample, taken->plan.criteria);
  ASSERT_TRUE(current.ok());
  EXPECT_LT(w.gate.candidate_batch_scores[0], MeanAccuracy(*current));
  EXPECT_TRUE(w.gate.accepted);
  EXPECT_EQ(w.incumbent_after.fingerprint, w.candidate.fingerprint);
}

TEST_F(OproStepTest, TheGateRejectsAWorseBestCandidate) {
  model_.bad = {0, 1, 2};
  MemoryRunRecorder recorder;
  auto result = Run(Config("mae", 1), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  EXPECT_FALSE(step.gate.skipped);
  EXPECT_FALSE(step.gate.accepted);
  EXPECT_LT(*step.gate.candidate_score, *step.gate.incumbent_score);
  EXPECT_EQ(step.incumbent_after.json, step.incumbent_before.json);
  EXPECT_NE(step.candidate.json, step.incumbent_before.json);
}

// Every field of two step records, NaN scores compared as equal.
void ExpectSameStep(const StepRecord& a, const StepRecord& b) {
  SCOPED_TRACE(::testing::Message() << "step " << a.step);
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.batch_positions, b.batch_positions);
  EXPECT_EQ(a.incumbent_before.json, b.incumbent_before.json);
  EXPECT_EQ(a.candidate.json, b.candidate.json);
  EXPECT_EQ(a.incumbent_after.json, b.incumbent_after.json);
  ASSERT_EQ(a.losses.size(), b.losses.size());
  for (std::size_t i = 0; i < a.losses.size(); ++i) {
    EXPECT_EQ(a.losses[i].criterion, b.losses[i].criterion);
    EXPECT_EQ(a.losses[i].sample, b.losses[i].sample);
    EXPECT_EQ(a.losses[i].text, b.losses[i].text);
  }
  ASSERT_EQ(a.optimizer_calls.size(), b.optimizer_calls.size());
  for (std::size_t i = 0; i < a.optimizer_calls.size(); ++i) {
    EXPECT_EQ(a.optimizer_calls[i].meta_prompt, b.optimizer_calls[i].meta_prompt);
    EXPECT_EQ(a.optimizer_calls[i].raw_reply, b.optimizer_calls[i].raw_reply);
    EXPECT_EQ(a.optimizer_calls[i].parsed_json, b.optimizer_calls[i].parsed_json);
    EXPECT_EQ(a.optimizer_calls[i].error, b.optimizer_calls[i].error);
  }
  ASSERT_EQ(a.gate.candidate_batch_scores.size(), b.gate.candidate_batch_scores.size());
  for (std::size_t i = 0; i < a.gate.candidate_batch_scores.size(); ++i) {
    const double x = a.gate.candidate_batch_scores[i], y = b.gate.candidate_batch_scores[i];
    EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << i;
  }
  EXPECT_EQ(a.gate.chosen_candidate, b.gate.chosen_candidate);
  EXPECT_EQ(a.gate.accepted, b.gate.accepted);
  ASSERT_EQ(a.test_eval.has_value(), b.test_eval.has_value());
  if (a.test_eval) {
    EXPECT_EQ(a.test_eval->prompt_fingerprint, b.test_eval->prompt_fingerprint);
    EXPECT_EQ(a.test_eval->reused_from_step, b.test_eval->reused_from_step);
  }
  ASSERT_EQ(a.calls.size(), b.calls.size());
  for (std::size_t i = 0; i < a.calls.size(); ++i) {
    EXPECT_EQ(a.calls[i].request_hash, b.calls[i].request_hash);
    EXPECT_EQ(a.calls[i].tag, b.calls[i].tag);
  }
}

TEST_F(OproStepTest, AKilledRunResumesToExactlyTheUninterruptedRecords) {
  model_.good = {2};
  model_.unparseable = {1};
  OptimizeConfig c = Config("none", 4);
  c.opro.trajectory_size = 4;  // eviction happens before the interruption
  MemoryRunRecorder clean;
  auto reference = Run(c, clean, std::make_shared<llm::MemoryResponseCache>());
  ASSERT_TRUE(reference.ok()) << reference.error().ToString();

  // The same run stopped after step 2 (step 3 is never stored), then continued with an empty
  // cache, so the resumed steps are computed again rather than replayed.
  MemoryRunRecorder killed;
  killed.set_record_hook([](const std::string&, const StepRecord& s) -> Status {
    return s.step == 3 ? IoError("killed (injected)") : Status::Ok();
  });
  auto first = Run(c, killed, std::make_shared<llm::MemoryResponseCache>());
  ASSERT_FALSE(first.ok());
  killed.set_record_hook(nullptr);
  auto resumed = Run(c, killed, std::make_shared<llm::MemoryResponseCache>());
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->resumed_after_step, 2);
  EXPECT_EQ(resumed->steps.front().cache_hits, 0);  // really recomputed

  const auto a = clean.Steps(reference->plan.run_id);
  const auto b = killed.Steps(reference->plan.run_id);
  ASSERT_EQ(a.size(), 5u);
  ASSERT_EQ(b.size(), 5u);
  for (std::size_t i = 0; i < a.size(); ++i) ExpectSameStep(a[i], b[i]);
  // Step 4's meta-prompt still shows step 1's winner: the trajectory was rebuilt, not restarted.
  EXPECT_NE(b[4].optimizer_calls[0].meta_prompt.find("rule step1/optimizer/all/k2"),
            std::string::npos);
  EXPECT_EQ(reference->final_prompt, resumed->final_prompt);
}

}  // namespace
}  // namespace judgeopt::optim
