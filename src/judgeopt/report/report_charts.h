#pragma once
// The report's charts built from the model, as SVG text: a trajectory chart per configuration
// (reference-protocol §10.6), the cost chart and a bar chart per diagnostic summary. Pure
// functions; titles carry the SIMULATED label when the model is simulated.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/report/report_model.h"

namespace judgeopt::report {

/// One chart: its file name under charts/, a caption, and the SVG text. Plain value.
struct Chart {
  std::string file;  // e.g. "trajectory-summeval-textgrad-sss-mae.svg"
  std::string caption;
  std::string svg;
};

/// The Spearman hypervolume range shared by every trajectory chart (nullopt when no
/// configuration has one), so charts compare at a glance.
std::optional<std::pair<double, double>> SharedHypervolumeRange(const ReportModel& model);

/// Per-criterion mean test Spearman over seeds with a min-max band, the criterion average with a
/// star at its best step, and the hypervolume on a right axis (`hv_range`; none for ST).
Chart TrajectoryChart(const ReportModel& model, const Configuration& config,
                      std::optional<std::pair<double, double>> hv_range);

/// Calls and dollars per configuration, side by side.
Chart CostChart(const ReportModel& model);

/// Mean score by mode with ±std whiskers and dashed lines at the per-criterion and combined
/// gradient group means, labelled with the drop.
Chart DiagnosticChart(const ReportModel& model, const DiagnosticSummary& summary);

/// `config`'s conflict heatmap (Configuration::conflicts, which must be set): per pair of
/// criteria, the share of its edit pairs classified "contradict", summed over runs and steps.
Chart ConflictChart(const ReportModel& model, const Configuration& config);

/// Every chart of the report, in page order.
std::vector<Chart> AllCharts(const ReportModel& model);

}  // namespace judgeopt::report
