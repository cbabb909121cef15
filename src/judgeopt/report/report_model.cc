#include "judgeopt/report/report_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "judgeopt/base/strings.h"
#include "judgeopt/metrics/hypervolume.h"

namespace judgeopt::report {
namespace {

constexpr double kSpearmanReference = -1.0;  // §9: worst possible Spearman
constexpr double kOffByOneReference = 0.0;   // §9: worst possible OffByOne

// One seed's values at one step, per configuration criterion (nullopt: not evaluated).
struct SeedStep {
  std::vector<std::optional<double>> spearman;
  std::vector<std::optional<double>> off_by_one;
};
using SeedSeries = std::map<int, SeedStep>;

struct ConfigKey {
  std::string dataset, algorithm, mode, gate;
  auto Rank() const {
    return std::make_tuple(dataset, algorithm == "textgrad" ? 0 : 1, algorithm, ModeRank(mode),
                           ModeBase(mode), mode, GateRank(gate), gate);
  }
  bool operator<(const ConfigKey& o) const { return Rank() < o.Rank(); }
};

// An undefined coefficient counts as 0, the study's guard (reference-protocol §8.2) and the rule
// of the stored "average" row.
double ValueOrZero(const std::optional<double>& v) { return v.value_or(0.0); }

}  // namespace

std::string FileSafeId(const std::string& s) {
  std::string out;
  for (char c : AsciiLower(s)) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

namespace {

void AppendNew(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& c : from) {
    if (std::find(to.begin(), to.end(), c) == to.end()) to.push_back(c);
  }
}

// Each dataset's criteria order: that of its multi-criterion run with the most criteria
// (smallest id on ties), then any other criterion in input order.
std::map<std::string, std::vector<std::string>> DatasetCriteria(
    const std::vector<const ReportRun*>& runs) {
  std::map<std::string, const ReportRun*> widest;
  for (const ReportRun* r : runs) {
    if (ConfigurationMode(r->info.mode) == "ST") continue;
    const ReportRun*& w = widest[r->info.dataset];
    if (w == nullptr || r->info.criteria.size() > w->info.criteria.size() ||
        (r->info.criteria.size() == w->info.criteria.size() && r->info.run_id < w->info.run_id)) {
      w = r;
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [dataset, run] : widest) out[dataset] = run->info.criteria;
  for (const ReportRun* r : runs) AppendNew(out[r->info.dataset], r->info.criteria);
  return out;
}

const optim::MetricRow* FindRow(const EvaluatedStep& e, const std::string& criterion) {
  for (const auto& m : e.metrics) {
    if (m.criterion == criterion) return &m;
  }
  return nullptr;
}

// Adds `run`'s evaluations to `series` for every configuration criterion the run scores.
void AddRun(const ReportRun& run, const std::vector<std::string>& criteria, SeedSeries& series) {
  for (const EvaluatedStep& e : run.evaluations) {
    SeedStep& s = series[e.step];
    s.spearman.resize(criteria.size());
    s.off_by_one.resize(criteria.size());
    for (std::size_t c = 0; c < criteria.size(); ++c) {
      const optim::MetricRow* row = FindRow(e, criteria[c]);
      if (row == nullptr) continue;
      s.spearman[c] = ValueOrZero(row->spearman);
      s.off_by_one[c] = ValueOrZero(row->off_by_one);
    }
  }
}

// The mean over the criteria a seed has at a step (nullopt when it has none).
std::optional<double> SeedAverage(const std::vector<std::optional<double>>& values) {
  double sum = 0;
  int n = 0;
  for (const auto& v : values) {
    if (v) {
      sum += *v;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

StepStats AggregateStep(int step, std::size_t criteria, const std::vector<SeedSeries>& seeds) {
  StepStats out;
  out.step = step;
  std::vector<double> avg_sp, avg_ob;
  std::vector<std::vector<double>> sp(criteria), ob(criteria);
  for (const SeedSeries& series : seeds) {
    auto it = series.find(step);
    if (it == series.end()) continue;
    for (std::size_t c = 0; c < criteria; ++c) {
      if (it->second.spearman[c]) sp[c].push_back(*it->second.spearman[c]);
      if (it->second.off_by_one[c]) ob[c].push_back(*it->second.off_by_one[c]);
    }
    if (auto a = SeedAverage(it->second.spearman)) avg_sp.push_back(*a);
    if (auto a = SeedAverage(it->second.off_by_one)) avg_ob.push_back(*a);
  }
  for (std::size_t c = 0; c < criteria; ++c) {
    out.spearman.push_back(SpreadOf(sp[c]));
    out.off_by_one.push_back(SpreadOf(ob[c]));
  }
  out.avg_spearman = SpreadOf(avg_sp);
  out.avg_off_by_one = SpreadOf(avg_ob);
  return out;
}

// Fills hv_spearman / hv_off_by_one: the cumulative archive of per-criterion mean points over
// the steps where every criterion has a mean (§9).
void AddHypervolume(Configuration& config) {
  if (!config.HasHypervolume()) return;
  const std::size_t k = config.criteria.size();
  std::vector<std::size_t> used;
  std::vector<std::vector<double>> sp_points, ob_points;
  for (std::size_t i = 0; i < config.steps.size(); ++i) {
    const StepStats& s = config.steps[i];
    bool complete = true;
    std::vector<double> sp, ob;
    for (std::size_t c = 0; c < k; ++c) {
      complete = complete && s.spearman[c].n > 0 && s.off_by_one[c].n > 0;
      sp.push_back(s.spearman[c].mean);
      ob.push_back(s.off_by_one[c].mean);
    }
    if (!complete) continue;
    used.push_back(i);
    sp_points.push_back(std::move(sp));
    ob_points.push_back(std::move(ob));
  }
  const std::vector<double> sp_ref(k, kSpearmanReference), ob_ref(k, kOffByOneReference);
  auto sp_hv = metrics::CumulativeHypervolume(sp_points, sp_ref);
  auto ob_hv = metrics::CumulativeHypervolume(ob_points, ob_ref);
  for (std::size_t j = 0; j < used.size(); ++j) {
    if (sp_hv.ok()) config.steps[used[j]].hv_spearman = (*sp_hv)[j];
    if (ob_hv.ok()) config.steps[used[j]].hv_off_by_one = (*ob_hv)[j];
  }
}

// The runs' conflict_matrix decisions summed (payloads not in the agreed format are counted and
// left out); absent when no run stored one.
std::optional<ConflictHeatmap> SumConflicts(const std::vector<const ReportRun*>& runs,
                                            const std::vector<std::string>& criteria) {
  ConflictHeatmap heatmap;
  for (const ReportRun* r : runs) {
    for (const optim::DecisionRecord& d : r->conflict_matrices) {
      auto matrix = ParseConflictMatrix(d.payload_json);
      if (matrix.ok()) {
        heatmap.Add(*matrix);
      } else {
        ++heatmap.ignored;
      }
    }
  }
  if (heatmap.matrices + heatmap.ignored == 0) return std::nullopt;
  heatmap.Reorder(criteria);
  return heatmap;
}

int BestStep(const std::vector<StepStats>& steps) {
  int best = -1;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].avg_spearman.n == 0) continue;
    if (best < 0 || steps[i].avg_spearman.mean > steps[best].avg_spearman.mean) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

// The seeds of a configuration: one per run, or one per group for single-task runs.
std::vector<std::vector<const ReportRun*>> SeedRuns(const std::vector<const ReportRun*>& runs,
                                                    bool single_task) {
  std::map<std::string, std::vector<const ReportRun*>> by_key;
  for (const ReportRun* r : runs) {
    by_key[single_task ? r->info.group_id : r->info.run_id].push_back(r);
  }
  std::vector<std::vector<const ReportRun*>> out;
  for (auto& [key, members] : by_key) out.push_back(std::move(members));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.front()->seed < b.front()->seed; });
  return out;
}

Configuration BuildConfiguration(const ConfigKey& key, std::vector<const ReportRun*> runs,
                                 const std::vector<std::string>& dataset_criteria) {
  std::sort(runs.begin(), runs.end(),
            [](const ReportRun* a, const ReportRun* b) { return a->info.run_id < b->info.run_id; });
  Configuration config;
  config.dataset = key.dataset;
  config.algorithm = key.algorithm;
  config.mode = key.mode;
  config.gate = key.gate;
  config.id =
      FileSafeId(fmt::format("{}-{}-{}-{}", key.dataset, key.algorithm, key.mode, key.gate));
  std::set<std::string> used;
  for (const ReportRun* r : runs) used.insert(r->info.criteria.begin(), r->info.criteria.end());
  for (const auto& c : dataset_criteria) {
    if (used.count(c) > 0) config.criteria.push_back(c);
  }
  std::vector<SeedSeries> series;
  std::map<int64_t, int> seed_numbers;
  const auto seeds = SeedRuns(runs, key.mode == "ST");
  for (const auto& members : seeds) ++seed_numbers[members.front()->seed];
  std::set<int> steps;
  for (const auto& members : seeds) {
    Seed seed;
    const ReportRun& first = *members.front();
    const bool unique = seed_numbers[first.seed] == 1;
    seed.label = unique ? fmt::format("seed {}", first.seed)
                        : (key.mode == "ST" ? first.info.group_id : first.info.run_id);
    SeedSeries s;
    for (const ReportRun* r : members) {
      seed.run_ids.push_back(r->info.run_id);
      AddRun(*r, config.criteria, s);
      config.simulated = config.simulated || r->info.simulated;
      config.usage += r->usage;
      if (r->status != "finished") ++config.unfinished_runs;
    }
    for (const auto& [step, values] : s) steps.insert(step);
    config.seeds.push_back(std::move(seed));
    series.push_back(std::move(s));
  }
  for (int step : steps) {
    config.steps.push_back(AggregateStep(step, config.criteria.size(), series));
  }
  config.best = BestStep(config.steps);
  AddHypervolume(config);
  std::vector<double> prompt_hv;
  for (const ReportRun* r : runs) {
    if (auto hv = PromptHypervolume(*r)) prompt_hv.push_back(*hv);
  }
  config.prompt_hv = SpreadOf(prompt_hv);
  config.conflicts = SumConflicts(runs, config.criteria);
  return config;
}

RunSummary SummarizeRun(const ReportRun& run, const Configuration& config,
                        const std::vector<std::string>& dataset_criteria) {
  RunSummary out{.run_id = run.info.run_id,
                 .configuration = config.label,
                 .dataset = run.info.dataset,
                 .algorithm = run.info.algorithm,
                 .mode = run.info.mode,
                 .gate = run.gate,
                 .seed = run.seed,
                 .status = run.status,
                 .simulated = run.info.simulated,
                 .usage = run.usage};
  out.hypervolume = PromptHypervolume(run);
  out.final_spearman.resize(dataset_criteria.size());
  const auto last = std::max_element(
      run.evaluations.begin(), run.evaluations.end(),
      [](const EvaluatedStep& a, const EvaluatedStep& b) { return a.step < b.step; });
  if (last == run.evaluations.end()) return out;
  out.final_step = last->step;
  for (std::size_t c = 0; c < dataset_criteria.size(); ++c) {
    const auto& mine = run.info.criteria;
    if (std::find(mine.begin(), mine.end(), dataset_criteria[c]) == mine.end()) continue;
    if (const optim::MetricRow* row = FindRow(*last, dataset_criteria[c])) {
      out.final_spearman[c] = ValueOrZero(row->spearman);
    }
  }
  out.final_average = SeedAverage(out.final_spearman);
  return out;
}

// Every run, in configuration order, then seed order, then the seed's run order.
std::vector<RunSummary> SummarizeRuns(const std::vector<Configuration>& configs,
                                      const std::vector<const ReportRun*>& runs,
                                      const std::map<std::string, std::vector<std::string>>& crit) {
  std::map<std::string, const ReportRun*> by_id;
  for (const ReportRun* r : runs) by_id[r->info.run_id] = r;
  std::vector<RunSummary> out;
  for (const Configuration& c : configs) {
    for (const Seed& seed : c.seeds) {
      for (const std::string& id : seed.run_ids) {
        out.push_back(SummarizeRun(*by_id.at(id), c, crit.at(c.dataset)));
      }
    }
  }
  return out;
}

void LabelConfigurations(std::vector<Configuration>& configs) {
  std::set<std::string> datasets, algorithms;
  for (const auto& c : configs) {
    datasets.insert(c.dataset);
    algorithms.insert(c.algorithm);
  }
  for (auto& c : configs) {
    std::string prefix;
    if (datasets.size() > 1) prefix += c.dataset + " / ";
    if (algorithms.size() > 1) prefix += c.algorithm + " / ";
    c.label = fmt::format("{}{}, gate {}", prefix, c.mode, c.gate);
  }
}

}  // namespace

Spread SpreadOf(const std::vector<double>& values) {
  Spread s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  double sum = 0;
  s.min = values.front();
  s.max = values.front();
  for (double v : values) {
    sum += v;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.mean = sum / s.n;
  if (s.n > 1) {
    double ss = 0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(ss / (s.n - 1));
  }
  return s;
}

bool Configuration::HasHypervolume() const {
  return mode != "ST" && !criteria.empty() && criteria.size() <= metrics::kMaxHypervolumeDims;
}

std::string ModeBase(const std::string& mode) { return mode.substr(0, mode.find('+')); }

int ModeRank(const std::string& mode) {
  static constexpr const char* kOrder[] = {"ST", "SSS", "SSC", "SCC", "CCC", "SPC", "MGDA", "ROUTER"};
  constexpr int kKnown = static_cast<int>(std::size(kOrder));
  const std::string base = ModeBase(mode);
  for (int i = 0; i < kKnown; ++i) {
    if (base == kOrder[i]) return i;
  }
  return kKnown;
}

std::optional<double> PromptHypervolume(const ReportRun& run) {
  const std::size_t k = run.info.criteria.size();
  if (k < 2 || k > metrics::kMaxHypervolumeDims || run.evaluations.empty()) return std::nullopt;
  std::vector<std::vector<double>> points;
  for (const EvaluatedStep& e : run.evaluations) {
    std::vector<double> point;
    for (const std::string& c : run.info.criteria) {
      const optim::MetricRow* row = FindRow(e, c);
      point.push_back(std::max(0.0, row == nullptr ? 0.0 : ValueOrZero(row->spearman)));
    }
    points.push_back(std::move(point));
  }
  const std::vector<double> origin(k, 0.0);
  auto hv = metrics::Hypervolume(points, origin);
  if (!hv.ok()) return std::nullopt;
  return *hv;
}

int GateRank(const std::string& gate) {
  static constexpr const char* kOrder[] = {"none", "mae", "off_by_one", "spearman"};
  for (int i = 0; i < 4; ++i) {
    if (gate == kOrder[i]) return i;
  }
  return 4;
}

std::string ConfigurationMode(const std::string& run_mode) {
  return run_mode.rfind("ST:", 0) == 0 || run_mode == "ST" ? "ST" : run_mode;
}

Result<ReportModel> BuildReportModel(const ReportInput& input) {
  if (input.runs.empty()) return InvalidArgument("no runs selected for the report");
  ReportModel model;
  std::vector<const ReportRun*> runs;
  std::set<std::string> ids, datasets;
  for (const ReportRun& r : input.runs) {
    if (!ids.insert(r.info.run_id).second) {
      return InvalidArgument(fmt::format("run {} is selected twice", r.info.run_id));
    }
    datasets.insert(r.info.dataset);
    model.simulated = model.simulated || r.info.simulated;
    runs.push_back(&r);
  }
  model.run_ids.assign(ids.begin(), ids.end());
  model.datasets.assign(datasets.begin(), datasets.end());
  const auto criteria = DatasetCriteria(runs);
  std::map<ConfigKey, std::vector<const ReportRun*>> groups;
  for (const ReportRun* r : runs) {
    groups[{r->info.dataset, r->info.algorithm, ConfigurationMode(r->info.mode), r->gate}]
        .push_back(r);
  }
  for (auto& [key, members] : groups) {
    model.configurations.push_back(
        BuildConfiguration(key, std::move(members), criteria.at(key.dataset)));
  }
  LabelConfigurations(model.configurations);
  model.criteria = criteria;
  model.runs = SummarizeRuns(model.configurations, runs, criteria);
  model.specificity = SummarizeDiagnostics(model.configurations, input, experiments::kSpecificity);
  model.adherence = SummarizeDiagnostics(model.configurations, input, experiments::kAdherence);
  model.cherrypicks = input.cherrypicks;
  std::sort(model.cherrypicks.begin(), model.cherrypicks.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& c : model.cherrypicks) model.simulated = model.simulated || c.simulated;
  for (const auto& d : input.diagnostics) model.simulated = model.simulated || d.simulated;
  return model;
}

}  // namespace judgeopt::report
