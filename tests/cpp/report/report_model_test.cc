// The report model: grouping runs into configurations and seeds, statistics over seeds, the best
// step, the hypervolume series against hand-computed values, diagnostics and usage.

#include "judgeopt/report/report_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cpp/report/report_fixtures.h"

namespace judgeopt::report {
namespace {

using testing::AddEval;
using testing::MakeRun;

const Configuration& Find(const ReportModel& m, const std::string& mode, const std::string& gate) {
  for (const auto& c : m.configurations) {
    if (c.mode == mode && c.gate == gate) return c;
  }
  ADD_FAILURE() << "no configuration " << mode << " " << gate;
  return m.configurations.front();
}

TEST(SpreadOfTest, MeanSampleStdMinMax) {
  const Spread s = SpreadOf({1, 2, 3, 4});
  EXPECT_EQ(s.n, 4);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  // Sum of squared deviations 5, ddof 1: sqrt(5 / 3).
  EXPECT_NEAR(s.std, std::sqrt(5.0 / 3.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 4);
  const Spread one = SpreadOf({0.7});
  EXPECT_EQ(one.n, 1);
  EXPECT_DOUBLE_EQ(one.std, 0);  // the study shows a NaN std as 0
  EXPECT_EQ(SpreadOf({}).n, 0);
}

TEST(ReportModelTest, GroupsByModeAndGateInStudyOrder) {
  ReportInput in;
  in.runs.push_back(MakeRun("c1", "CCC", "mae", 1, {"fluency"}));
  in.runs.push_back(MakeRun("s1", "SSS", "none", 1, {"fluency"}));
  in.runs.push_back(MakeRun("s2", "SSS", "mae", 1, {"fluency"}));
  in.runs.push_back(MakeRun("s3", "SSS", "mae", 2, {"fluency"}));
  in.runs.push_back(MakeRun("t-a", "ST:fluency", "mae", 1, {"fluency"}, "g1"));
  in.runs.push_back(MakeRun("t-b", "ST:coherence", "mae", 1, {"coherence"}, "g1"));
  in.runs.push_back(MakeRun("u-a", "ST:fluency", "mae", 2, {"fluency"}, "g2"));
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok()) << m.error().message;
  std::vector<std::string> labels;
  for (const auto& c : m->configurations) labels.push_back(c.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"ST, gate mae", "SSS, gate none", "SSS, gate mae",
                                              "CCC, gate mae"}));
  const Configuration& st = Find(*m, "ST", "mae");
  ASSERT_EQ(st.seeds.size(), 2u);  // one per group
  EXPECT_EQ(st.seeds[0].run_ids, (std::vector<std::string>{"t-a", "t-b"}));
  EXPECT_EQ(st.seeds[0].label, "seed 1");
  EXPECT_EQ(st.criteria.size(), 2u);
  EXPECT_FALSE(st.HasHypervolume());
  EXPECT_EQ(Find(*m, "SSS", "mae").seeds.size(), 2u);
  EXPECT_EQ(Find(*m, "SSS", "mae").id, "summeval-textgrad-sss-mae");
}

TEST(ReportModelTest, MeanAndStdOverSeedsOfTheCriterionAverage) {
  ReportInput in;
  const double avgs[] = {0.2, 0.3, 0.4};
  for (int seed = 0; seed < 3; ++seed) {
    ReportRun r = MakeRun("r" + std::to_string(seed), "SSC", "none", seed, {"a", "b"});
    // Criterion values avg +/- 0.1 so each seed's average is avgs[seed].
    AddEval(r, 0, {{"a", avgs[seed] + 0.1, 0.5}, {"b", avgs[seed] - 0.1, 0.7}});
    in.runs.push_back(std::move(r));
  }
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  const StepStats& s = m->configurations[0].steps.at(0);
  EXPECT_EQ(s.avg_spearman.n, 3);
  EXPECT_NEAR(s.avg_spearman.mean, 0.3, 1e-12);
  EXPECT_NEAR(s.avg_spearman.std, 0.1, 1e-12);  // sqrt((0.01 + 0 + 0.01) / 2)
  EXPECT_NEAR(s.avg_spearman.min, 0.2, 1e-12);
  EXPECT_NEAR(s.avg_spearman.max, 0.4, 1e-12);
  EXPECT_NEAR(s.spearman[0].mean, 0.4, 1e-12);
  EXPECT_NEAR(s.avg_off_by_one.mean, 0.6, 1e-12);
}

TEST(ReportModelTest, BestStepIsTheFirstHighestMeanAverage) {
  ReportInput in;
  ReportRun r = MakeRun("r", "SSS", "mae", 0, {"a"});
  AddEval(r, 0, {{"a", 0.2, 0.5}});
  AddEval(r, 1, {{"a", 0.35, 0.5}});
  AddEval(r, 2, {{"a", 0.1, 0.5}});
  AddEval(r, 3, {{"a", 0.35, 0.5}});
  in.runs.push_back(std::move(r));
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  const Configuration& c = m->configurations[0];
  ASSERT_NE(c.Best(), nullptr);
  EXPECT_EQ(c.Best()->step, 1);
  EXPECT_EQ(c.Initial()->step, 0);
  EXPECT_EQ(c.Final()->step, 3);
}

TEST(ReportModelTest, HypervolumePerStepMatchesHandComputedValues) {
  ReportInput in;
  ReportRun r = MakeRun("r", "CCC", "none", 0, {"a", "b"});
  AddEval(r, 0, {{"a", 0.2, 0.5}, {"b", 0.4, 0.6}});
  AddEval(r, 1, {{"a", 0.5, 0.7}, {"b", 0.1, 0.4}});
  AddEval(r, 2, {{"a", 0.1, 0.1}, {"b", 0.1, 0.1}});  // dominated: the series stays flat
  in.runs.push_back(std::move(r));
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  const auto& steps = m->configurations[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  // Spearman, reference (-1, -1): boxes 1.2 x 1.4 and 1.5 x 1.1 overlapping in 1.2 x 1.1.
  EXPECT_NEAR(*steps[0].hv_spearman, 1.68, 1e-12);
  EXPECT_NEAR(*steps[1].hv_spearman, 1.68 + 1.65 - 1.32, 1e-12);
  EXPECT_NEAR(*steps[2].hv_spearman, 2.01, 1e-12);
  // OffByOne, reference (0, 0): 0.5 x 0.6, then + 0.7 x 0.4 - 0.5 x 0.4.
  EXPECT_NEAR(*steps[0].hv_off_by_one, 0.30, 1e-12);
  EXPECT_NEAR(*steps[1].hv_off_by_one, 0.38, 1e-12);
  EXPECT_NEAR(*steps[2].hv_off_by_one, 0.38, 1e-12);
}

TEST(ReportModelTest, HypervolumeUsesTheMeanOverSeeds) {
  ReportInput in;
  ReportRun a = MakeRun("a", "SSS", "mae", 1, {"x", "y"});
  ReportRun b = MakeRun("b", "SSS", "mae", 2, {"x", "y"});
  AddEval(a, 0, {{"x", 0.2, 0.4}, {"y", 0.0, 0.4}});
  AddEval(b, 0, {{"x", 0.4, 0.6}, {"y", 0.2, 0.6}});
  in.runs = {a, b};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  // Means (0.3, 0.1): (1.3)(1.1) = 1.43; OffByOne means (0.5, 0.5): 0.25.
  EXPECT_NEAR(*m->configurations[0].steps[0].hv_spearman, 1.43, 1e-12);
  EXPECT_NEAR(*m->configurations[0].steps[0].hv_off_by_one, 0.25, 1e-12);
}

TEST(ReportModelTest, SingleTaskSeedCombinesItsGroupsCriteria) {
  ReportInput in;
  ReportRun f = MakeRun("g-f", "ST:fluency", "mae", 1, {"fluency"}, "g");
  ReportRun c = MakeRun("g-c", "ST:coherence", "mae", 1, {"coherence"}, "g");
  AddEval(f, 0, {{"fluency", 0.4, 0.8}});
  AddEval(c, 0, {{"coherence", 0.2, 0.6}});
  in.runs = {f, c};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  const Configuration& st = m->configurations[0];
  ASSERT_EQ(st.seeds.size(), 1u);
  const StepStats& s = st.steps[0];
  EXPECT_NEAR(s.avg_spearman.mean, 0.3, 1e-12);
  EXPECT_EQ(s.avg_spearman.n, 1);
  EXPECT_FALSE(s.hv_spearman.has_value());
}

TEST(ReportModelTest, UndefinedCoefficientCountsAsZero) {
  ReportInput in;
  ReportRun r = MakeRun("r", "SSS", "none", 0, {"a", "b"});
  AddEval(r, 0, {{"a", std::nullopt, 0.5}, {"b", 0.4, 0.5}});
  in.runs = {r};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->configurations[0].steps[0].avg_spearman.mean, 0.2, 1e-12);
}

TEST(ReportModelTest, UsageIsSummedPerConfigurationAndUnfinishedCounted) {
  ReportInput in;
  ReportRun a = MakeRun("a", "SSS", "mae", 1, {"x"});
  ReportRun b = MakeRun("b", "SSS", "mae", 2, {"x"});
  a.usage = {10, 2, 1, 1000, 100, 0, 0, 0.5};
  b.usage = {5, 0, 0, 500, 50, 0, 0, 0.25};
  b.status = "failed";
  in.runs = {a, b};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->configurations[0].usage.calls, 15);
  EXPECT_EQ(m->configurations[0].usage.prompt_tokens, 1500);
  EXPECT_DOUBLE_EQ(m->configurations[0].usage.usd, 0.75);
  EXPECT_EQ(m->configurations[0].unfinished_runs, 1);
  EXPECT_TRUE(m->configurations[0].steps.empty());  // no evaluation: no steps, no best
  EXPECT_EQ(m->configurations[0].Best(), nullptr);
}

TEST(ReportModelTest, EmptyOrDuplicatedSelectionIsAnError) {
  EXPECT_FALSE(BuildReportModel({}).ok());
  ReportInput in;
  in.runs = {MakeRun("a", "SSS", "mae", 1, {"x"}), MakeRun("a", "SSS", "mae", 1, {"x"})};
  auto m = BuildReportModel(in);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("a"), std::string::npos);
}

TEST(ReportModelTest, ResultDoesNotDependOnInputOrder) {
  ReportInput in;
  in.runs = testing::SmallStudy();
  auto m1 = BuildReportModel(in);
  std::reverse(in.runs.begin(), in.runs.end());
  auto m2 = BuildReportModel(in);
  ASSERT_TRUE(m1.ok() && m2.ok());
  ASSERT_EQ(m1->configurations.size(), m2->configurations.size());
  for (std::size_t i = 0; i < m1->configurations.size(); ++i) {
    const auto &a = m1->configurations[i], &b = m2->configurations[i];
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(a.criteria, b.criteria);
    ASSERT_EQ(a.steps.size(), b.steps.size());
    for (std::size_t s = 0; s < a.steps.size(); ++s) {
      EXPECT_EQ(a.steps[s].avg_spearman.mean, b.steps[s].avg_spearman.mean);
      EXPECT_EQ(a.steps[s].hv_spearman, b.steps[s].hv_spearman);
    }
  }
}

experiments::DiagnosticRow Diag(const std::string& run, const std::string& crit,
                                std::optional<int> score, const std::string& kind) {
  experiments::DiagnosticRow d;
  d.run_id = run;
  d.kind = kind;
  d.step = 1;
  d.criterion = crit;
  d.score = score;
  return d;
}

TEST(ReportModelTest, SpecificityByModeAndTheCombinedGradientDrop) {
  ReportInput in;
  in.runs = {MakeRun("sss", "SSS", "mae", 1, {"a", "b"}),
             MakeRun("scc", "SCC", "mae", 1, {"a", "b"}),
             MakeRun("scc0", "SCC", "none", 1, {"a", "b"})};
  const std::string k = experiments::kSpecificity;
  in.diagnostics = {Diag("sss", "a", 9, k),
                    Diag("sss", "b", 8, k),
                    Diag("scc", "a", 4, k),
                    Diag("scc", "b", 3, k),
                    Diag("scc0", "a", 5, k),
                    Diag("scc0", "b", 2, k),
                    Diag("scc0", "b", std::nullopt, k),
                    Diag("sss", "a", 1, experiments::kAdherence),
                    Diag("unknown-run", "a", 10, k)};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->specificity.size(), 1u);
  const DiagnosticSummary& s = m->specificity[0];
  EXPECT_EQ(s.criteria, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.by_configuration.size(), 3u);  // SSS mae, SCC none, SCC mae
  ASSERT_EQ(s.by_mode.size(), 2u);
  EXPECT_EQ(s.by_mode[1].mode, "SCC");
  EXPECT_NEAR(s.by_mode[1].overall.mean, 3.5, 1e-12);  // (4 + 3 + 5 + 2) / 4
  EXPECT_EQ(s.by_mode[1].invalid, 1);
  EXPECT_NEAR(s.by_mode[1].per_criterion[0].mean, 4.5, 1e-12);
  EXPECT_NEAR(s.per_criterion_group.mean, 8.5, 1e-12);
  EXPECT_NEAR(s.combined_group.mean, 3.5, 1e-12);
  ASSERT_TRUE(s.drop_percent.has_value());
  EXPECT_EQ(*s.drop_percent, 59);  // round((1 - 3.5 / 8.5) * 100) = round(58.8)
  ASSERT_EQ(m->adherence.size(), 1u);
  EXPECT_EQ(m->adherence[0].by_mode[0].overall.n, 1);
  EXPECT_FALSE(m->adherence[0].drop_percent.has_value());
}

}  // namespace
}  // namespace judgeopt::report
