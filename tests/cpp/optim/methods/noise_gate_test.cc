// The noise-aware gate: the paired bootstrap on hand-made columns (deterministic, accepts a clear
// win, rejects a win bought by one criterion's regression, a lost criterion), and a whole run
// with scripted replies storing the "noise_gate" and "archive" decisions.

#include "judgeopt/optim/methods/noise_gate.h"

#include <gtest/gtest.h>

#include "cpp/optim/methods/mgda_fixtures.h"

namespace judgeopt::optim {
namespace {

using testdata::DecisionsOf;

// 40 examples on a 1-5 scale; the incumbent is off by one on every other example.
PairedColumn Column(const std::string& name) {
  PairedColumn c;
  c.criterion = name;
  for (int i = 0; i < 40; ++i) {
    const double g = 1 + i % 5;
    c.gold.push_back(g);
    c.incumbent.push_back(i % 2 == 0 ? g : (g < 5 ? g + 1 : g - 1));
    c.candidate.push_back(c.incumbent.back());
  }
  return c;
}

NoiseGateSettings Settings(uint64_t seed = 7) {
  NoiseGateSettings s;
  s.metric = GateMetric::kMae;
  s.resamples = 500;
  s.confidence = 0.9;
  s.tolerance = 0.02;
  s.seed = seed;
  return s;
}

TEST(NoiseGateTest, SameSeedSameOutcome) {
  std::vector<PairedColumn> cols = {Column("a"), Column("b")};
  for (int i = 0; i < 40; i += 3) cols[0].candidate[i] = cols[0].gold[i];
  const NoiseGateOutcome x = BootstrapGate(cols, Settings());
  const NoiseGateOutcome y = BootstrapGate(cols, Settings());
  ASSERT_EQ(x.criteria.size(), 2u);
  for (std::size_t c = 0; c < 2; ++c) {
    ASSERT_TRUE(x.criteria[c].quantile.has_value());
    EXPECT_EQ(*x.criteria[c].quantile, *y.criteria[c].quantile);
  }
  EXPECT_EQ(NoiseGateDecision(x, Settings()), NoiseGateDecision(y, Settings()));
  EXPECT_EQ(NoiseGateSeed(3, 2), NoiseGateSeed(3, 2));
  EXPECT_NE(NoiseGateSeed(3, 2), NoiseGateSeed(3, 3));
  EXPECT_NE(NoiseGateSeed(3, 2), NoiseGateSeed(4, 2));
}

TEST(NoiseGateTest, AcceptsAClearWinOnEveryCriterion) {
  std::vector<PairedColumn> cols = {Column("a"), Column("b")};
  for (PairedColumn& c : cols) c.candidate = {c.gold.begin(), c.gold.end()};  // exact
  const NoiseGateOutcome out = BootstrapGate(cols, Settings());
  EXPECT_TRUE(out.accepted);
  ASSERT_TRUE(out.mean_difference.has_value());
  EXPECT_NEAR(*out.mean_difference, 0.5, 1e-12);  // MAE 0.5 -> 0
  for (const CriterionBootstrap& b : out.criteria) {
    EXPECT_FALSE(b.regresses);
    EXPECT_GT(*b.quantile, 0);  // every resample improves
    EXPECT_LE(*b.quantile, *b.difference);
  }
}

TEST(NoiseGateTest, RejectsAWinBoughtByOneCriterionsRegression) {
  std::vector<PairedColumn> cols = {Column("a"), Column("b"), Column("c")};
  cols[0].candidate = {cols[0].gold.begin(), cols[0].gold.end()};
  cols[1].candidate = {cols[1].gold.begin(), cols[1].gold.end()};
  for (int i = 0; i < 40;
       i += 4) {  // c: a quarter of the examples, exact before, become off by two
    cols[2].candidate[i] = cols[2].gold[i] < 3 ? cols[2].gold[i] + 2 : cols[2].gold[i] - 2;
  }
  const NoiseGateOutcome out = BootstrapGate(cols, Settings());
  ASSERT_TRUE(out.mean_difference.has_value());
  EXPECT_GT(*out.mean_difference, 0);  // the mean gate would accept
  EXPECT_FALSE(out.accepted);
  EXPECT_FALSE(out.criteria[0].regresses);
  EXPECT_TRUE(out.criteria[2].regresses);
  EXPECT_LT(*out.criteria[2].quantile, -0.02);
  const DecisionRecord d = NoiseGateDecision(out, Settings());
  EXPECT_EQ(d.kind, "noise_gate");
  EXPECT_NE(d.summary.find("rejected"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("for c"), std::string::npos) << d.summary;
  const auto p = nlohmann::json::parse(d.payload_json);
  EXPECT_TRUE(p["criteria"]["c"]["regresses"].get<bool>());
  EXPECT_EQ(p["resamples"], 500);
}

TEST(NoiseGateTest, ASmallRegressionWithinTheToleranceStillPasses) {
  std::vector<PairedColumn> cols = {Column("a"), Column("b")};
  cols[0].candidate = {cols[0].gold.begin(), cols[0].gold.end()};
  cols[1].candidate[0] = 3;  // one example of b off by 2 instead of exact: MAE +0.05
  NoiseGateSettings s = Settings();
  s.tolerance = 0.2;
  EXPECT_TRUE(BootstrapGate(cols, s).accepted);
  s.tolerance = 0.0;
  EXPECT_FALSE(BootstrapGate(cols, s).accepted);
}

TEST(NoiseGateTest, ACandidateThatLosesACriterionRegresses) {
  std::vector<PairedColumn> cols = {Column("a"), Column("b")};
  cols[0].candidate = {cols[0].gold.begin(), cols[0].gold.end()};
  cols[1].candidate.assign(40, std::nullopt);
  const NoiseGateOutcome out = BootstrapGate(cols, Settings());
  EXPECT_FALSE(out.accepted);
  EXPECT_TRUE(out.criteria[1].regresses);
  EXPECT_FALSE(out.criteria[1].quantile.has_value());
}

TEST(NoiseGateRunTest, StoresTheBootstrapAndTheArchiveEveryStep) {
  testdata::MarkerHarness h;
  // Step 1 improves clarity; step 2 improves clarity's neighbour but ruins accuracy.
  h.model.rewrite = [](const std::string& c, int step) -> std::string {
    if (step == 1) return c == "clarity" ? "clarity rule GOOD-clarity" : c + " rule";
    return c == "tone" ? "tone rule GOOD-tone HURT-accuracy" : c + " rule again";
  };
  OptimizeConfig c = h.Config("plain", "mae", 2);
  c.gate.kind = GateKind::kNoiseAware;
  c.gate.bootstrap = 200;
  MemoryRunRecorder recorder;
  auto result = h.Run(c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_EQ(steps.size(), 3u);
  for (int s = 1; s <= 2; ++s) {
    const auto gate = DecisionsOf(steps[static_cast<std::size_t>(s)], "noise_gate");
    ASSERT_EQ(gate.size(), 1u) << "step " << s;
    const auto p = nlohmann::json::parse(gate[0].payload_json);
    EXPECT_EQ(p["seed"].get<uint64_t>(), NoiseGateSeed(c.seed, s));
    EXPECT_EQ(p["accepted"].get<bool>(), steps[static_cast<std::size_t>(s)].gate.accepted);
    EXPECT_EQ(DecisionsOf(steps[static_cast<std::size_t>(s)], "archive").size(), 2u);
  }
  EXPECT_TRUE(steps[1].gate.accepted);
  EXPECT_FALSE(steps[2].gate.accepted);
  const auto p2 = nlohmann::json::parse(DecisionsOf(steps[2], "noise_gate")[0].payload_json);
  EXPECT_TRUE(p2["criteria"]["accuracy"]["regresses"].get<bool>());
}

}  // namespace
}  // namespace judgeopt::optim
