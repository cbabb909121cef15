#include "judgeopt/metrics/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "judgeopt/metrics/bootstrap.h"

namespace judgeopt::metrics {
namespace {

using V = std::vector<double>;

const MetricInfo& Get(const MetricRegistry& r, std::string_view name) {
  auto found = r.Find(name);
  EXPECT_TRUE(found.ok()) << name;
  return **found;
}

TEST(Registry, AliasesAndClassNamesResolveToOneMetric) {
  const MetricRegistry r = BuiltinMetrics();
  const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"accuracy", {"acc", "Accuracy"}},
      {"mae", {"MAE"}},
      {"off_by_one", {"off_by_1", "offby1", "OffByOne"}},
      {"off_by_two", {"off_by_2", "offby2", "OffByTwo"}},
      {"off_by_three", {"off_by_3", "offby3", "OffByThree"}},
      {"spearman_correlation", {"spearman", "SpearmanCorrelation"}},
      {"kendall_tau", {"kendall", "KendallTau"}},
      {"pearson_correlation", {"pearson", "PearsonCorrelation"}},
      {"qwk", {"quadratic_weighted_kappa", "QuadraticWeightedKappa"}},
  };
  for (const auto& [canonical, aliases] : groups) {
    EXPECT_EQ(Get(r, canonical).name, canonical);
    for (const std::string& alias : aliases) EXPECT_EQ(Get(r, alias).name, canonical) << alias;
  }
  EXPECT_EQ(r.Names().size(), groups.size());
}

TEST(Registry, DirectionsAndNormalizedScore) {
  const MetricRegistry r = BuiltinMetrics();
  EXPECT_EQ(Get(r, "mae").direction, Direction::kMinimize);
  for (const char* name : {"accuracy", "off_by_one", "spearman", "kendall", "pearson", "qwk"}) {
    EXPECT_EQ(Get(r, name).direction, Direction::kMaximize) << name;
  }
  EXPECT_EQ(Get(r, "mae").NormalizedScore(0.7), -0.7);
  EXPECT_EQ(Get(r, "spearman").NormalizedScore(0.7), 0.7);
}

TEST(Registry, UnknownNameListsValidNames) {
  const MetricRegistry r = BuiltinMetrics();
  auto found = r.Find("spearmann");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  for (const char* name : {"spearmann", "acc", "off_by_1", "kendall_tau", "qwk"}) {
    EXPECT_NE(found.error().message.find(name), std::string::npos) << name;
  }
  EXPECT_FALSE(r.Find("Spearman").ok());  // exact, case-sensitive matching
}

TEST(Registry, ComputeAndBind) {
  const MetricRegistry r = BuiltinMetrics();
  const V gold{1, 2, 3, 4}, pred{1, 3, 3, 2};  // errors 0, 1, 0, 2
  EXPECT_DOUBLE_EQ(*r.Compute("MAE", gold, pred), 0.75);
  EXPECT_DOUBLE_EQ(*r.Compute("OffByOne", gold, pred), 0.75);
  EXPECT_DOUBLE_EQ(*r.Compute("off_by_two", gold, pred), 1.0);
  EXPECT_DOUBLE_EQ(*r.Compute("acc", gold, pred), 0.5);
  EXPECT_FALSE(r.Compute("mae", gold, V{1}).ok());
  // QWK needs the scale.
  auto unbound = r.Bind("qwk");
  ASSERT_FALSE(unbound.ok());
  EXPECT_NE(unbound.error().message.find("scale"), std::string::npos);
  auto qwk = r.Compute("qwk", V{1, 2, 3, 3}, V{1, 3, 3, 2}, {.scale = ScaleRange{1, 3}});
  ASSERT_TRUE(qwk.ok());
  EXPECT_NEAR(*qwk, 7.0 / 11, 1e-15);  // the hand case of agreement_test.cc
  // A bound metric drives the bootstrap.
  auto fn = r.Bind("mae");
  ASSERT_TRUE(fn.ok());
  auto ci = BootstrapCi(gold, pred, *fn, {.resamples = 50, .seed = 3});
  ASSERT_TRUE(ci.ok());
  EXPECT_DOUBLE_EQ(ci->estimate, 0.75);
}

TEST(Registry, AddRejectsNameClashes) {
  MetricRegistry r = BuiltinMetrics();
  MetricInfo dup = Get(r, "mae");
  dup.name = "mean_absolute_error";
  dup.class_name = "MeanAbsoluteError";
  dup.aliases = {"MAE"};
  const Status st = r.Add(dup);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("'MAE'"), std::string::npos);
  dup.aliases = {};
  EXPECT_TRUE(r.Add(dup).ok());
  EXPECT_EQ(Get(r, "MeanAbsoluteError").name, "mean_absolute_error");
}

TEST(Registry, WorstValues) {
  const MetricRegistry r = BuiltinMetrics();
  EXPECT_EQ(*WorstValue(Get(r, "spearman")), -1.0);
  EXPECT_EQ(*WorstValue(Get(r, "kendall")), -1.0);
  EXPECT_EQ(*WorstValue(Get(r, "off_by_1")), 0.0);
  EXPECT_EQ(*WorstValue(Get(r, "accuracy")), 0.0);
  EXPECT_FALSE(WorstValue(Get(r, "mae")).ok());
  // The study's MAE references: 4.0 for SummEval (1-5), 3.0 for BRIGHTER (0-3).
  EXPECT_EQ(*WorstValue(Get(r, "mae"), {.scale = ScaleRange{1, 5}}), 4.0);
  EXPECT_EQ(*WorstValue(Get(r, "mae"), {.scale = ScaleRange{0, 3}}), 3.0);
}

TEST(Registry, DisplayMimicsPythonRoundThenStr) {
  const MetricRegistry r = BuiltinMetrics();
  // Values checked against Python: str(round(0.7083 * 100, 1)) == "70.8", etc.
  EXPECT_EQ(FormatForDisplay(Get(r, "accuracy"), 0.7083), "70.8");
  EXPECT_EQ(FormatForDisplay(Get(r, "accuracy"), 0.5), "50.0");
  EXPECT_EQ(FormatForDisplay(Get(r, "mae"), 2.7), "2.7");
  // 2.675 is stored as 2.67499999...: round(2.675, 2) == 2.67.
  EXPECT_EQ(FormatForDisplay(Get(r, "mae"), 2.675), "2.67");
  // 0.125 is exact: round-half-even gives 0.12.
  EXPECT_EQ(FormatForDisplay(Get(r, "mae"), 0.125), "0.12");
  EXPECT_EQ(FormatForDisplay(Get(r, "spearman"), 0.28), "0.28");
  EXPECT_EQ(FormatForDisplay(Get(r, "spearman"), -0.0001), "-0.0");
  EXPECT_EQ(FormatForDisplay(Get(r, "spearman"), 1.0), "1.0");
  MetricInfo whole = Get(r, "accuracy");
  whole.decimals = 0;
  EXPECT_EQ(FormatForDisplay(whole, 0.705), "70");  // 70.5 -> 70 (half-even)
  EXPECT_EQ(FormatForDisplay(whole, -0.004), "0");  // round(-0.4) == 0
}

}  // namespace
}  // namespace judgeopt::metrics
