#include "judgeopt/report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace judgeopt::report {
namespace {

constexpr double kWidth = 680;
constexpr double kCharWidth = 6.6;  // rough width of one 11px character, for layout only
constexpr double kLegendRow = 18;
constexpr const char* kGridColor = "#e3e3e3";
constexpr const char* kAxisColor = "#555555";

// A linear map from a data range onto a pixel range.
struct Scale {
  double d0, d1, p0, p1;
  double operator()(double v) const {
    return d1 == d0 ? (p0 + p1) / 2 : p0 + (v - d0) / (d1 - d0) * (p1 - p0);
  }
};

struct Range {
  double lo = 0;
  double hi = 0;
  bool any = false;
  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  }
};

double TextWidth(const std::string& s, double size = 11) {
  return static_cast<double>(s.size()) * kCharWidth * size / 11.0;
}

void Title(SvgWriter& svg, const std::string& title, const std::string& note) {
  svg.Text({12, 20}, title, {.size = 14, .anchor = "start", .fill = "#111111", .bold = true});
  if (!note.empty()) svg.Text({12, 36}, note, {.size = 11, .fill = "#444444"});
}

// Legend entries laid out left to right, wrapping at the chart width; returns the rows used.
struct LegendEntry {
  std::string name;
  std::string color;
  bool dashed = false;
  bool star = false;
};

int LegendRows(const std::vector<LegendEntry>& entries, double left, double right) {
  double x = left;
  int rows = entries.empty() ? 0 : 1;
  for (const auto& e : entries) {
    const double w = 30 + TextWidth(e.name) + 14;
    if (x + w > right && x > left) {
      ++rows;
      x = left;
    }
    x += w;
  }
  return rows;
}

std::vector<Point> StarPoints(Point c, double r) {
  std::vector<Point> out;
  for (int i = 0; i < 10; ++i) {
    const double radius = i % 2 == 0 ? r : r * 0.45;
    const double a = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
    out.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
  }
  return out;
}

void DrawLegend(SvgWriter& svg, const std::vector<LegendEntry>& entries, double left, double right,
                double top) {
  if (entries.empty()) return;
  svg.BeginGroup("legend");
  double x = left;
  double y = top;
  for (const auto& e : entries) {
    const double w = 30 + TextWidth(e.name) + 14;
    if (x + w > right && x > left) {
      x = left;
      y += kLegendRow;
    }
    if (e.star) {
      svg.Path(StarPoints({x + 12, y - 4}, 6), {.fill = e.color, .css_class = "legend-key"});
    } else {
      svg.Line({x, y - 4}, {x + 24, y - 4},
               {.stroke = e.color,
                .stroke_width = 2.5,
                .dash = e.dashed ? "6 3" : "",
                .css_class = "legend-key"});
    }
    svg.Text({x + 30, y}, e.name, {.size = 11});
    x += w;
  }
  svg.EndGroup();
}

void DrawYAxis(SvgWriter& svg, const std::vector<double>& ticks, const Scale& y, double x_axis,
               double plot_left, double plot_right, bool right_side, bool grid) {
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    const double py = y(t);
    if (grid)
      svg.Line({plot_left, py}, {plot_right, py}, {.stroke = kGridColor, .css_class = "grid"});
    const double tx = right_side ? x_axis + 6 : x_axis - 6;
    svg.Text({tx, py + 4}, TickLabel(t, step),
             {.size = 10, .anchor = right_side ? "start" : "end", .fill = kAxisColor});
  }
  svg.Line({x_axis, y.p0}, {x_axis, y.p1}, {.stroke = kAxisColor, .css_class = "axis"});
}

std::pair<std::vector<double>, Scale> Axis(Range r, std::optional<std::pair<double, double>> fixed,
                                           double p0, double p1, int target, bool integer = false) {
  if (fixed) {
    r.lo = fixed->first;
    r.hi = fixed->second;
    r.any = true;
  }
  if (!r.any) r = {0, 1, true};
  std::vector<double> ticks =
      integer ? IntegerTicks(r.lo, r.hi, target) : NiceTicks(r.lo, r.hi, target);
  return {ticks, Scale{ticks.front(), ticks.back(), p0, p1}};
}

std::vector<Point> ToPixels(const std::vector<double>& xs, const std::vector<double>& ys,
                            const Scale& x, const Scale& y) {
  std::vector<Point> out;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (std::isfinite(ys[i])) out.push_back({x(xs[i]), y(ys[i])});
  }
  return out;
}

void DrawLines(SvgWriter& svg, const std::vector<LineSeries>& lines, const Scale& x,
               const Scale& y) {
  for (const auto& s : lines) {
    const std::vector<Point> pts = ToPixels(s.xs, s.ys, x, y);
    svg.Polyline(pts, {.stroke = s.color,
                       .stroke_width = s.width,
                       .dash = s.dashed ? "6 3" : "",
                       .css_class = "series"});
    if (s.markers || pts.size() == 1) {
      for (const Point& p : pts) svg.Circle(p, 2.5, {.fill = s.color, .css_class = "marker"});
    }
  }
}

}  // namespace

std::string SeriesColor(std::size_t i) {
  static constexpr const char* kColors[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                            "#CC79A7", "#56B4E9", "#8C6D31", "#6A3D9A"};
  return kColors[i % 8];
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo < 1e-12) {
    const double pad = std::abs(lo) > 1e-12 ? std::abs(lo) * 0.1 : 0.5;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm <= 1     ? 1
                       : norm <= 2   ? 2
                       : norm <= 2.5 ? 2.5
                       : norm <= 5   ? 5
                                     : 10) *
                      mag;
  const double start = std::floor(lo / step + 1e-9) * step;
  const double end = std::ceil(hi / step - 1e-9) * step;
  const int count = static_cast<int>(std::lround((end - start) / step)) + 1;
  std::vector<double> ticks;
  for (int i = 0; i < count; ++i) {
    double t = start + i * step;
    if (std::abs(t) < step * 1e-9) t = 0;
    ticks.push_back(t);
  }
  if (ticks.size() == 1) ticks.push_back(ticks[0] + step);
  return ticks;
}

std::vector<double> IntegerTicks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  double step = 1;
  for (int i = 0; (hi - lo) / step > std::max(max_ticks - 1, 1); ++i) {
    step *= i % 3 == 1 ? 2.5 : 2;  // 1, 2, 5, 10, 20, 50, ...
  }
  const double start = std::floor(lo / step) * step;
  double end = std::ceil(hi / step) * step;
  if (end <= start) end = start + step;
  std::vector<double> ticks;
  for (double t = start; t <= end + step / 2; t += step) ticks.push_back(t);
  return ticks;
}

std::string TickLabel(double value, double step) {
  int decimals = 0;
  while (decimals < 4) {
    const double scaled = std::abs(step) * std::pow(10.0, decimals);
    if (std::abs(scaled - std::round(scaled)) < 1e-6) break;
    ++decimals;
  }
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

std::string RenderLineChart(const LineChartSpec& spec) {
  std::vector<LegendEntry> legend;
  for (const auto& l : spec.lines) legend.push_back({l.name, l.color, l.dashed});
  for (const auto& l : spec.right_lines) legend.push_back({l.name, l.color, l.dashed});
  if (spec.star) legend.push_back({spec.star_label, "#111111", false, true});
  const bool right_axis = !spec.right_lines.empty();
  const double left = 62, right = kWidth - (right_axis ? 62 : 20), top = 44;
  const int rows = LegendRows(legend, 12, kWidth - 12);
  const double plot_h = 250;
  const double height = top + plot_h + 44 + rows * kLegendRow + 6;
  SvgWriter svg(kWidth, height, spec.title);
  Title(svg, spec.title, "");

  Range xr, yr, y2r;
  for (const auto& b : spec.bands) {
    for (double v : b.xs) xr.Add(v);
    for (double v : b.lo) yr.Add(v);
    for (double v : b.hi) yr.Add(v);
  }
  for (const auto& l : spec.lines) {
    for (double v : l.xs) xr.Add(v);
    for (double v : l.ys) yr.Add(v);
  }
  for (const auto& l : spec.right_lines) {
    for (double v : l.xs) xr.Add(v);
    for (double v : l.ys) y2r.Add(v);
  }
  auto [yticks, y] = Axis(yr, spec.y_range, top + plot_h, top, 5);
  auto [xticks, x] = Axis(xr, std::nullopt, left, right, 8, spec.integer_x);
  svg.Rect(left, top, right - left, plot_h,
           {.fill = "#ffffff", .stroke = kGridColor, .css_class = "plot-bg"});
  svg.BeginGroup("axes");
  DrawYAxis(svg, yticks, y, left, left, right, false, true);
  const double xstep = xticks.size() > 1 ? xticks[1] - xticks[0] : 1;
  for (double t : xticks) {
    svg.Line({x(t), top + plot_h}, {x(t), top + plot_h + 4}, {.stroke = kAxisColor});
    svg.Text({x(t), top + plot_h + 16}, TickLabel(t, xstep),
             {.size = 10, .anchor = "middle", .fill = kAxisColor});
  }
  svg.Line({left, top + plot_h}, {right, top + plot_h},
           {.stroke = kAxisColor, .css_class = "axis"});
  svg.Text({(left + right) / 2, top + plot_h + 32}, spec.x_label, {.size = 11, .anchor = "middle"});
  svg.Text({16, top + plot_h / 2}, spec.y_label, {.size = 11, .anchor = "middle", .rotate = -90});
  svg.EndGroup();

  svg.BeginGroup("data");
  for (const auto& b : spec.bands) {
    std::vector<Point> poly = ToPixels(b.xs, b.hi, x, y);
    std::vector<Point> lower = ToPixels(b.xs, b.lo, x, y);
    poly.insert(poly.end(), lower.rbegin(), lower.rend());
    svg.Polygon(poly, {.fill = b.color, .opacity = 0.15, .css_class = "band"});
  }
  DrawLines(svg, spec.lines, x, y);
  if (right_axis) {
    auto [y2ticks, y2] = Axis(y2r, spec.y2_range, top + plot_h, top, 5);
    DrawLines(svg, spec.right_lines, x, y2);
    DrawYAxis(svg, y2ticks, y2, right, left, right, true, false);
    svg.Text({kWidth - 14, top + plot_h / 2}, spec.y2_label,
             {.size = 11, .anchor = "middle", .rotate = 90});
  }
  if (spec.star) {
    svg.Path(StarPoints({x(spec.star->first), y(spec.star->second)}, 8),
             {.fill = "#111111", .stroke = "#ffffff", .css_class = "best"});
  }
  svg.EndGroup();
  DrawLegend(svg, legend, 12, kWidth - 12, top + plot_h + 56);
  return svg.Finish();
}

std::string RenderBarChart(const BarChartSpec& spec) {
  const double left = 62, right = kWidth - 140, top = spec.note.empty() ? 44 : 58;
  const double plot_h = 240;
  SvgWriter svg(kWidth, top + plot_h + 44, spec.title);
  Title(svg, spec.title, spec.note);
  Range yr;
  yr.Add(0);
  for (const auto& b : spec.bars) yr.Add(b.value + b.error.value_or(0));
  for (const auto& l : spec.lines) yr.Add(l.value);
  std::optional<std::pair<double, double>> range = spec.y_range;
  if (range) range = std::make_pair(std::min(range->first, yr.lo), std::max(range->second, yr.hi));
  auto [ticks, y] = Axis(yr, range, top + plot_h, top, 5);
  svg.Rect(left, top, right - left, plot_h,
           {.fill = "#ffffff", .stroke = kGridColor, .css_class = "plot-bg"});
  svg.BeginGroup("axes");
  DrawYAxis(svg, ticks, y, left, left, right, false, true);
  svg.Line({left, top + plot_h}, {right, top + plot_h},
           {.stroke = kAxisColor, .css_class = "axis"});
  svg.Text({16, top + plot_h / 2}, spec.y_label, {.size = 11, .anchor = "middle", .rotate = -90});
  svg.EndGroup();
  svg.BeginGroup("data");
  const double slot = (right - left) / std::max<std::size_t>(spec.bars.size(), 1);
  for (std::size_t i = 0; i < spec.bars.size(); ++i) {
    const Bar& b = spec.bars[i];
    const double cx = left + slot * (i + 0.5);
    const double w = std::min(slot * 0.6, 70.0);
    const double y0 = y(std::max(ticks.front(), 0.0));
    const double yv = y(b.value);
    svg.Rect(cx - w / 2, std::min(y0, yv), w, std::abs(y0 - yv),
             {.fill = b.color.empty() ? SeriesColor(i) : b.color, .css_class = "bar"});
    double label_y = yv;
    if (b.error) {
      const double hi = y(b.value + *b.error), lo = y(b.value - *b.error);
      const Style whisker{.stroke = "#222222", .stroke_width = 1.2, .css_class = "whisker"};
      svg.Line({cx, lo}, {cx, hi}, whisker);
      svg.Line({cx - 6, hi}, {cx + 6, hi}, whisker);
      svg.Line({cx - 6, lo}, {cx + 6, lo}, whisker);
      label_y = hi;
    }
    if (!b.value_text.empty()) {
      svg.Text({cx, label_y - 5}, b.value_text, {.size = 10, .anchor = "middle"});
    }
    svg.Text({cx, top + plot_h + 16}, b.label, {.size = 11, .anchor = "middle"});
  }
  for (const auto& l : spec.lines) {
    const double py = y(l.value);
    svg.Line({left, py}, {right, py},
             {.stroke = l.color, .stroke_width = 1.5, .dash = "6 3", .css_class = "refline"});
    svg.Text({right + 6, py + 4}, l.label, {.size = 10, .fill = l.color});
  }
  svg.EndGroup();
  return svg.Finish();
}

std::string RenderHorizontalBars(const HorizontalBarsSpec& spec) {
  double label_w = 60;
  for (const auto& r : spec.rows) label_w = std::max(label_w, TextWidth(r) + 16);
  label_w = std::min(label_w, 300.0);
  const double top = 56, row_h = 22;
  const double height = top + row_h * static_cast<double>(spec.rows.size()) + 16;
  SvgWriter svg(kWidth, height, spec.title);
  Title(svg, spec.title, "");
  const double panel_w =
      (kWidth - label_w - 12) / static_cast<double>(std::max<std::size_t>(spec.panels.size(), 1));
  svg.BeginGroup("axes");
  for (std::size_t r = 0; r < spec.rows.size(); ++r) {
    svg.Text({label_w - 8, top + row_h * r + 15}, spec.rows[r], {.size = 11, .anchor = "end"});
  }
  svg.EndGroup();
  svg.BeginGroup("data");
  for (std::size_t p = 0; p < spec.panels.size(); ++p) {
    const BarPanel& panel = spec.panels[p];
    const double x0 = label_w + panel_w * p;
    svg.Text({x0, top - 10}, panel.heading, {.size = 12, .bold = true});
    double max = 0;
    for (double v : panel.values) max = std::max(max, v);
    const double room = panel_w - 90;  // space for the value text
    for (std::size_t r = 0; r < spec.rows.size() && r < panel.values.size(); ++r) {
      const double w = max > 0 ? panel.values[r] / max * room : 0;
      svg.Rect(x0, top + row_h * r + 4, std::max(w, 1.0), row_h - 8,
               {.fill = panel.color, .css_class = "bar"});
      if (r < panel.value_texts.size()) {
        svg.Text({x0 + std::max(w, 1.0) + 5, top + row_h * r + 15}, panel.value_texts[r],
                 {.size = 10});
      }
    }
    svg.Line({x0, top}, {x0, top + row_h * spec.rows.size()},
             {.stroke = kAxisColor, .css_class = "axis"});
  }
  svg.EndGroup();
  return svg.Finish();
}

}  // namespace judgeopt::report
