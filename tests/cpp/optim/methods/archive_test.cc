// The Pareto archive and --select: the three rules and their ties on hand-made points, merging
// of repeated prompts, and whole runs with scripted replies: the chosen prompt becomes the last
// step's incumbent (so the final evaluation and --out use it), and a resumed run selects the
// same prompt as an uninterrupted one.

#include "judgeopt/optim/methods/archive.h"

#include <gtest/gtest.h>

#include "cpp/optim/methods/mgda_fixtures.h"
#include "judgeopt/metrics/pareto.h"

namespace judgeopt::optim {
namespace {

using testdata::DecisionsOf;
using Points = std::vector<std::vector<double>>;

// Best mean: p0 (0.5); best minimum: p1 (0.45); knee of the front {p0, p1, p2}: p2. p3 is
// dominated by p1.
const Points kPoints = {{0.9, 0.1}, {0.45, 0.45}, {0.6, 0.38}, {0.3, 0.3}};

TEST(SelectPointTest, EachRuleChoosesItsOwnPoint) {
  EXPECT_EQ(SelectPoint(kPoints, FinalSelect::kBestMean), 0u);
  EXPECT_EQ(SelectPoint(kPoints, FinalSelect::kMaxMin), 1u);
  // Normalized over the front: p0 (1, 0), p1 (0, 1), p2 (1/3, 0.8): p2 is closest to (1, 1).
  EXPECT_EQ(SelectPoint(kPoints, FinalSelect::kKnee), 2u);
}

TEST(SelectPointTest, TiesGoToTheHigherMeanThenTheEarlierPoint) {
  // best-mean: equal means -> the earlier point.
  EXPECT_EQ(SelectPoint({{0.2, 0.6}, {0.6, 0.2}}, FinalSelect::kBestMean), 0u);
  // max-min: equal minimum 0.3 -> the higher mean.
  EXPECT_EQ(SelectPoint({{0.3, 0.4}, {0.3, 0.9}}, FinalSelect::kMaxMin), 1u);
  // knee: both are at distance 1 from the ideal point -> the higher mean (the second).
  EXPECT_EQ(SelectPoint({{0.45, 0.45}, {0.9, 0.1}}, FinalSelect::kKnee), 1u);
  // Identical points: the earlier one under every rule.
  for (FinalSelect rule : {FinalSelect::kBestMean, FinalSelect::kMaxMin, FinalSelect::kKnee}) {
    EXPECT_EQ(SelectPoint({{0.5, 0.5}, {0.5, 0.5}}, rule), 0u) << EnumName(rule);
  }
}

TEST(SelectPointTest, KneeNeverChoosesADominatedPoint) {
  // p1 is nearly the knee but dominated by p2.
  const Points pts = {{1.0, 0.0}, {0.49, 0.49}, {0.5, 0.5}, {0.0, 1.0}};
  const auto k = SelectPoint(pts, FinalSelect::kKnee);
  ASSERT_TRUE(k.has_value());
  const auto front = metrics::NonDominatedIndices(pts);
  EXPECT_NE(std::find(front.begin(), front.end(), *k), front.end());
  EXPECT_EQ(*k, 2u);
}

// An unknown rule can no longer be written (FinalSelect names the four); "last" chooses nothing.
TEST(SelectPointTest, EmptyOrLastGivesNothing) {
  EXPECT_FALSE(SelectPoint({}, FinalSelect::kBestMean).has_value());
  EXPECT_FALSE(SelectPoint(kPoints, FinalSelect::kLast).has_value());
}

judge::JudgePrompt Prompt(const std::string& text) {
  return judge::JudgePrompt("Judge.", true, {{"a", text}, {"b", "rate b"}});
}

TEST(CollectArchiveTest, MergesRepeatedPromptsAndSkipsIncompleteOnes) {
  const std::vector<std::string> criteria = {"a", "b"};
  StepRecord s1, s2;
  s1.step = 1;
  s2.step = 2;
  s1.decisions = {ArchiveDecision(criteria, Prompt("x"), {0.2, 0.4}, "gate/incumbent"),
                  ArchiveDecision(criteria, Prompt("y"), {0.9, std::nullopt}, "gate/candidate"),
                  {"mgda", "", "not an archive entry", "{}"}};
  s2.decisions = {ArchiveDecision(criteria, Prompt("x"), {0.4, 0.6}, "gate/incumbent"),
                  ArchiveDecision(criteria, Prompt("z"), {0.1, 0.1}, "gate/candidate")};
  int incomplete = -1;
  auto archive = CollectArchive({&s1, &s2}, criteria, &incomplete);
  ASSERT_TRUE(archive.ok()) << archive.error().ToString();
  ASSERT_EQ(archive->size(), 2u);
  EXPECT_EQ(incomplete, 1);  // y has no score for b
  const ArchivePoint& x = (*archive)[0];
  EXPECT_EQ(x.fingerprint, Prompt("x").Fingerprint());
  EXPECT_EQ(x.times, 2);
  EXPECT_EQ(x.first_step, 1);
  EXPECT_EQ(x.first_source, "gate/incumbent");
  EXPECT_NEAR(x.scores[0], 0.3, 1e-12);
  EXPECT_NEAR(x.scores[1], 0.5, 1e-12);
  EXPECT_EQ((*archive)[1].fingerprint, Prompt("z").Fingerprint());
}

TEST(CollectArchiveTest, AMalformedPayloadNamesTheStep) {
  StepRecord s;
  s.step = 4;
  s.decisions = {{"archive", "", "", R"({"scores": {}})"}};
  auto archive = CollectArchive({&s}, {"a"});
  ASSERT_FALSE(archive.ok());
  EXPECT_NE(archive.error().message.find("step 4"), std::string::npos);
}

// ---- whole runs -------------------------------------------------------------------------------

class SelectRunTest : public ::testing::Test {
 protected:
  SelectRunTest() {
    // Step 1 makes clarity exact; later steps reword every instruction but keep the marker, so
    // their candidates tie with step 1's (and are accepted: ties accept).
    h_.model.rewrite = [](const std::string& c, int step) -> std::string {
      const std::string v = fmt::format(" v{}", step);
      return c == "clarity" ? "clarity rule GOOD-clarity" + v : c + " rule" + v;
    };
  }

  OptimizeConfig Config(FinalSelect rule) {
    OptimizeConfig c = h_.Config("plain", "mae", 3);
    c.method.select = rule;
    return c;
  }

  testdata::MarkerHarness h_;
};

std::map<std::string, std::vector<double>> MeanScoresByFingerprint(
    const std::vector<StepRecord>& steps) {
  std::map<std::string, std::pair<std::vector<double>, int>> sums;
  for (const StepRecord& s : steps) {
    for (const DecisionRecord& d : DecisionsOf(s, "archive")) {
      const auto p = nlohmann::json::parse(d.payload_json);
      auto& [sum, n] = sums[p["fingerprint"].get<std::string>()];
      std::size_t i = 0;
      for (const auto& [name, v] : p["scores"].items()) {
        if (sum.size() <= i) sum.push_back(0);
        sum[i++] += v.get<double>();
      }
      ++n;
    }
  }
  std::map<std::string, std::vector<double>> out;
  for (auto& [fp, sn] : sums) {
    for (double& v : sn.first) v /= sn.second;
    out[fp] = sn.first;
  }
  return out;
}

double MeanOf(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

TEST_F(SelectRunTest, BestMeanChoosesFromEveryStepAndTheFinalEvaluationUsesIt) {
  MemoryRunRecorder recorder;
  auto result = h_.Run(Config(FinalSelect::kBestMean), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_TRUE(DecisionsOf(steps[1], "select").empty());
  EXPECT_TRUE(DecisionsOf(steps[2], "select").empty());
  const auto select = DecisionsOf(steps[3], "select");
  ASSERT_EQ(select.size(), 1u);
  const auto p = nlohmann::json::parse(select[0].payload_json);
  const std::string chosen = p["chosen"]["fingerprint"];

  // Independently: the chosen prompt has the highest mean of the stored archive.
  const auto means = MeanScoresByFingerprint(steps);
  EXPECT_EQ(p["points"].get<std::size_t>(), means.size());
  for (const auto& [fp, scores] : means) EXPECT_LE(MeanOf(scores), MeanOf(means.at(chosen)));
  // Every accepted candidate ties with step 1's, which was archived first.
  EXPECT_EQ(chosen, steps[1].candidate.fingerprint);
  EXPECT_NE(chosen, steps[3].candidate.fingerprint);  // what "last" would have kept
  EXPECT_EQ(p["previous"], steps[3].candidate.fingerprint);

  EXPECT_EQ(steps[3].incumbent_after.fingerprint, chosen);
  ASSERT_TRUE(steps[3].test_eval.has_value());
  EXPECT_EQ(steps[3].test_eval->prompt_fingerprint, chosen);
  EXPECT_EQ(result->final_prompt.Fingerprint(), chosen);
  EXPECT_TRUE(p["hypervolume"].is_number());
  EXPECT_GT(p["hypervolume"].get<double>(), 0);
  EXPECT_EQ(p["reference"].size(), 4u);
  EXPECT_EQ(p["reference"][2], -3.0);  // accuracy: 0-3 scale under -MAE
}

TEST_F(SelectRunTest, MaxMinAndKneeChooseANonDominatedPrompt) {
  for (FinalSelect rule : {FinalSelect::kMaxMin, FinalSelect::kKnee}) {
    MemoryRunRecorder recorder;
    auto result = h_.Run(Config(rule), recorder);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const auto steps = recorder.Steps(result->plan.run_id);
    const auto p = nlohmann::json::parse(DecisionsOf(steps[3], "select").at(0).payload_json);
    const std::string chosen = p["chosen"]["fingerprint"];
    bool in_front = false;
    for (const auto& f : p["front"]) in_front = in_front || f == chosen;
    EXPECT_TRUE(in_front) << EnumName(rule);
    EXPECT_EQ(p["rule"], EnumName(rule));
    EXPECT_EQ(result->final_prompt.Fingerprint(), chosen) << EnumName(rule);
  }
}

TEST_F(SelectRunTest, AResumedRunSelectsWhatAnUninterruptedOneSelects) {
  const OptimizeConfig c = Config(FinalSelect::kMaxMin);
  MemoryRunRecorder clean;
  auto reference = h_.Run(c, clean);
  ASSERT_TRUE(reference.ok()) << reference.error().ToString();

  MemoryRunRecorder broken;
  broken.set_record_hook([](const std::string&, const StepRecord& s) -> Status {
    if (s.step == 2) return IoError("disk full (injected)");
    return Status::Ok();
  });
  ASSERT_FALSE(h_.Run(c, broken).ok());
  broken.set_record_hook(nullptr);
  auto resumed = h_.Run(c, broken);
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->resumed_after_step, 1);

  const auto a = DecisionsOf(clean.Steps(reference->plan.run_id)[3], "select");
  const auto b = DecisionsOf(broken.Steps(resumed->plan.run_id)[3], "select");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(resumed->final_prompt, reference->final_prompt);
}

TEST_F(SelectRunTest, APlainRunRecordsNoDecisions) {
  MemoryRunRecorder recorder;
  auto result = h_.Run(Config(FinalSelect::kLast), recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  for (const StepRecord& s : recorder.Steps(result->plan.run_id)) {
    EXPECT_TRUE(s.decisions.empty()) << "step " << s.step;
  }
}

}  // namespace
}  // namespace judgeopt::optim
