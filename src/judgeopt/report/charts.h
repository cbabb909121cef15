#pragma once
// Chart kinds the report draws, as plain specs rendered to standalone SVG text (svg.h): a line
// chart with min-max bands and an optional secondary axis, a vertical bar chart with error
// whiskers and reference lines, and side-by-side horizontal bar panels. Pure functions:
// deterministic output, every text escaped.

#include <optional>
#include <string>
#include <vector>

#include "judgeopt/report/svg.h"

namespace judgeopt::report {

/// Okabe-Ito colours, cycled for series i.
std::string SeriesColor(std::size_t i);

/// A line in data coordinates. Plain value.
struct LineSeries {
  std::string name = {};  // legend entry
  std::string color = {};
  std::vector<double> xs = {};
  std::vector<double> ys = {};
  double width = 1.5;
  bool dashed = false;
  bool markers = false;
};

/// A shaded area between `lo` and `hi` over `xs` (e.g. min-max over seeds). Plain value.
struct BandSeries {
  std::string color = {};
  std::vector<double> xs = {};
  std::vector<double> lo = {};
  std::vector<double> hi = {};
};

/// A line chart. Plain value.
struct LineChartSpec {
  std::string title = {};
  std::string x_label = {};
  bool integer_x = false;  // x values are whole numbers (steps): no fractional ticks
  std::string y_label = {};
  std::vector<BandSeries> bands = {};        // drawn first
  std::vector<LineSeries> lines = {};        // left axis
  std::vector<LineSeries> right_lines = {};  // secondary (right) axis; none: no such axis
  std::string y2_label = {};
  std::optional<std::pair<double, double>> y_range = {};   // else from the data
  std::optional<std::pair<double, double>> y2_range = {};  // else from the data
  /// A star at this data point (left axis), with its legend entry.
  std::optional<std::pair<double, double>> star = {};
  std::string star_label = {};
};

/// One bar. Plain value.
struct Bar {
  std::string label = {};
  double value = 0;
  std::optional<double> error = {};  // +/- whisker
  std::string color = {};
  std::string value_text = {};  // drawn above the bar ("" = none)
};

/// A horizontal reference line across a bar chart (e.g. a group mean). Plain value.
struct ReferenceLine {
  std::string label = {};
  double value = 0;
  std::string color = {};
};

/// A vertical bar chart. Plain value.
struct BarChartSpec {
  std::string title = {};
  std::string y_label = {};
  std::vector<Bar> bars = {};
  std::vector<ReferenceLine> lines = {};                  // dashed, labelled at the right
  std::optional<std::pair<double, double>> y_range = {};  // widened to fit bars and whiskers
  std::string note = {};                                  // one line under the title ("" = none)
};

/// One panel of horizontal bars: a heading and one value per row label. Plain value.
struct BarPanel {
  std::string heading = {};
  std::vector<double> values = {};            // aligned with HorizontalBarsSpec::rows
  std::vector<std::string> value_texts = {};  // drawn at the bar ends
  std::string color = {};
};

/// Rows of labelled horizontal bars in one or more side-by-side panels. Plain value.
struct HorizontalBarsSpec {
  std::string title = {};
  std::vector<std::string> rows = {};
  std::vector<BarPanel> panels = {};
};

/// A square matrix of shares in [0, 1] (e.g. criterion x criterion), each cell coloured from
/// white (0) to dark red (1) and labelled with its value; an absent cell is grey with "—".
/// Plain value.
struct HeatmapSpec {
  std::string title = {};
  std::string note = {};                                        // one line under the title
  std::vector<std::string> labels = {};                         // rows and columns
  std::vector<std::vector<std::optional<double>>> values = {};  // [row][column]
  std::string scale_label = {};                                 // what a value is (legend)
};

/// A share's fill: white at 0, dark red (#b2182b) at 1, linear in between (clamped).
std::string HeatColor(double share);

std::string RenderLineChart(const LineChartSpec& spec);
std::string RenderHeatmap(const HeatmapSpec& spec);
std::string RenderBarChart(const BarChartSpec& spec);
std::string RenderHorizontalBars(const HorizontalBarsSpec& spec);

/// Tick values covering [lo, hi] with a 1-2-2.5-5 step, about `target` of them; lo == hi is
/// widened. Used for every axis.
std::vector<double> NiceTicks(double lo, double hi, int target = 5);
/// Whole-number ticks covering [lo, hi] with a 1-2-5 step, at most `max_ticks` of them (axes of
/// steps).
std::vector<double> IntegerTicks(double lo, double hi, int max_ticks = 9);
/// A tick label with as many decimals as the tick step needs (at most 4).
std::string TickLabel(double value, double step);

}  // namespace judgeopt::report
