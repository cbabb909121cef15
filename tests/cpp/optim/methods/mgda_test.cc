// Textual MGDA: the choice rule on hand-made score tables (ties, regressions beyond the
// tolerance, lost scores), and whole steps with scripted replies (no simulator): per-criterion
// candidates and the union, malformed optimizer replies, every regression, the stored "mgda"
// decision and the archive, the gate after a batch-scored choice, and the estimate.

#include "judgeopt/optim/methods/mgda.h"

#include <gtest/gtest.h>

#include "cpp/optim/methods/mgda_fixtures.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {
namespace {

using testdata::DecisionsOf;
using Scores = std::vector<std::optional<double>>;

const std::vector<std::string> kCriteria = {"a", "b", "c"};

MgdaCandidate Cand(const std::string& label, Scores s, bool is_union = false) {
  return {label, is_union, std::move(s)};
}

// ---- the choice rule --------------------------------------------------------------------------

TEST(MgdaChoiceTest, PicksTheLargestSmallestImprovement) {
  const Scores inc = {0.5, 0.5, 0.5};
  // "a" improves one criterion a lot (min 0); "b" improves every criterion a little (min 0.05).
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("a", {0.9, 0.5, 0.5}), Cand("b", {0.55, 0.56, 0.57})}, 0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 1u);
  EXPECT_NEAR(*choice.rows[1].min_improvement, 0.05, 1e-12);
  EXPECT_NEAR(*choice.rows[0].mean_improvement, 0.4 / 3, 1e-12);
}

TEST(MgdaChoiceTest, EqualMinimumGoesToTheLargerMeanImprovement) {
  const Scores inc = {0.5, 0.5, 0.5};
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("a", {0.5, 0.6, 0.5}), Cand("b", {0.5, 0.7, 0.6})}, 0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 1u);
}

TEST(MgdaChoiceTest, EqualMinimumAndMeanGoesToTheUnionThenTheEarlierCandidate) {
  const Scores inc = {0.5, 0.5, 0.5};
  const Scores same = {0.6, 0.6, 0.6};
  auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("a", same), Cand("b", same), Cand("union", same, true)}, 0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 2u);
  choice = ChooseMgdaCandidate(kCriteria, inc, {Cand("a", same), Cand("b", same)}, 0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 0u);
}

TEST(MgdaChoiceTest, DifferencesBelowTheTieThresholdCountAsTies) {
  const Scores inc = {0.5, 0.5, 0.5};
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("a", {0.6, 0.6, 0.6}), Cand("union", {0.6 + 1e-15, 0.6, 0.6}, true)},
      0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 1u);  // the union wins the tie
}

TEST(MgdaChoiceTest, KeepsTheIncumbentWhenEveryCandidateRegresses) {
  const Scores inc = {0.5, 0.5, 0.5};
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("a", {0.4, 0.5, 0.5}), Cand("union", {0.3, 0.3, 0.3}, true)}, 0.02);
  EXPECT_FALSE(choice.chosen.has_value());
  ASSERT_TRUE(choice.best.has_value());
  EXPECT_EQ(*choice.best, 0u);  // the smaller regression ranks first
  for (const MgdaRow& r : choice.rows) {
    EXPECT_FALSE(r.qualified);
    EXPECT_NE(r.reason.find("regresses"), std::string::npos) << r.reason;
  }
}

TEST(MgdaChoiceTest, OneCriterionBeyondTheToleranceDisqualifiesAWinOnTheOthers) {
  const Scores inc = {0.5, 0.5, 0.5};
  // "big" gains 0.3 on two criteria but loses 0.05 on "c"; "small" loses 0.01 (within 0.02).
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("big", {0.8, 0.8, 0.45}), Cand("small", {0.52, 0.52, 0.49})}, 0.02);
  ASSERT_TRUE(choice.chosen.has_value());
  EXPECT_EQ(*choice.chosen, 1u);
  EXPECT_FALSE(choice.rows[0].qualified);
  EXPECT_NE(choice.rows[0].reason.find("c regresses by 0.050"), std::string::npos)
      << choice.rows[0].reason;
  EXPECT_TRUE(choice.rows[1].qualified);
  // With a looser tolerance the big win qualifies, and its minimum (-0.05) is below small's
  // (-0.01), so small still wins: the rule maximizes the smallest improvement.
  const auto loose = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("big", {0.8, 0.8, 0.45}), Cand("small", {0.52, 0.52, 0.49})}, 0.1);
  EXPECT_TRUE(loose.rows[0].qualified);
  EXPECT_EQ(*loose.chosen, 1u);
}

TEST(MgdaChoiceTest, ALostScoreOrANegativeMeanDisqualifies) {
  const Scores inc = {0.5, 0.5, 0.5};
  const auto choice = ChooseMgdaCandidate(
      kCriteria, inc, {Cand("lost", {0.9, 0.9, std::nullopt}), Cand("neg", {0.49, 0.49, 0.5})},
      0.02);
  EXPECT_FALSE(choice.chosen.has_value());
  EXPECT_EQ(choice.rows[0].reason, "no score for c");
  EXPECT_NE(choice.rows[1].reason.find("mean improvement"), std::string::npos);
  // A criterion the incumbent has no score for is not compared.
  const auto partial =
      ChooseMgdaCandidate(kCriteria, {0.5, std::nullopt, 0.5}, {Cand("x", {0.6, 0.1, 0.6})}, 0.02);
  ASSERT_TRUE(partial.chosen.has_value());
  EXPECT_FALSE(partial.rows[0].improvements[1].has_value());
}

TEST(MgdaChoiceTest, NoCandidatesMeansNoChoice) {
  const auto choice = ChooseMgdaCandidate(kCriteria, {0.5, 0.5, 0.5}, {}, 0.02);
  EXPECT_FALSE(choice.chosen.has_value());
  EXPECT_FALSE(choice.best.has_value());
}

// ---- whole steps with scripted replies --------------------------------------------------------

nlohmann::json Payload(const DecisionRecord& d) { return nlohmann::json::parse(d.payload_json); }

const nlohmann::json* Row(const nlohmann::json& payload, const std::string& label) {
  for (const auto& r : payload["candidates"]) {
    if (r["label"] == label) return &r;
  }
  return nullptr;
}

class MgdaStepTest : public ::testing::Test {
 protected:
  testdata::MarkerHarness h_;
};

TEST_F(MgdaStepTest, ChoosesTheCandidateThatHelpsWithoutHurtingAndRecordsTheTable) {
  h_.model.rewrite = [](const std::string& c, int) -> std::string {
    if (c == "clarity") return "clarity rule GOOD-clarity";
    if (c == "tone") return "tone rule GOOD-tone HURT-accuracy";
    if (c == "accuracy") return "";  // malformed: accuracy keeps its instruction
    return "helpfulness rule, reworded";
  };
  OptimizeConfig c = h_.Config("mgda", "mae", 1);
  c.method.mgda_eval = MgdaEval::kValidation;
  MemoryRunRecorder recorder;
  auto result = h_.Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];

  ASSERT_EQ(step.optimizer_calls.size(), 4u);
  EXPECT_FALSE(step.optimizer_calls[2].error.empty());  // accuracy's empty reply
  const auto mgda = DecisionsOf(step, "mgda");
  ASSERT_EQ(mgda.size(), 1u);
  const nlohmann::json p = Payload(mgda[0]);
  EXPECT_EQ(p["eval"], "validation");
  EXPECT_EQ(p["examples"], 6);
  EXPECT_EQ(p["chosen"], "clarity");
  ASSERT_EQ(p["candidates"].size(), 4u);  // clarity, tone, helpfulness, union
  ASSERT_EQ(p["skipped"].size(), 1u);
  EXPECT_EQ(p["skipped"][0]["label"], "accuracy");
  EXPECT_EQ(p["skipped"][0]["reason"], "unchanged");
  const nlohmann::json* tone = Row(p, "tone");
  ASSERT_NE(tone, nullptr);
  EXPECT_FALSE((*tone)["qualified"].get<bool>());
  EXPECT_LT((*tone)["improvements"]["accuracy"].get<double>(), -0.02);
  EXPECT_GT((*tone)["improvements"]["tone"].get<double>(), 0);
  const nlohmann::json* uni = Row(p, "union");
  ASSERT_NE(uni, nullptr);
  EXPECT_TRUE((*uni)["union"].get<bool>());
  EXPECT_FALSE((*uni)["qualified"].get<bool>());  // carries tone's HURT-accuracy
  const nlohmann::json* help = Row(p, "helpfulness");
  ASSERT_NE(help, nullptr);
  EXPECT_TRUE((*help)["qualified"].get<bool>());  // no change in scores: a tie, min 0
  EXPECT_EQ((*help)["min_improvement"].get<double>(), 0.0);
  EXPECT_NE(mgda[0].summary.find("chose clarity"), std::string::npos) << mgda[0].summary;

  // The step ends with only clarity's new instruction; the gate fields mirror the choice.
  EXPECT_TRUE(step.gate.accepted);
  EXPECT_FALSE(step.gate.skipped);
  EXPECT_GT(*step.gate.candidate_score, *step.gate.incumbent_score);
  EXPECT_EQ(step.candidate.fingerprint, step.incumbent_after.fingerprint);
  EXPECT_NE(step.incumbent_after.json.find("GOOD-clarity"), std::string::npos);
  EXPECT_EQ(step.incumbent_after.json.find("GOOD-tone"), std::string::npos);
  EXPECT_EQ(step.gate.candidate_batch_scores.size(), 4u);
  // Validation scoring archives the incumbent and every candidate; there is no separate gate.
  EXPECT_EQ(DecisionsOf(step, "archive").size(), 5u);
  EXPECT_EQ(DecisionsOf(step, "noise_gate").size(), 0u);
}

TEST_F(MgdaStepTest, EveryCandidateRegressingKeepsTheIncumbent) {
  h_.model.rewrite = [](const std::string& c, int) { return c + " rule HURT-" + c; };
  OptimizeConfig c = h_.Config("mgda", "mae", 1);
  MemoryRunRecorder recorder;
  auto result = h_.Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  const auto mgda = DecisionsOf(step, "mgda");
  ASSERT_EQ(mgda.size(), 1u);
  const nlohmann::json p = Payload(mgda[0]);
  EXPECT_TRUE(p["chosen"].is_null());
  EXPECT_EQ(p["eval"], "batch");
  EXPECT_EQ(p["candidates"].size(), 5u);  // four criteria and the union
  EXPECT_NE(mgda[0].summary.find("kept the incumbent"), std::string::npos);
  EXPECT_FALSE(step.gate.accepted);
  EXPECT_EQ(step.incumbent_after.fingerprint, step.incumbent_before.fingerprint);
  // Nothing qualified, so the gate is not asked: no validation call and no archive entry.
  EXPECT_TRUE(DecisionsOf(step, "archive").empty());
  for (const CallRecord& call : step.calls) EXPECT_NE(call.stage, "gate") << call.tag;
}

TEST_F(MgdaStepTest, ABatchScoredChoiceStillFacesTheGate) {
  h_.model.rewrite = [](const std::string& c, int) { return c + " rule GOOD-" + c; };
  OptimizeConfig c = h_.Config("mgda", "mae", 1);
  MemoryRunRecorder recorder;
  auto result = h_.Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  const nlohmann::json p = Payload(DecisionsOf(step, "mgda").at(0));
  EXPECT_EQ(p["chosen"], "union");  // every criterion improves only in the union
  EXPECT_EQ(p["examples"], 3);
  EXPECT_TRUE(step.gate.accepted);
  EXPECT_FALSE(step.gate.skipped);
  EXPECT_EQ(step.gate.metric, "mae");
  // The gate scored incumbent and union on validation: both archived.
  const auto archive = DecisionsOf(step, "archive");
  ASSERT_EQ(archive.size(), 2u);
  EXPECT_EQ(Payload(archive[1])["fingerprint"], step.incumbent_after.fingerprint);
  // Judge calls: predict B, the five candidates on B, the gate 2V, the evaluation.
  int mgda_calls = 0, gate_calls = 0;
  for (const CallRecord& call : step.calls) {
    mgda_calls += call.stage == "mgda";
    gate_calls += call.stage == "gate";
  }
  EXPECT_EQ(mgda_calls, 5 * 3);
  EXPECT_EQ(gate_calls, 2 * 6);
}

TEST_F(MgdaStepTest, EveryReplyMalformedMeansNoCandidateAndNoJudgeCall) {
  h_.model.rewrite = [](const std::string&, int) { return std::string(); };
  OptimizeConfig c = h_.Config("mgda", "mae", 1);
  MemoryRunRecorder recorder;
  auto result = h_.Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const StepRecord step = recorder.Steps(result->plan.run_id)[1];
  const nlohmann::json p = Payload(DecisionsOf(step, "mgda").at(0));
  EXPECT_TRUE(p["candidates"].empty());
  EXPECT_EQ(p["skipped"].size(), 5u);
  EXPECT_EQ(p["skipped"][4]["label"], "union");
  EXPECT_FALSE(step.gate.accepted);
  EXPECT_EQ(step.incumbent_after.fingerprint, step.incumbent_before.fingerprint);
  for (const CallRecord& call : step.calls) EXPECT_NE(call.stage, "mgda") << call.tag;
}

// ---- estimate ---------------------------------------------------------------------------------

TEST(MgdaEstimateTest, CountsCandidateScoringOnBatchOrValidation) {
  OptimizeConfig c;
  c.method.name = Method::kMgda;
  c.gate.metric = GateMetric::kMae;
  const RunShape shape{4, 3, 10, 50};  // T B V N
  CallCounts batch = StepCallCounts(c, shape, 2);
  EXPECT_EQ(batch.judge_train, (Bounds{3 + 5 * 3, 3 + 5 * 3}));
  EXPECT_EQ(batch.judge_gate, (Bounds{0, 20}));
  EXPECT_EQ(batch.optimizer, (Bounds{4, 4}));
  c.method.mgda_eval = MgdaEval::kValidation;
  CallCounts val = StepCallCounts(c, shape, 2);
  EXPECT_EQ(val.judge_train, (Bounds{3, 3}));
  EXPECT_EQ(val.judge_gate, (Bounds{6 * 10, 6 * 10}));
  EXPECT_EQ(val.loss, (Bounds{12, 12}));
}

TEST(MgdaEstimateTest, NoiseAwareGateScoresBothPromptsEveryStep) {
  OptimizeConfig c;
  c.gate.metric = GateMetric::kMae;
  c.gate.kind = GateKind::kNoiseAware;
  c.switches = PaperSwitches();  // the mean gate would carry the incumbent's score
  const RunShape shape{4, 3, 10, 50};
  EXPECT_EQ(StepCallCounts(c, shape, 2).judge_gate, (Bounds{20, 20}));
  c.gate.kind = GateKind::kMean;
  EXPECT_EQ(StepCallCounts(c, shape, 2).judge_gate, (Bounds{10, 10}));
}

}  // namespace
}  // namespace judgeopt::optim
