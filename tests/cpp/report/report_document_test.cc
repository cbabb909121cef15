// The report document and its files: every section, Table 1 values, empty sections said so,
// the SIMULATED label everywhere, self-contained HTML, CSV merging, byte-identical reruns.

#include "judgeopt/report/report_document.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cpp/report/report_fixtures.h"
#include "cpp/report/xml_check.h"
#include "judgeopt/base/files.h"

namespace judgeopt::report {
namespace {

using testing::Count;
using testing::SmallStudy;
using testing::XmlProblem;

ReportDocument StudyDocument(bool simulated, ReportInput in = {}) {
  if (in.runs.empty()) in.runs = SmallStudy();
  for (auto& r : in.runs) r.info.simulated = simulated;
  auto model = BuildReportModel(in);
  EXPECT_TRUE(model.ok());
  return BuildDocument(*model);
}

TEST(ReportDocumentTest, Table1HasOneRowPerConfigurationWithInitialBestAndHypervolume) {
  const auto files = ReportFiles(StudyDocument(false));
  const std::string& csv = files.at("table1.csv");
  // Header + ST, SSS, CCC (gate mae).
  EXPECT_EQ(Count(csv, "\n"), 4) << csv;
  EXPECT_NE(csv.find("summeval,textgrad,ST,mae,false,1,0,"), std::string::npos) << csv;
  // SSS: seed averages at step 0 are 0.16 and 0.17 -> mean 0.165; best is step 2 (+0.1).
  const std::string md = files.at("report.md");
  EXPECT_NE(md.find("| SSS | mae | 2 | 0.165 ± 0.007 | 0.265 ± 0.007 (step 2) | +0.100 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| ST | mae | 1 | 0.300 ± 0.000 | 0.340 ± 0.000 (step 2) | +0.040 |"),
            std::string::npos);
  EXPECT_NE(md.find("| 0.340 ± 0.000 † |"), std::string::npos);  // ST's best step marked
}

TEST(ReportDocumentTest, WritesEveryFileKind) {
  const auto files = ReportFiles(StudyDocument(false));
  for (const char* f :
       {"report.md", "report.html", "table1.csv", "trajectories.csv", "hypervolume.csv", "cost.csv",
        "runs.csv", "charts/cost.svg", "charts/trajectory-summeval-textgrad-sss-mae.svg",
        "charts/trajectory-summeval-textgrad-st-mae.svg"}) {
    EXPECT_EQ(files.count(f), 1u) << f;
  }
  // trajectories.csv merges every configuration: header + 3 configs x 3 steps x (2 criteria
  // + average).
  EXPECT_EQ(Count(files.at("trajectories.csv"), "\n"), 1 + 3 * 3 * 3);
  // hypervolume.csv: SSS and CCC only (not ST).
  EXPECT_EQ(Count(files.at("hypervolume.csv"), "\n"), 1 + 2 * 3);
  for (const auto& [path, content] : files) {
    if (path.ends_with(".svg")) {
      EXPECT_EQ(XmlProblem(content), "") << path;
    }
  }
}

TEST(ReportDocumentTest, EmptyAnalysisSectionsSaySo) {
  const ReportDocument doc = StudyDocument(false);
  const std::string html = RenderHtml(doc);
  const std::string md = RenderMarkdown(doc);
  for (const std::string& text : {std::string("No cherry-pick result was recorded"),
                                  std::string("No gradient-specificity scores were recorded"),
                                  std::string("No feedback-adherence scores were recorded")}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
    EXPECT_NE(md.find(text), std::string::npos) << text;
  }
}

TEST(ReportDocumentTest, AnalysisSectionsShowTable2AndDiagnostics) {
  ReportInput in;
  in.runs = SmallStudy();
  in.cherrypicks = {testing::SampleCherrypick()};
  for (const auto& d : testing::SampleDiagnostics()) {
    if (d.kind == experiments::kSpecificity) in.diagnostics.push_back(d);
  }
  const auto files = ReportFiles(StudyDocument(false, in));
  const std::string& md = files.at("report.md");
  EXPECT_NE(md.find("| Cherry-pick (stitched) | 0.200 | 0.200 | 0.200 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Δ stitched − single | -0.150 |"), std::string::npos);
  EXPECT_NE(md.find("Rate &lt;strictly&gt; & well"), std::string::npos);
  EXPECT_NE(files.at("report.html").find("Rate &lt;strictly&gt; &amp; well"), std::string::npos);
  EXPECT_EQ(files.count("cherrypick.csv"), 1u);
  EXPECT_EQ(files.count("specificity.csv"), 1u);
  ASSERT_EQ(files.count("charts/specificity-summeval-textgrad.svg"), 1u);
  const std::string& chart = files.at("charts/specificity-summeval-textgrad.svg");
  EXPECT_EQ(Count(chart, "class=\"bar\""), 3);           // ST, SSS, CCC
  EXPECT_NE(chart.find("56% drop"), std::string::npos);  // 1 - 4 / 9
  EXPECT_NE(md.find("No feedback-adherence scores were recorded"), std::string::npos);
}

TEST(ReportDocumentTest, SimulatedLabelOnThePageEveryTableAndEveryChart) {
  const ReportDocument doc = StudyDocument(true);
  const std::string html = RenderHtml(doc);
  EXPECT_NE(html.find("id=\"simulated-banner\""), std::string::npos);
  EXPECT_NE(RenderMarkdown(doc).find(kSimulatedBanner), std::string::npos);
  for (const Section& s : doc.sections) {
    for (const Block& b : s.blocks) {
      if (const auto* t = std::get_if<ReportTable>(&b)) {
        EXPECT_EQ(t->shown.caption.rfind(kSimulatedLabel, 0), 0u) << t->shown.id;
      } else {
        const Chart& c = std::get<Chart>(b);
        EXPECT_NE(c.svg.find("(SIMULATED)</title>"), std::string::npos) << c.file;
      }
    }
  }
  const ReportDocument real = StudyDocument(false);
  EXPECT_EQ(RenderHtml(real).find("SIMULATED"), std::string::npos);
}

TEST(ReportDocumentTest, HtmlIsSelfContained) {
  const std::string html = RenderHtml(StudyDocument(true));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  // The only "http" is the SVG namespace name, which is never fetched.
  EXPECT_EQ(Count(html, "http://"), Count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  for (std::size_t at = html.find("href=\""); at != std::string::npos;
       at = html.find("href=\"", at + 1)) {
    EXPECT_EQ(html[at + 6], '#') << html.substr(at, 40);
  }
  EXPECT_EQ(Count(html, "<svg "), 4);  // 3 trajectories and the cost chart
}

TEST(ReportDocumentTest, RerunWritesIdenticalBytes) {
  testing::TempDir dir;
  const ReportDocument doc = StudyDocument(true);
  auto first = WriteReport(doc, dir.path());
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::map<std::string, std::string> before;
  for (const auto& p : *first) before[p] = *ReadFile(p);
  auto second = WriteReport(StudyDocument(true), dir.path());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  for (const auto& p : *second) EXPECT_EQ(*ReadFile(p), before[p]) << p;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/charts/cost.svg"));
}

}  // namespace
}  // namespace judgeopt::report
