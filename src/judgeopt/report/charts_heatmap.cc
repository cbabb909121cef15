// The heatmap chart (charts.h): a labelled square matrix of shares with a colour scale.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "judgeopt/report/charts.h"

namespace judgeopt::report {
namespace {

constexpr double kWidth = 680;
constexpr double kLabelCharWidth = 6.6;  // rough width of one 11px character, for layout only
constexpr double kMaxCell = 64;
constexpr const char* kAbsentColor = "#eeeeee";

double LabelWidth(const std::vector<std::string>& labels) {
  std::size_t longest = 0;
  for (const auto& l : labels) longest = std::max(longest, l.size());
  return static_cast<double>(longest) * kLabelCharWidth;
}

int Channel(double from, double to, double t) {
  return static_cast<int>(std::lround(from + (to - from) * t));
}

void DrawScale(SvgWriter& svg, const std::string& label, double left, double top) {
  svg.BeginGroup("scale");
  const double swatch = 28;
  for (int i = 0; i <= 4; ++i) {
    const double share = i / 4.0;
    const double x = left + i * (swatch + 18);
    svg.Rect(x, top, swatch, 14, {.fill = HeatColor(share), .stroke = "#999999"});
    svg.Text({x + swatch / 2, top + 28}, fmt::format("{:.2f}", share),
             {.size = 10, .anchor = "middle"});
  }
  svg.Text({left + 5 * (swatch + 18) + 4, top + 11}, label, {.size = 11, .fill = "#444444"});
  svg.EndGroup();
}

}  // namespace

std::string HeatColor(double share) {
  const double t = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
  return fmt::format("#{:02x}{:02x}{:02x}", Channel(255, 178, t), Channel(255, 24, t),
                     Channel(255, 43, t));
}

std::string RenderHeatmap(const HeatmapSpec& spec) {
  const std::size_t n = spec.labels.size();
  const double label_w = LabelWidth(spec.labels);
  const double left = 16 + label_w + 10;
  // The last column's slanted label reaches about label_w * 0.72 to the right of its middle.
  const double room = std::max(24.0 * n, kWidth - left - 24 - label_w * 0.72);
  const double cell = n == 0 ? kMaxCell : std::min(kMaxCell, room / n);
  const double header = spec.note.empty() ? 40 : 56;
  const double top = header + label_w * 0.72 + 14;  // room for the slanted column labels
  const double height = top + cell * n + 56;
  SvgWriter svg(kWidth, height, spec.title);
  svg.Text({12, 20}, spec.title, {.size = 14, .fill = "#111111", .bold = true});
  if (!spec.note.empty()) svg.Text({12, 36}, spec.note, {.size = 11, .fill = "#444444"});
  svg.BeginGroup("labels");
  for (std::size_t i = 0; i < n; ++i) {
    const double mid = i * cell + cell / 2;
    svg.Text({left - 8, top + mid + 4}, spec.labels[i], {.size = 11, .anchor = "end"});
    svg.Text({left + mid, top - 8}, spec.labels[i], {.size = 11, .rotate = -45});
  }
  svg.EndGroup();
  svg.BeginGroup("cells");
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < n; ++c) {
      std::optional<double> v;
      if (r < spec.values.size() && c < spec.values[r].size()) v = spec.values[r][c];
      const double x = left + c * cell, y = top + r * cell;
      svg.Rect(x, y, cell, cell,
               {.fill = v ? HeatColor(*v) : kAbsentColor, .stroke = "#ffffff",
                .stroke_width = 2, .css_class = "cell"});
      const bool dark = v && *v > 0.55;
      svg.Text({x + cell / 2, y + cell / 2 + 4}, v ? fmt::format("{:.2f}", *v) : "—",
               {.size = std::min(12.0, cell / 3.5),
                .anchor = "middle",
                .fill = dark ? "#ffffff" : "#222222"});
    }
  }
  svg.Rect(left, top, cell * n, cell * n, {.stroke = "#cccccc", .css_class = "frame"});
  svg.EndGroup();
  DrawScale(svg, spec.scale_label, left, top + cell * n + 18);
  return svg.Finish();
}

}  // namespace judgeopt::report
