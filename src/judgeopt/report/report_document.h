#pragma once
// The whole report as sections of tables and charts, and its renderings: report.md, report.html
// (self-contained: inline CSS and SVG, no scripts, no network) and the files of the output
// folder (Markdown, one CSV per data table, one SVG per chart). Pure functions except
// WriteReport; the same model gives the same bytes.

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/report/report_charts.h"
#include "judgeopt/report/report_model.h"
#include "judgeopt/report/report_tables.h"

namespace judgeopt::report {

/// A part of a section: a table or a chart.
using Block = std::variant<ReportTable, Chart>;

/// One section of the report. `empty_note` is shown instead of blocks when there are none (e.g.
/// no cherry-pick was recorded). Plain value.
struct Section {
  std::string id;
  std::string title;
  std::string intro;
  std::vector<Block> blocks;
  std::string empty_note;
};

/// The report. Plain value.
struct ReportDocument {
  std::string title;
  bool simulated = false;
  std::string summary;  // one paragraph: runs, configurations, datasets
  std::vector<Section> sections;
  std::vector<Table> extra_data;  // data tables with no shown twin (hypervolume series)
};

/// The sentence on every page built from simulated runs.
inline constexpr const char* kSimulatedBanner =
    "SIMULATED: every number in this report comes from judgeopt's offline simulator; they are "
    "consequences of its rules, not findings about LLMs.";

/// Sections: Table 1, trajectories (chart and step table per configuration), conflicts between
/// criteria (heatmap and pair table per configuration; only when some run stored conflict
/// matrices), Table 2 (cherry-pick), gradient specificity, feedback adherence, cost, runs (per
/// configuration, then per run with cost, final metrics and hypervolume).
ReportDocument BuildDocument(const ReportModel& model);

/// report.md: the banner, every table as Markdown, charts as image links to charts/<file>.
std::string RenderMarkdown(const ReportDocument& doc);

/// report.html: one self-contained page for a laptop screen (max-width layout, tables that
/// scroll sideways when wide), every chart inlined, a SIMULATED banner when simulated.
std::string RenderHtml(const ReportDocument& doc);

/// Every output file by relative path: report.md, report.html, <data id>.csv (twins with the
/// same id merged in order), charts/<file>.svg.
std::map<std::string, std::string> ReportFiles(const ReportDocument& doc);

/// Writes ReportFiles into `dir` (created when missing), each file atomically; returns the
/// paths written, sorted.
Result<std::vector<std::string>> WriteReport(const ReportDocument& doc, const std::string& dir);

}  // namespace judgeopt::report
