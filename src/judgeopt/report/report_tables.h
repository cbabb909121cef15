#pragma once
// The report's tables built from the model: Table 1 (per configuration, the study's layout),
// the per-step table of each configuration, cost, Table 2 (cherry-pick) and the diagnostic
// tables. Each comes as the table shown (formatted cells) and its data twin (raw numbers for
// CSV; twins with the same id are one CSV file). Pure functions.

#include <string>
#include <vector>

#include "judgeopt/report/report_model.h"
#include "judgeopt/report/table.h"

namespace judgeopt::report {

/// A table as shown (Markdown, HTML) and as data (CSV; none when data.id is empty). Plain value.
struct ReportTable {
  Table shown;
  Table data;
};

/// The label every caption starts with when the report is built from simulated runs.
inline constexpr const char* kSimulatedLabel = "SIMULATED";

/// "0.284" (three decimals), "—" for a spread with no values.
std::string FormatMean(const Spread& s);
/// "0.284 ± 0.012", "—" for a spread with no values.
std::string FormatMeanStd(const Spread& s);
/// The shortest text that reads back to `v` ("0.25", "4", "1e-05"): CSV numbers.
std::string RawNumber(double v);

/// Table 1, per dataset: a row per configuration with the initial, best (and its step) and
/// final mean ± std of the criterion-averaged test Spearman over seeds, the change and the final
/// hypervolume (Spearman and OffByOne); then a second table with each criterion's Spearman at
/// the best step (its numbers are in the first table's CSV twin).
std::vector<ReportTable> Table1Tables(const ReportModel& model);

/// Per dataset, one row per run (configuration order, then seeds): status, calls, dollars, the
/// final test Spearman per criterion and averaged, and the run's prompt hypervolume (HV⁺ ρ,
/// PromptHypervolume). Data id "run-metrics" ("run-metrics-<dataset>" with several datasets).
std::vector<ReportTable> RunMetricsTables(const ReportModel& model);

/// The criterion pairs of `config`'s conflict heatmap: edit pairs classified agree, independent
/// and contradict summed over its runs and steps, and the contradict share. Data id "conflicts".
ReportTable ConflictTable(const ReportModel& model, const Configuration& config);

/// One row per evaluated step of `config`: per-criterion Spearman, the averages, the
/// hypervolumes and the seeds counted; the best step is marked with †. Data id "trajectories"
/// (long form: one row per step and criterion, plus "average").
ReportTable StepTable(const ReportModel& model, const Configuration& config);

/// The hypervolume series of every configuration (data only, id "hypervolume").
Table HypervolumeData(const ReportModel& model);

/// Calls, cache hits, errors, tokens and dollars per configuration (id "cost").
ReportTable CostTable(const ReportModel& model);

/// Table 2 per stored cherry-pick result (initial, single-task pick and stitched prompt per
/// criterion), then the picks. Empty when the model has none.
std::vector<ReportTable> CherrypickTables(const ReportModel& model);

/// A diagnostic's tables (by configuration and by mode) for each summary.
std::vector<ReportTable> DiagnosticTables(const ReportModel& model,
                                          const std::vector<DiagnosticSummary>& summaries);

/// "Gradient specificity" or "Feedback adherence".
std::string DiagnosticTitle(const std::string& kind);

}  // namespace judgeopt::report
