// The report with the conflict-aware methods' runs: method labels kept beside the study's modes
// in a stable order, the per-run prompt hypervolume against hand-computed values, and the
// conflict heatmap built from stored conflict_matrix decisions (only when some exist).

#include <gtest/gtest.h>

#include <algorithm>

#include "cpp/report/report_fixtures.h"
#include "cpp/report/xml_check.h"
#include "judgeopt/report/charts.h"
#include "judgeopt/report/conflicts.h"
#include "judgeopt/report/report_document.h"
#include "judgeopt/report/report_model.h"
#include "judgeopt/report/report_source.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::report {
namespace {

using testing::AddEval;
using testing::MakeRun;
using testing::SmallStudy;
using testing::XmlProblem;

// A conflict_matrix payload over fluency, coherence and relevance.
std::string Matrix(int fc_contradict, int fr_contradict, int cr_agree) {
  return fmt::format(
      R"({{"criteria":["fluency","coherence","relevance"],"pairs":[)"
      R"({{"a":"fluency","b":"coherence","agree":1,"independent":2,"contradict":{}}},)"
      R"({{"a":"fluency","b":"relevance","agree":0,"independent":3,"contradict":{}}},)"
      R"({{"a":"coherence","b":"relevance","agree":{},"independent":0,"contradict":0}}]}})",
      fc_contradict, fr_contradict, cr_agree);
}

optim::DecisionRecord ConflictDecision(const std::string& payload) {
  return {"conflict_matrix", "", "conflicts classified", payload};
}

ReportRun SpcRun(const std::string& id, int64_t seed) {
  ReportRun r = MakeRun(id, "SPC", "mae", seed, {"fluency", "coherence", "relevance"});
  AddEval(r, 0, {{"fluency", 0.2, 0.5}, {"coherence", 0.1, 0.5}, {"relevance", 0.3, 0.5}});
  AddEval(r, 1, {{"fluency", 0.3, 0.5}, {"coherence", 0.2, 0.5}, {"relevance", 0.3, 0.5}});
  return r;
}

std::vector<std::string> Labels(const ReportModel& m) {
  std::vector<std::string> out;
  for (const auto& c : m.configurations) out.push_back(c.mode);
  return out;
}

TEST(ReportMethodsTest, MethodLabelsAppearBesideTheStudyModesInAStableOrder) {
  const std::vector<std::string> modes = {"ZETA",   "MGDA+owned+best-mean", "ROUTER",
                                          "SPC",    "SSS+per-criterion",    "CCC",
                                          "SSS",    "SSC+nagate",           "MGDA",
                                          "ST:fluency"};
  ReportInput in;
  for (std::size_t i = 0; i < modes.size(); ++i) {
    ReportRun r = MakeRun("run" + std::to_string(i), modes[i], "none", 1,
                          modes[i].starts_with("ST:") ? std::vector<std::string>{"fluency"}
                                                      : std::vector<std::string>{"fluency", "x"});
    AddEval(r, 0, {{"fluency", 0.2, 0.5}, {"x", 0.1, 0.5}});
    r.usage.calls = 10 + static_cast<int64_t>(i);
    r.usage.usd = 0.5;
    in.runs.push_back(std::move(r));
  }
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const std::vector<std::string> want = {"ST",  "SSS",  "SSS+per-criterion",    "SSC+nagate",
                                         "CCC", "SPC",  "MGDA", "MGDA+owned+best-mean",
                                         "ROUTER", "ZETA"};
  EXPECT_EQ(Labels(*m), want);
  std::reverse(in.runs.begin(), in.runs.end());
  EXPECT_EQ(Labels(*BuildReportModel(in)), want);

  // Every label reaches Table 1, the cost table and the per-run table with calls and dollars.
  const auto files = ReportFiles(BuildDocument(*m));
  for (const std::string& label : want) {
    EXPECT_NE(files.at("table1.csv").find(",textgrad," + label + ",none,"), std::string::npos)
        << label;
    EXPECT_NE(files.at("cost.csv").find(",textgrad," + label + ",none,"), std::string::npos)
        << label;
  }
  const std::string& runs = files.at("run-metrics.csv");
  EXPECT_NE(runs.find("summeval,textgrad,MGDA+owned+best-mean,none,true,run1,1,finished,11,0,0.5,0,"),
            std::string::npos)
      << runs;
  EXPECT_NE(files.at("report.md").find("| run8 | MGDA, gate none | 1 | finished | 18 | $0.5000 |"),
            std::string::npos);
}

TEST(ReportMethodsTest, ModeRankOrdersByTheLabelsBase) {
  EXPECT_EQ(ModeBase("MGDA+owned+best-mean"), "MGDA");
  EXPECT_EQ(ModeBase("SSS"), "SSS");
  EXPECT_LT(ModeRank("CCC"), ModeRank("SPC"));
  EXPECT_LT(ModeRank("SPC+cap"), ModeRank("MGDA"));
  EXPECT_LT(ModeRank("MGDA"), ModeRank("ROUTER+sectioned"));
  EXPECT_LT(ModeRank("ROUTER"), ModeRank("OPRO"));
  EXPECT_EQ(ModeRank("SSS+nagate"), ModeRank("SSS"));
}

TEST(ReportMethodsTest, PromptHypervolumeMatchesAHandComputedTwoDimensionalCase) {
  ReportRun r = MakeRun("r", "MGDA", "none", 1, {"a", "b"});
  AddEval(r, 0, {{"a", 0.5, 0.5}, {"b", 0.2, 0.5}});
  AddEval(r, 1, {{"a", 0.2, 0.5}, {"b", 0.6, 0.5}});
  AddEval(r, 2, {{"a", -0.3, 0.5}, {"b", 0.9, 0.5}});          // clipped to (0, 0.9): no area
  AddEval(r, 3, {{"a", 0.4, 0.5}, {"b", 0.1, 0.5}});           // dominated by (0.5, 0.2)
  AddEval(r, 4, {{"a", std::nullopt, 0.5}, {"b", 0.95, 0.5}});  // undefined counts 0
  // Boxes from the origin: 0.5 x 0.2 and 0.2 x 0.6, overlapping in 0.2 x 0.2.
  const auto hv = PromptHypervolume(r);
  ASSERT_TRUE(hv.has_value());
  EXPECT_NEAR(*hv, 0.5 * 0.2 + 0.2 * 0.6 - 0.2 * 0.2, 1e-12);

  ReportRun all_negative = MakeRun("n", "MGDA", "none", 2, {"a", "b"});
  AddEval(all_negative, 0, {{"a", -0.1, 0.5}, {"b", 0.4, 0.5}});
  EXPECT_NEAR(*PromptHypervolume(all_negative), 0.0, 1e-12);
  ReportRun single = MakeRun("s", "ST:a", "none", 1, {"a"});
  AddEval(single, 0, {{"a", 0.5, 0.5}});
  EXPECT_FALSE(PromptHypervolume(single).has_value());
  EXPECT_FALSE(PromptHypervolume(MakeRun("e", "MGDA", "none", 3, {"a", "b"})).has_value());

  // The configuration's HV⁺ is the mean over its runs; each run's value is in the run table.
  ReportRun other = MakeRun("o", "MGDA", "none", 2, {"a", "b"});
  AddEval(other, 0, {{"a", 0.3, 0.5}, {"b", 0.3, 0.5}});
  ReportInput in;
  in.runs = {r, other};
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok());
  const Spread& spread = m->configurations.at(0).prompt_hv;
  EXPECT_EQ(spread.n, 2);
  EXPECT_NEAR(spread.mean, (0.18 + 0.09) / 2, 1e-12);
  ASSERT_EQ(m->runs.size(), 2u);
  EXPECT_EQ(m->runs[0].run_id, "r");  // seed 1 first
  EXPECT_NEAR(*m->runs[0].hypervolume, 0.18, 1e-12);
  EXPECT_EQ(m->runs[0].final_step, 4);
  EXPECT_NEAR(*m->runs[0].final_spearman[0], 0.0, 1e-12);
  EXPECT_NEAR(*m->runs[0].final_average, 0.475, 1e-12);
}

TEST(ConflictMatrixTest, ParsesTheAgreedFormatAndNamesWhatIsWrong) {
  auto ok = ParseConflictMatrix(Matrix(3, 0, 2));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->criteria.size(), 3u);
  ASSERT_EQ(ok->pairs.size(), 3u);
  EXPECT_EQ(ok->pairs[0].counts.contradict, 3);
  EXPECT_EQ(ok->pairs[2].counts.agree, 2);
  const std::pair<const char*, const char*> bad[] = {
      {"{not json", "not JSON"},
      {R"({"criteria":["a","b"]})", "\"pairs\""},
      {R"({"criteria":"a","pairs":[]})", "\"criteria\""},
      {R"({"criteria":["a","b"],"pairs":[{"a":"a","b":"a","agree":1,"independent":0,)"
       R"("contradict":0}]})",
       "both"},
      {R"({"criteria":["a","b"],"pairs":[{"a":"a","b":"z","agree":1,"independent":0,)"
       R"("contradict":0}]})",
       "\"z\""},
      {R"({"criteria":["a","b"],"pairs":[{"a":"a","b":"b","agree":-1,"independent":0,)"
       R"("contradict":0}]})",
       "pairs[0]: \"agree\""},
      {R"({"criteria":["a","b"],"pairs":[{"a":"a","b":"b","agree":1,"independent":0}]})",
       "\"contradict\""}};
  for (const auto& [payload, want] : bad) {
    auto r = ParseConflictMatrix(payload);
    ASSERT_FALSE(r.ok()) << payload;
    EXPECT_NE(r.error().message.find(want), std::string::npos) << r.error().message;
  }
}

TEST(ConflictMatrixTest, HeatmapSumsPairsSymmetricallyAndReorders) {
  ConflictHeatmap h;
  h.Add(*ParseConflictMatrix(Matrix(3, 0, 2)));
  h.Add(*ParseConflictMatrix(Matrix(1, 1, 0)));
  h.Reorder({"relevance", "fluency"});
  EXPECT_EQ(h.criteria, (std::vector<std::string>{"relevance", "fluency", "coherence"}));
  // fluency-coherence: agree 2, independent 4, contradict 4 -> 0.4, both ways.
  EXPECT_NEAR(*h.ContradictShare(1, 2), 0.4, 1e-12);
  EXPECT_NEAR(*h.ContradictShare(2, 1), 0.4, 1e-12);
  // fluency-relevance: independent 6, contradict 1 -> 1/7.
  EXPECT_NEAR(*h.ContradictShare(0, 1), 1.0 / 7.0, 1e-12);
  EXPECT_NEAR(*h.ContradictShare(0, 2), 0.0, 1e-12);  // coherence-relevance: agree only
  EXPECT_FALSE(h.ContradictShare(1, 1).has_value());
  EXPECT_EQ(h.matrices, 2);
}

TEST(ReportMethodsTest, ConflictHeatmapOnlyForConfigurationsWithMatrices) {
  {
    ReportInput study;
    study.runs = SmallStudy();
    auto m = BuildReportModel(study);
    ASSERT_TRUE(m.ok());
    for (const auto& c : m->configurations) EXPECT_FALSE(c.conflicts.has_value()) << c.label;
    const auto files = ReportFiles(BuildDocument(*m));
    EXPECT_EQ(files.count("conflicts.csv"), 0u);
    EXPECT_EQ(files.at("report.md").find("Conflicts between criteria"), std::string::npos);
    for (const auto& [path, content] : files) EXPECT_FALSE(path.starts_with("charts/conflicts"));
  }
  ReportInput in;
  in.runs = SmallStudy();
  ReportRun a = SpcRun("spc-1", 1), b = SpcRun("spc-2", 2);
  a.conflict_matrices = {ConflictDecision(Matrix(3, 0, 2)), ConflictDecision(Matrix(1, 1, 0))};
  b.conflict_matrices = {ConflictDecision(Matrix(0, 2, 1)), ConflictDecision("{\"pairs\": 3}")};
  in.runs.push_back(a);
  in.runs.push_back(b);
  auto m = BuildReportModel(in);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Configuration* spc = nullptr;
  for (const auto& c : m->configurations) {
    if (c.mode == "SPC") {
      spc = &c;
    } else {
      EXPECT_FALSE(c.conflicts.has_value()) << c.label;
    }
  }
  ASSERT_NE(spc, nullptr);
  ASSERT_TRUE(spc->conflicts.has_value());
  const ConflictHeatmap& h = *spc->conflicts;
  EXPECT_EQ(h.matrices, 3);
  EXPECT_EQ(h.ignored, 1);
  EXPECT_EQ(h.criteria, (std::vector<std::string>{"fluency", "coherence", "relevance"}));
  // fluency-coherence over three matrices: agree 3, independent 6, contradict 4 -> 4/13.
  EXPECT_NEAR(*h.ContradictShare(0, 1), 4.0 / 13.0, 1e-12);
  // fluency-relevance: independent 9, contradict 3 -> 0.25.
  EXPECT_NEAR(*h.ContradictShare(0, 2), 0.25, 1e-12);

  const auto files = ReportFiles(BuildDocument(*m));
  const std::string chart_path = "charts/conflicts-summeval-textgrad-spc-mae.svg";
  ASSERT_EQ(files.count(chart_path), 1u);
  const std::string& svg = files.at(chart_path);
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_NE(svg.find("(SIMULATED)</title>"), std::string::npos);
  EXPECT_NE(svg.find(">0.31<"), std::string::npos) << svg;  // 4/13 in both triangle cells
  EXPECT_NE(svg.find(">0.25<"), std::string::npos);
  EXPECT_NE(svg.find(HeatColor(4.0 / 13.0)), std::string::npos);
  const std::string& csv = files.at("conflicts.csv");
  EXPECT_NE(csv.find("summeval,textgrad,SPC,mae,true,fluency,relevance,0,9,3,0.25\n"),
            std::string::npos)
      << csv;
  const std::string& md = files.at("report.md");
  EXPECT_NE(md.find("## Conflicts between criteria"), std::string::npos);
  EXPECT_NE(md.find("Left out: 1 stored matrix not in the documented format."),
            std::string::npos);
  EXPECT_LT(md.find("## Trajectories"), md.find("## Conflicts between criteria"));
}

TEST(ReportMethodsTest, ConflictMatricesReachTheReportThroughTheRunStore) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/runs.db";
  {
    auto runs = store::RunStore::Open(db);
    ASSERT_TRUE(runs.ok());
    testing::StoreRun(**runs, testing::ConflictRun());
    testing::StoreRun(**runs, SmallStudy().front());
  }
  auto reader = store::RunReader::Open(db);
  ASSERT_TRUE(reader.ok());
  auto input = LoadReportInput(*reader, {"SPC-s1", "SSS-s1"});
  ASSERT_TRUE(input.ok()) << input.error().message;
  auto m = BuildReportModel(*input);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->configurations.size(), 2u);
  EXPECT_EQ(m->configurations[0].mode, "SSS");
  EXPECT_FALSE(m->configurations[0].conflicts.has_value());
  const Configuration& spc = m->configurations[1];
  ASSERT_TRUE(spc.conflicts.has_value());
  EXPECT_EQ(spc.conflicts->matrices, 2);
  EXPECT_NEAR(*spc.conflicts->ContradictShare(0, 1), 0.4, 1e-12);
  // Both runs stored 3 calls of $0.001 per evaluated step.
  ASSERT_EQ(m->runs.size(), 2u);
  EXPECT_EQ(m->runs[1].usage.calls, 9);
  EXPECT_NEAR(m->runs[1].usage.usd, 0.009, 1e-12);
}

TEST(ReportMethodsTest, HeatColorRunsFromWhiteToDarkRed) {
  EXPECT_EQ(HeatColor(0), "#ffffff");
  EXPECT_EQ(HeatColor(1), "#b2182b");
  EXPECT_EQ(HeatColor(7), "#b2182b");
  EXPECT_EQ(HeatColor(0.5), "#d98c95");  // halfway per channel, rounded
}

TEST(ReportMethodsTest, ReportRunKeepsOnlyTheConflictMatrixDecisions) {
  store::RunDetail detail;
  detail.run.info = MakeRun("spc", "SPC", "mae", 1, {"fluency", "coherence"}).info;
  detail.run.status = "finished";
  for (int step = 1; step <= 2; ++step) {
    store::StepSummary s;
    s.step = step;
    s.decisions = {{"edits", "fluency", "3 edits", "[]"},
                   ConflictDecision(Matrix(step, 0, 0)),
                   {"pcgrad", "fluency", "dropped 1", "{}"}};
    detail.steps.push_back(s);
  }
  auto run = ReportRunFrom(detail);
  ASSERT_TRUE(run.ok()) << run.error().message;
  ASSERT_EQ(run->conflict_matrices.size(), 2u);
  EXPECT_EQ(run->conflict_matrices[0].payload_json, Matrix(1, 0, 0));
  EXPECT_EQ(run->conflict_matrices[1].payload_json, Matrix(2, 0, 0));
}

}  // namespace
}  // namespace judgeopt::report
