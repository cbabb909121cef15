// report.html rendered by headless Chromium: every table arrives in the DOM with rows and every
// chart with drawn SVG elements. Skipped, with a message, where Chromium is not installed
// (scripts/install-deps.sh installs it, so CI runs it).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "cpp/report/report_fixtures.h"
#include "cpp/report/xml_check.h"
#include "judgeopt/report/report_document.h"
#include "judgeopt/report/report_source.h"

namespace judgeopt::report {
namespace {

using testing::Count;

// The first of chromium / chromium-browser found on PATH, or "".
std::string FindChromium() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "";
}

// Stdout of `command` (stderr discarded) and its exit status.
std::pair<int, std::string> Capture(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[8192];
  while (std::size_t n = fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The DOM text of the element that opens with `open_tag_start` (e.g. `<table class="data"
// id="x"`) up to the first `close_tag` after it; "" when absent.
std::string Element(const std::string& dom, const std::string& open_tag_start,
                    const std::string& close_tag) {
  const std::size_t at = dom.find(open_tag_start);
  if (at == std::string::npos) return "";
  const std::size_t end = dom.find(close_tag, at);
  return dom.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// A report of runs written through the run store and read back, as `judgeopt report` does.
ReportDocument StoredStudyReport(const std::filesystem::path& dir) {
  const std::string db = (dir / "runs.db").string();
  {
    auto runs = store::RunStore::Open(db);
    EXPECT_TRUE(runs.ok());
    for (const ReportRun& r : testing::SmallStudy()) testing::StoreRun(**runs, r);
    testing::StoreRun(**runs, testing::ConflictRun());
  }
  testing::StoreAnalyses(db);
  auto reader = store::RunReader::Open(db);
  EXPECT_TRUE(reader.ok());
  auto listed = reader->ListRuns();
  EXPECT_TRUE(listed.ok());
  const SelectorContext ctx{*listed, reader->db()};
  auto ids = SelectRuns(ctx, {{}, true}, DefaultSelectorRules());
  EXPECT_TRUE(ids.ok());
  auto input = LoadReportInput(*reader, *ids);
  EXPECT_TRUE(input.ok());
  auto model = BuildReportModel(*input);
  EXPECT_TRUE(model.ok());
  return BuildDocument(*model);
}

TEST(ReportBrowserTest, ChromiumRendersEveryTableAndChart) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "Chromium is not installed (neither chromium nor chromium-browser is on "
                    "PATH); `bash scripts/install-deps.sh` installs it. Browser test skipped.";
  }
  testing::TempDir dir;
  const std::filesystem::path root = dir.path();
  const ReportDocument doc = StoredStudyReport(root);
  const std::filesystem::path out = root / "report";
  ASSERT_TRUE(WriteReport(doc, out.string()).ok());
  const std::string command =
      "timeout 120 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
      " --user-data-dir=" +
      (root / "profile").string() + " --dump-dom file://" +
      std::filesystem::absolute(out / "report.html").string();
  const auto [code, dom] = Capture(command);
  ASSERT_EQ(code, 0) << "chromium failed: " << command;
  ASSERT_NE(dom.find("<main>"), std::string::npos) << dom.substr(0, 500);
  EXPECT_NE(dom.find("id=\"simulated-banner\""), std::string::npos);

  int tables = 0, charts = 0;
  for (const Section& s : doc.sections) {
    EXPECT_NE(dom.find("<section id=\"" + s.id + "\">"), std::string::npos) << s.id;
    for (const Block& b : s.blocks) {
      if (const auto* t = std::get_if<ReportTable>(&b)) {
        ++tables;
        const std::string table =
            Element(dom, "<table class=\"data\" id=\"" + t->shown.id + "\"", "</table>");
        ASSERT_FALSE(table.empty()) << "table " << t->shown.id << " missing from the DOM";
        const std::string body = Element(table, "<tbody>", "</tbody>");
        EXPECT_GT(Count(body, "<tr>"), 0) << "table " << t->shown.id << " has no rows";
        EXPECT_EQ(Count(body, "<tr>"), static_cast<int>(t->shown.rows.size())) << t->shown.id;
      } else {
        ++charts;
        const Chart& c = std::get<Chart>(b);
        const std::string stem = c.file.substr(0, c.file.rfind('.'));
        const std::string figure =
            Element(dom, "<figure class=\"chart\" id=\"chart-" + stem, "</figure>");
        ASSERT_FALSE(figure.empty()) << "chart " << c.file << " missing from the DOM";
        const std::string svg = Element(figure, "<svg", "</svg>");
        ASSERT_FALSE(svg.empty()) << "chart " << c.file << " has no <svg>";
        const int drawn = Count(svg, "class=\"series\"") + Count(svg, "class=\"bar\"") +
                          Count(svg, "class=\"band\"") + Count(svg, "class=\"cell\"");
        EXPECT_GT(drawn, 0) << "chart " << c.file << " draws nothing";
        EXPECT_GT(Count(svg, "<text"), 2) << "chart " << c.file << " has no labels";
      }
    }
  }
  // Table 1 and its criteria, 4 step tables (ST, SSS, CCC, SPC), SPC's conflict pairs, Table 2
  // and its picks, specificity and adherence by configuration and by mode, cost, runs and runs'
  // metrics; 4 trajectories, SPC's conflict heatmap, specificity, adherence, cost.
  EXPECT_EQ(tables, 16);
  EXPECT_EQ(charts, 8);
  EXPECT_EQ(Count(dom, "<table class=\"data\""), tables);
  EXPECT_EQ(Count(dom, "<svg "), charts);
}

}  // namespace
}  // namespace judgeopt::report
