#include "judgeopt/report/report_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace judgeopt::report {
namespace {

constexpr const char* kNone = "—";

std::string Caption(const ReportModel& model, const std::string& text) {
  if (!model.simulated) return text;
  return std::string(kSimulatedLabel) + " (offline simulator, not LLM findings). " + text;
}

std::string Fixed3(double v) {
  std::string s = fmt::format("{:.3f}", v);
  return s == "-0.000" ? "0.000" : s;
}

std::string Signed3(double v) {
  const std::string s = Fixed3(v);
  return s[0] == '-' ? s : "+" + s;
}

std::string OptionalFixed(const std::optional<double>& v) { return v ? Fixed3(*v) : kNone; }
std::string OptionalRaw(const std::optional<double>& v) { return v ? RawNumber(*v) : ""; }
std::string RawMean(const Spread& s) { return s.n > 0 ? RawNumber(s.mean) : ""; }
std::string RawStd(const Spread& s) { return s.n > 0 ? RawNumber(s.std) : ""; }
std::string Bool(bool b) { return b ? "true" : "false"; }

std::vector<std::size_t> Range(std::size_t from, std::size_t to) {
  std::vector<std::size_t> out;
  for (std::size_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

std::vector<std::string> KeyCells(const Configuration& c) {
  return {c.dataset, c.algorithm, c.mode, c.gate, Bool(c.simulated)};
}

const std::vector<std::string> kKeyHeader = {"dataset", "algorithm", "mode", "gate", "simulated"};

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string StepOf(const StepStats* s) { return s == nullptr ? "" : std::to_string(s->step); }

Spread AvgOrEmpty(const StepStats* s) { return s == nullptr ? Spread{} : s->avg_spearman; }

std::string Percent(int p) { return fmt::format("{}%", p); }

std::string Shorten(const std::string& text, std::size_t max) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (flat.size() <= max) return flat;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return flat.substr(0, cut) + "…";
}

// The main row (shown and data) and the per-criterion row of `c` in Table 1.
void AddTable1Row(const Configuration& c, bool with_algorithm, const std::vector<std::string>& crit,
                  ReportTable& t, ReportTable& per_criterion) {
  const StepStats *init = c.Initial(), *best = c.Best(), *fin = c.Final();
  const Spread i = AvgOrEmpty(init), b = AvgOrEmpty(best), f = AvgOrEmpty(fin);
  std::vector<std::string> key;
  if (with_algorithm) key.push_back(c.algorithm);
  key.insert(key.end(), {c.mode, c.gate});
  std::vector<std::string> shown = Concat(key, {std::to_string(c.seeds.size())});
  shown.push_back(FormatMeanStd(i));
  shown.push_back(best ? fmt::format("{} (step {})", FormatMeanStd(b), best->step) : kNone);
  shown.push_back(best && init ? Signed3(b.mean - i.mean) : kNone);
  shown.push_back(FormatMeanStd(f));
  shown.push_back(fin ? OptionalFixed(fin->hv_spearman) : kNone);
  shown.push_back(fin ? OptionalFixed(fin->hv_off_by_one) : kNone);
  shown.push_back(FormatMeanStd(c.prompt_hv));
  std::vector<std::string> data = Concat(KeyCells(c), {std::to_string(c.seeds.size())});
  data.insert(data.end(), {StepOf(init), RawMean(i), RawStd(i), StepOf(best), RawMean(b), RawStd(b),
                           best && init ? RawNumber(b.mean - i.mean) : "", StepOf(fin), RawMean(f),
                           RawStd(f), fin ? OptionalRaw(fin->hv_spearman) : "",
                           fin ? OptionalRaw(fin->hv_off_by_one) : "", RawMean(c.prompt_hv),
                           RawStd(c.prompt_hv)});
  std::vector<std::string> criteria_row = key;
  criteria_row.push_back(best ? std::to_string(best->step) : kNone);
  for (const std::string& name : crit) {
    Spread s;
    for (std::size_t k = 0; best && k < c.criteria.size(); ++k) {
      if (c.criteria[k] == name) s = best->spearman[k];
    }
    criteria_row.push_back(FormatMeanStd(s));
    data.push_back(RawMean(s));
    data.push_back(RawStd(s));
  }
  t.shown.rows.push_back(std::move(shown));
  t.data.rows.push_back(std::move(data));
  per_criterion.shown.rows.push_back(std::move(criteria_row));
}

// Table 1 of one dataset: the main table (its data twin holds the criterion columns too) and
// the per-criterion Spearman at the best step (shown only; a laptop screen fits both).
std::vector<ReportTable> Table1For(const ReportModel& model, const std::string& dataset) {
  std::vector<const Configuration*> configs;
  std::set<std::string> algorithms;
  std::vector<std::string> crit;
  for (const auto& c : model.configurations) {
    if (c.dataset != dataset) continue;
    configs.push_back(&c);
    algorithms.insert(c.algorithm);
    for (const auto& name : c.criteria) {
      if (std::find(crit.begin(), crit.end(), name) == crit.end()) crit.push_back(name);
    }
  }
  const bool with_algorithm = algorithms.size() > 1;
  const std::string suffix = model.datasets.size() > 1 ? "-" + dataset : "";
  ReportTable t, per;
  t.shown.id = FileSafeId("table1" + suffix);
  t.shown.title = "Table 1: " + dataset + ", test Spearman per configuration";
  t.shown.caption = Caption(
      model,
      "Mean ± sample std over seeds of the test Spearman averaged over criteria. Best: the step "
      "with the highest mean (first on ties); Δ = best − initial. HVI: hypervolume of the "
      "per-criterion mean points of every step so far at the final step, reference −1 per "
      "criterion for Spearman and 0 for OffByOne (not defined for single-task, ST). HV⁺ ρ: per "
      "run, the hypervolume of the per-criterion test Spearman of every prompt it evaluated on "
      "test, negatives clipped to 0, reference the origin; mean ± std over runs.");
  per.shown.id = FileSafeId("table1-criteria" + suffix);
  per.shown.title = "Table 1, per criterion: " + dataset + ", test Spearman at the best step";
  per.shown.caption = Caption(model,
                              "Each criterion's test Spearman (mean ± sample std over "
                              "seeds) at the configuration's best step in Table 1.");
  std::vector<std::string> key;
  if (with_algorithm) key.push_back("Algorithm");
  key.insert(key.end(), {"Mode", "Gate"});
  t.shown.header =
      Concat(key, {"Seeds", "Initial ρ", "Best ρ (step)", "Δ", "Final ρ", "HVI ρ", "HVI OB1",
                   "HV⁺ ρ"});
  t.shown.right_aligned = Range(key.size(), t.shown.header.size());
  per.shown.header = Concat(key, {"Best step"});
  for (const auto& name : crit) per.shown.header.push_back(name + " ρ");
  per.shown.right_aligned = Range(key.size(), per.shown.header.size());
  t.data.id = t.shown.id;
  t.data.header =
      Concat(kKeyHeader, {"seeds", "initial_step", "initial_mean", "initial_std", "best_step",
                          "best_mean", "best_std", "delta", "final_step", "final_mean", "final_std",
                          "hv_spearman_final", "hv_off_by_one_final", "prompt_hv_mean",
                          "prompt_hv_std"});
  for (const auto& name : crit) {
    t.data.header.push_back(name + "_best_mean");
    t.data.header.push_back(name + "_best_std");
  }
  for (const Configuration* c : configs) AddTable1Row(*c, with_algorithm, crit, t, per);
  return {std::move(t), std::move(per)};
}

std::vector<std::string> TrajectoryRow(const Configuration& c, const StepStats& s,
                                       const std::string& criterion, const Spread& sp,
                                       const Spread& ob) {
  return Concat(KeyCells(c), {std::to_string(s.step), criterion, RawMean(sp), RawStd(sp),
                              sp.n ? RawNumber(sp.min) : "", sp.n ? RawNumber(sp.max) : "",
                              RawMean(ob), RawStd(ob), ob.n ? RawNumber(ob.min) : "",
                              ob.n ? RawNumber(ob.max) : "", std::to_string(sp.n)});
}

std::string CellsOf(const DiagnosticCell& cell, std::size_t k) {
  return k < cell.per_criterion.size() ? FormatMeanStd(cell.per_criterion[k]) : kNone;
}

void AddDiagnosticRows(const DiagnosticSummary& s, const std::vector<DiagnosticCell>& cells,
                       const std::string& scope, ReportTable& t) {
  for (const DiagnosticCell& cell : cells) {
    std::vector<std::string> shown = {cell.label, std::to_string(cell.overall.n),
                                      FormatMeanStd(cell.overall)};
    for (std::size_t k = 0; k < s.criteria.size(); ++k) shown.push_back(CellsOf(cell, k));
    shown.push_back(std::to_string(cell.invalid));
    t.shown.rows.push_back(std::move(shown));
    auto data_row = [&](const std::string& criterion, const Spread& sp, const std::string& bad) {
      t.data.rows.push_back({s.dataset, s.algorithm, scope, cell.mode, cell.gate, criterion,
                             RawMean(sp), RawStd(sp), sp.n ? RawNumber(sp.min) : "",
                             sp.n ? RawNumber(sp.max) : "", std::to_string(sp.n), bad});
    };
    data_row("all", cell.overall, std::to_string(cell.invalid));
    for (std::size_t k = 0; k < s.criteria.size() && k < cell.per_criterion.size(); ++k) {
      data_row(s.criteria[k], cell.per_criterion[k], "");
    }
  }
}

ReportTable DiagnosticTable(const ReportModel& model, const DiagnosticSummary& s, bool by_mode) {
  ReportTable t;
  const std::string scope = by_mode ? "mode" : "configuration";
  t.shown.id = FileSafeId(fmt::format("{}-{}-{}-by-{}", s.kind, s.dataset, s.algorithm, scope));
  t.shown.title = fmt::format("{} (1-10) by {}: {}, {}", DiagnosticTitle(s.kind), scope, s.dataset,
                              s.algorithm);
  std::string text = by_mode ? "Scores pooled over gates and seeds. " : "";
  text +=
      "Mean ± sample std of the evaluator's valid scores; invalid replies are counted "
      "and left out.";
  if (by_mode && s.per_criterion_group.n > 0 && s.combined_group.n > 0) {
    text += fmt::format(
        " Per-criterion gradients (ST, SSS, SSC): {}; combined gradients (SCC, "
        "CCC): {}",
        FormatMeanStd(s.per_criterion_group), FormatMeanStd(s.combined_group));
    if (s.drop_percent) text += ", a drop of " + Percent(*s.drop_percent);
    text += ".";
  }
  t.shown.caption = Caption(model, text);
  t.shown.header = {by_mode ? "Mode" : "Configuration", "Scores", "Mean ± std"};
  for (const auto& c : s.criteria) t.shown.header.push_back(c);
  t.shown.header.push_back("Invalid");
  t.shown.right_aligned = Range(1, t.shown.header.size());
  t.data.id = s.kind;
  t.data.header = {"dataset", "algorithm", "scope", "mode", "gate", "criterion",
                   "mean",    "std",       "min",   "max",  "n",    "invalid"};
  AddDiagnosticRows(s, by_mode ? s.by_mode : s.by_configuration, scope, t);
  return t;
}

std::vector<std::string> CherrypickData(const experiments::CherrypickResult& r,
                                        const experiments::CherrypickRow& row,
                                        const std::string& prompt,
                                        const experiments::CherrypickValues& v) {
  return {r.id,
          r.dataset,
          Bool(r.simulated),
          r.pick_metric,
          r.pick_split,
          row.criterion,
          prompt,
          OptionalRaw(v.spearman),
          OptionalRaw(v.off_by_one),
          OptionalRaw(v.mae),
          std::to_string(v.n),
          std::to_string(v.missing),
          row.source_run_id,
          row.source_step >= 0 ? std::to_string(row.source_step) : "",
          OptionalRaw(row.pick_score)};
}

ReportTable Table2For(const ReportModel& model, const experiments::CherrypickResult& r) {
  ReportTable t;
  t.shown.id = FileSafeId("table2-" + r.id);
  t.shown.title = fmt::format("Table 2: cherry-pick {} ({}), test Spearman", r.id, r.dataset);
  t.shown.caption = Caption(
      model, fmt::format("Each criterion's instruction picked by {} on the {} split ({} "
                         "examples{}) from single-task runs {}, judged alone (single-task) and "
                         "stitched into one multi-criterion prompt (cherry-pick); judge {}.",
                         r.pick_metric, r.pick_split, r.pick_samples,
                         r.pick_split == "test" ? ", an oracle choice" : "",
                         fmt::join(r.run_ids, ", "),
                         r.judge_model.empty() ? "model unnamed (simulator)" : r.judge_model));
  t.shown.header = {"Method"};
  std::vector<const experiments::CherrypickRow*> rows;
  for (const auto& row : r.rows) {
    rows.push_back(&row);
    t.shown.header.push_back(row.criterion == "average" ? "Avg ρ" : row.criterion);
  }
  t.shown.right_aligned = Range(1, t.shown.header.size());
  using V = experiments::CherrypickValues;
  const std::pair<const char*, V experiments::CherrypickRow::*> kinds[] = {
      {"Initial (seed prompt)", &experiments::CherrypickRow::initial},
      {"Single-task (pick alone)", &experiments::CherrypickRow::single},
      {"Cherry-pick (stitched)", &experiments::CherrypickRow::stitched}};
  for (const auto& [name, member] : kinds) {
    std::vector<std::string> shown = {name};
    for (const auto* row : rows) shown.push_back(OptionalFixed((row->*member).spearman));
    t.shown.rows.push_back(std::move(shown));
  }
  std::vector<std::string> delta = {"Δ stitched − single"};
  for (const auto* row : rows) {
    delta.push_back(row->stitched.spearman && row->single.spearman
                        ? Signed3(*row->stitched.spearman - *row->single.spearman)
                        : kNone);
  }
  t.shown.rows.push_back(std::move(delta));
  t.data.id = "cherrypick";
  t.data.header = {"cherrypick_id", "dataset",     "simulated", "pick_metric",
                   "pick_split",    "criterion",   "prompt",    "spearman",
                   "off_by_one",    "mae",         "n",         "missing",
                   "source_run_id", "source_step", "pick_score"};
  for (const auto* row : rows) {
    for (const auto& [name, member] : kinds) {
      const std::string prompt = member == &experiments::CherrypickRow::initial  ? "initial"
                                 : member == &experiments::CherrypickRow::single ? "single"
                                                                                 : "stitched";
      t.data.rows.push_back(CherrypickData(r, *row, prompt, row->*member));
    }
  }
  return t;
}

ReportTable PicksFor(const ReportModel& model, const experiments::CherrypickResult& r) {
  ReportTable t;
  t.shown.id = FileSafeId("picks-" + r.id);
  t.shown.title = fmt::format("Cherry-pick {}: the picked instructions", r.id);
  t.shown.caption = Caption(model,
                            "Where each criterion's instruction came from (the seed's "
                            "when no run offered one); instructions shortened.");
  t.shown.header = {"Criterion", "Source run", "Step", "Pick score", "Candidates", "Instruction"};
  t.shown.right_aligned = {2, 3, 4};
  t.data.id = "cherrypick-picks";
  t.data.header = {"cherrypick_id", "criterion",  "source_run_id", "source_step",
                   "pick_score",    "candidates", "instruction"};
  for (const auto& row : r.rows) {
    if (row.criterion == "average") continue;
    const std::string step = row.source_step >= 0 ? std::to_string(row.source_step) : "";
    t.shown.rows.push_back({row.criterion, row.source_run_id.empty() ? "(seed)" : row.source_run_id,
                            step.empty() ? kNone : step, OptionalFixed(row.pick_score),
                            std::to_string(row.candidates.size()), Shorten(row.instruction, 160)});
    t.data.rows.push_back({r.id, row.criterion, row.source_run_id, step,
                           OptionalRaw(row.pick_score), std::to_string(row.candidates.size()),
                           row.instruction});
  }
  return t;
}

ReportTable RunMetricsFor(const ReportModel& model, const std::string& dataset) {
  const std::vector<std::string>& crit = model.criteria.at(dataset);
  const std::string suffix = model.datasets.size() > 1 ? "-" + dataset : "";
  ReportTable t;
  t.shown.id = FileSafeId("run-metrics" + suffix);
  t.shown.title = "Per run: " + dataset + ", cost, final test Spearman and hypervolume";
  t.shown.caption = Caption(
      model,
      "Each run's calls (cache hits included) and dollars, its test Spearman per criterion at "
      "its last test evaluation (— where the run does not score the criterion), their average, "
      "and HV⁺ ρ: the hypervolume of the per-criterion test Spearman of every prompt it "
      "evaluated on test, negatives clipped to 0, reference the origin (— for single-task runs).");
  t.shown.header = {"Run", "Configuration", "Seed", "Status", "Calls", "Dollars", "Final step"};
  for (const auto& name : crit) t.shown.header.push_back(name + " ρ");
  t.shown.header.insert(t.shown.header.end(), {"Avg ρ", "HV⁺ ρ"});
  t.shown.right_aligned = Range(4, t.shown.header.size());
  t.data.id = t.shown.id;
  t.data.header = {"dataset", "algorithm",  "mode",     "gate",       "simulated", "run_id",
                   "seed",    "status",     "calls",    "cache_hits", "cost_usd",  "final_step"};
  for (const auto& name : crit) t.data.header.push_back(name + "_spearman");
  t.data.header.insert(t.data.header.end(), {"average_spearman", "prompt_hv_spearman"});
  for (const RunSummary& r : model.runs) {
    if (r.dataset != dataset) continue;
    const std::string step = r.final_step >= 0 ? std::to_string(r.final_step) : "";
    std::vector<std::string> shown = {r.run_id,
                                      r.configuration,
                                      std::to_string(r.seed),
                                      r.status,
                                      std::to_string(r.usage.calls),
                                      fmt::format("${:.4f}", r.usage.usd),
                                      step.empty() ? kNone : step};
    std::vector<std::string> data = {
        r.dataset, r.algorithm, r.mode, r.gate, Bool(r.simulated), r.run_id,
        std::to_string(r.seed), r.status, std::to_string(r.usage.calls),
        std::to_string(r.usage.cache_hits), RawNumber(r.usage.usd), step};
    for (const auto& v : r.final_spearman) {
      shown.push_back(OptionalFixed(v));
      data.push_back(OptionalRaw(v));
    }
    for (const auto& v : {r.final_average, r.hypervolume}) {
      shown.push_back(OptionalFixed(v));
      data.push_back(OptionalRaw(v));
    }
    t.shown.rows.push_back(std::move(shown));
    t.data.rows.push_back(std::move(data));
  }
  return t;
}

}  // namespace

std::vector<ReportTable> RunMetricsTables(const ReportModel& model) {
  std::vector<ReportTable> out;
  for (const auto& d : model.datasets) out.push_back(RunMetricsFor(model, d));
  return out;
}

ReportTable ConflictTable(const ReportModel& model, const Configuration& c) {
  ReportTable t;
  t.shown.id = "conflicts-" + c.id;
  t.shown.title = "Conflicts: " + c.label;
  const ConflictHeatmap empty;
  const ConflictHeatmap& h = c.conflicts ? *c.conflicts : empty;
  std::string text = fmt::format(
      "Edit pairs of two criteria classified agree, independent or contradict, summed over {} "
      "conflict matri{} of its runs' steps; share = contradict / all classified pairs.",
      h.matrices, h.matrices == 1 ? "x" : "ces");
  if (h.ignored > 0) {
    text += fmt::format(" Left out: {} stored matri{} not in the documented format.", h.ignored,
                        h.ignored == 1 ? "x" : "ces");
  }
  t.shown.caption = Caption(model, text);
  t.shown.header = {"Criterion A", "Criterion B", "Agree", "Independent", "Contradict",
                    "Contradict share"};
  t.shown.right_aligned = Range(2, t.shown.header.size());
  t.data.id = "conflicts";
  t.data.header = Concat(kKeyHeader, {"criterion_a", "criterion_b", "agree", "independent",
                                      "contradict", "contradict_share"});
  for (std::size_t i = 0; i < h.criteria.size(); ++i) {
    for (std::size_t j = i + 1; j < h.criteria.size(); ++j) {
      const ConflictCounts& n = h.counts[i][j];
      const auto share = h.ContradictShare(i, j);
      t.shown.rows.push_back({h.criteria[i], h.criteria[j], std::to_string(n.agree),
                              std::to_string(n.independent), std::to_string(n.contradict),
                              OptionalFixed(share)});
      t.data.rows.push_back(Concat(KeyCells(c), {h.criteria[i], h.criteria[j],
                                                 std::to_string(n.agree),
                                                 std::to_string(n.independent),
                                                 std::to_string(n.contradict), OptionalRaw(share)}));
    }
  }
  return t;
}

std::string FormatMean(const Spread& s) { return s.n > 0 ? Fixed3(s.mean) : kNone; }

std::string FormatMeanStd(const Spread& s) {
  return s.n > 0 ? Fixed3(s.mean) + " ± " + Fixed3(s.std) : kNone;
}

std::string RawNumber(double v) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{}", v);
}

std::string DiagnosticTitle(const std::string& kind) {
  return kind == experiments::kSpecificity ? "Gradient specificity" : "Feedback adherence";
}

std::vector<ReportTable> Table1Tables(const ReportModel& model) {
  std::vector<ReportTable> out;
  for (const auto& d : model.datasets) {
    for (auto& t : Table1For(model, d)) out.push_back(std::move(t));
  }
  return out;
}

ReportTable StepTable(const ReportModel& model, const Configuration& c) {
  ReportTable t;
  t.shown.id = "steps-" + c.id;
  t.shown.title = "Per step: " + c.label;
  t.shown.caption = Caption(
      model, fmt::format("Test metrics of {} ({}) per evaluated step: mean ± sample std over "
                         "the seeds that evaluated it ({} in all); † marks the best average "
                         "Spearman; HVI as in Table 1.",
                         c.dataset, c.algorithm, c.seeds.size()));
  t.shown.header = {"Step"};
  for (const auto& name : c.criteria) t.shown.header.push_back(name + " ρ");
  t.shown.header.insert(t.shown.header.end(), {"Avg ρ", "Avg OB1", "HVI ρ", "HVI OB1", "Seeds"});
  t.shown.right_aligned = Range(0, t.shown.header.size());
  t.data.id = "trajectories";
  t.data.header = Concat(kKeyHeader, {"step", "criterion", "spearman_mean", "spearman_std",
                                      "spearman_min", "spearman_max", "off_by_one_mean",
                                      "off_by_one_std", "off_by_one_min", "off_by_one_max", "n"});
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const StepStats& s = c.steps[i];
    std::vector<std::string> shown = {std::to_string(s.step)};
    for (const Spread& sp : s.spearman) shown.push_back(FormatMeanStd(sp));
    const bool best = static_cast<int>(i) == c.best;
    shown.push_back(FormatMeanStd(s.avg_spearman) + (best ? " †" : ""));
    shown.push_back(FormatMeanStd(s.avg_off_by_one));
    shown.push_back(OptionalFixed(s.hv_spearman));
    shown.push_back(OptionalFixed(s.hv_off_by_one));
    shown.push_back(std::to_string(s.avg_spearman.n));
    t.shown.rows.push_back(std::move(shown));
    for (std::size_t k = 0; k < c.criteria.size(); ++k) {
      t.data.rows.push_back(TrajectoryRow(c, s, c.criteria[k], s.spearman[k], s.off_by_one[k]));
    }
    t.data.rows.push_back(TrajectoryRow(c, s, "average", s.avg_spearman, s.avg_off_by_one));
  }
  return t;
}

Table HypervolumeData(const ReportModel& model) {
  Table t;
  t.id = "hypervolume";
  t.header = Concat(kKeyHeader, {"step", "hv_spearman", "hv_off_by_one"});
  for (const auto& c : model.configurations) {
    if (!c.HasHypervolume()) continue;
    for (const auto& s : c.steps) {
      t.rows.push_back(Concat(KeyCells(c), {std::to_string(s.step), OptionalRaw(s.hv_spearman),
                                            OptionalRaw(s.hv_off_by_one)}));
    }
  }
  return t;
}

ReportTable CostTable(const ReportModel& model) {
  ReportTable t;
  t.shown.id = "cost";
  t.shown.title = "Cost per configuration";
  t.shown.caption = Caption(model,
                            "Every LLM call the runs recorded (cache hits cost nothing); "
                            "dollars at the configured prices.");
  t.shown.header = {"Configuration",    "Runs",          "Calls",
                    "Cache hits",       "Errors",        "Prompt tokens",
                    "Cached tokens",    "Completion tokens", "Reasoning tokens",
                    "Dollars",          "Unfinished runs"};
  t.shown.right_aligned = Range(1, t.shown.header.size());
  t.data.id = "cost";
  t.data.header = Concat(kKeyHeader, {"runs", "calls", "cache_hits", "errors", "prompt_tokens",
                                      "cached_tokens", "completion_tokens", "reasoning_tokens",
                                      "cost_usd", "unfinished_runs"});
  for (const auto& c : model.configurations) {
    std::size_t runs = 0;
    for (const auto& s : c.seeds) runs += s.run_ids.size();
    const UsageTotals& u = c.usage;
    const std::vector<std::string> counts = {
        std::to_string(runs),          std::to_string(u.calls),
        std::to_string(u.cache_hits),  std::to_string(u.failed),
        std::to_string(u.prompt_tokens), std::to_string(u.cached_tokens),
        std::to_string(u.completion_tokens), std::to_string(u.reasoning_tokens)};
    const std::string unfinished = std::to_string(c.unfinished_runs);
    t.shown.rows.push_back(
        Concat(Concat({c.label}, counts), {fmt::format("${:.4f}", u.usd), unfinished}));
    t.data.rows.push_back(Concat(Concat(KeyCells(c), counts), {RawNumber(u.usd), unfinished}));
  }
  return t;
}

std::vector<ReportTable> CherrypickTables(const ReportModel& model) {
  std::vector<ReportTable> out;
  for (const auto& r : model.cherrypicks) {
    out.push_back(Table2For(model, r));
    out.push_back(PicksFor(model, r));
  }
  return out;
}

std::vector<ReportTable> DiagnosticTables(const ReportModel& model,
                                          const std::vector<DiagnosticSummary>& summaries) {
  std::vector<ReportTable> out;
  for (const auto& s : summaries) {
    out.push_back(DiagnosticTable(model, s, false));
    out.push_back(DiagnosticTable(model, s, true));
  }
  return out;
}

}  // namespace judgeopt::report
