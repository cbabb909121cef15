#include "judgeopt/report/report_charts.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/report/charts.h"
#include "judgeopt/report/report_tables.h"

namespace judgeopt::report {
namespace {

std::string Titled(const ReportModel& model, std::string title) {
  return model.simulated ? title + " (" + kSimulatedLabel + ")" : title;
}

bool AnyBand(const Configuration& c) {
  for (const auto& s : c.steps) {
    for (const auto& sp : s.spearman) {
      if (sp.n > 1) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::pair<double, double>> SharedHypervolumeRange(const ReportModel& model) {
  std::optional<std::pair<double, double>> out;
  for (const auto& c : model.configurations) {
    for (const auto& s : c.steps) {
      if (!s.hv_spearman) continue;
      const double v = *s.hv_spearman;
      out = out ? std::make_pair(std::min(out->first, v), std::max(out->second, v))
                : std::make_pair(v, v);
    }
  }
  return out;
}

Chart TrajectoryChart(const ReportModel& model, const Configuration& c,
                      std::optional<std::pair<double, double>> hv_range) {
  LineChartSpec spec;
  spec.title = Titled(model, c.label + ": test Spearman");
  spec.x_label = "step";
  spec.integer_x = true;
  spec.y_label = "Spearman ρ (mean over seeds)";
  const bool bands = AnyBand(c);
  for (std::size_t k = 0; k < c.criteria.size(); ++k) {
    LineSeries line{.name = c.criteria[k], .color = SeriesColor(k), .markers = true};
    BandSeries band{.color = line.color};
    for (const auto& s : c.steps) {
      const Spread& sp = s.spearman[k];
      if (sp.n == 0) continue;
      line.xs.push_back(s.step);
      line.ys.push_back(sp.mean);
      band.xs.push_back(s.step);
      band.lo.push_back(sp.min);
      band.hi.push_back(sp.max);
    }
    if (bands) spec.bands.push_back(std::move(band));
    spec.lines.push_back(std::move(line));
  }
  LineSeries avg{.name = "average", .color = "#111111", .width = 2.8};
  for (const auto& s : c.steps) {
    if (s.avg_spearman.n == 0) continue;
    avg.xs.push_back(s.step);
    avg.ys.push_back(s.avg_spearman.mean);
  }
  spec.lines.push_back(std::move(avg));
  if (const StepStats* best = c.Best()) {
    spec.star = std::make_pair(static_cast<double>(best->step), best->avg_spearman.mean);
    spec.star_label = fmt::format("best average (step {})", best->step);
  }
  if (c.HasHypervolume()) {
    LineSeries hv{
        .name = "hypervolume (right axis)", .color = "#7a7a7a", .width = 2, .dashed = true};
    for (const auto& s : c.steps) {
      if (!s.hv_spearman) continue;
      hv.xs.push_back(s.step);
      hv.ys.push_back(*s.hv_spearman);
    }
    if (!hv.xs.empty()) {
      spec.right_lines.push_back(std::move(hv));
      spec.y2_label = "hypervolume (ref. −1)";
      spec.y2_range = hv_range;
    }
  }
  Chart chart;
  chart.file = "trajectory-" + c.id + ".svg";
  chart.caption = fmt::format(
      "{}: per-criterion mean over {} seed(s){}, the criterion average (star: best step){}.",
      c.label, c.seeds.size(), bands ? " with the min-max band" : "",
      c.HasHypervolume() ? " and the hypervolume series (right axis, common range)" : "");
  chart.svg = RenderLineChart(spec);
  return chart;
}

Chart CostChart(const ReportModel& model) {
  HorizontalBarsSpec spec;
  spec.title = Titled(model, "LLM calls and dollars per configuration");
  BarPanel calls{.heading = "calls", .color = SeriesColor(0)};
  BarPanel dollars{.heading = "dollars", .color = SeriesColor(1)};
  for (const auto& c : model.configurations) {
    spec.rows.push_back(c.label);
    calls.values.push_back(static_cast<double>(c.usage.calls));
    calls.value_texts.push_back(std::to_string(c.usage.calls));
    dollars.values.push_back(c.usage.usd);
    dollars.value_texts.push_back(fmt::format("${:.4f}", c.usage.usd));
  }
  spec.panels = {std::move(calls), std::move(dollars)};
  return {"cost.svg",
          "Calls (cache hits included) and dollars summed over each configuration's "
          "runs.",
          RenderHorizontalBars(spec)};
}

Chart DiagnosticChart(const ReportModel& model, const DiagnosticSummary& s) {
  BarChartSpec spec;
  spec.title = Titled(
      model, fmt::format("{} by mode: {}, {}", DiagnosticTitle(s.kind), s.dataset, s.algorithm));
  spec.y_label = "score (1-10), mean ± std";
  spec.y_range = std::make_pair(0.0, 10.0);
  for (std::size_t i = 0; i < s.by_mode.size(); ++i) {
    const DiagnosticCell& cell = s.by_mode[i];
    if (cell.overall.n == 0) continue;
    spec.bars.push_back({.label = cell.mode,
                         .value = cell.overall.mean,
                         .error = cell.overall.std,
                         .color = SeriesColor(i),
                         .value_text = fmt::format("{:.2f}", cell.overall.mean)});
  }
  if (s.per_criterion_group.n > 0) {
    spec.lines.push_back({fmt::format("per-criterion {:.2f}", s.per_criterion_group.mean),
                          s.per_criterion_group.mean, "#0b5394"});
  }
  if (s.combined_group.n > 0) {
    spec.lines.push_back(
        {fmt::format("combined {:.2f}", s.combined_group.mean), s.combined_group.mean, "#a61c00"});
  }
  if (s.drop_percent) {
    spec.note = fmt::format(
        "combined gradients (SCC, CCC) vs per-criterion (ST, SSS, SSC): {}% "
        "drop",
        *s.drop_percent);
  }
  Chart chart;
  chart.file = FileSafeId(fmt::format("{}-{}-{}", s.kind, s.dataset, s.algorithm)) + ".svg";
  chart.caption = fmt::format("{} of {} ({}) by mode, pooled over gates and seeds.",
                              DiagnosticTitle(s.kind), s.dataset, s.algorithm);
  chart.svg = RenderBarChart(spec);
  return chart;
}

Chart ConflictChart(const ReportModel& model, const Configuration& c) {
  const ConflictHeatmap& h = *c.conflicts;
  HeatmapSpec spec;
  spec.title = Titled(model, c.label + ": contradicting edit pairs");
  std::size_t runs = 0;
  for (const auto& seed : c.seeds) runs += seed.run_ids.size();
  spec.note = fmt::format("{} conflict matri{} summed over {} run(s)", h.matrices,
                          h.matrices == 1 ? "x" : "ces", runs);
  spec.labels = h.criteria;
  spec.scale_label = "share of edit pairs classified contradict";
  for (std::size_t i = 0; i < h.criteria.size(); ++i) {
    spec.values.emplace_back();
    for (std::size_t j = 0; j < h.criteria.size(); ++j) {
      spec.values.back().push_back(h.ContradictShare(i, j));
    }
  }
  Chart chart;
  chart.file = "conflicts-" + c.id + ".svg";
  chart.caption = fmt::format(
      "{}: for each pair of criteria, the share of edit pairs (one edit of each) classified "
      "contradict, summed over every step's conflict matrix; — on the diagonal and where no pair "
      "was classified.",
      c.label);
  chart.svg = RenderHeatmap(spec);
  return chart;
}

std::vector<Chart> AllCharts(const ReportModel& model) {
  std::vector<Chart> out;
  const auto hv_range = SharedHypervolumeRange(model);
  for (const auto& c : model.configurations) out.push_back(TrajectoryChart(model, c, hv_range));
  for (const auto& c : model.configurations) {
    if (c.conflicts) out.push_back(ConflictChart(model, c));
  }
  for (const auto& s : model.specificity) out.push_back(DiagnosticChart(model, s));
  for (const auto& s : model.adherence) out.push_back(DiagnosticChart(model, s));
  out.push_back(CostChart(model));
  return out;
}

}  // namespace judgeopt::report
