// The diagnostic part of the report model: specificity and adherence scores (reference-protocol
// §10.3-10.4) by configuration and by mode, and the per-criterion vs combined gradient groups.

#include <algorithm>
#include <cmath>
#include <map>

#include "judgeopt/report/report_model.h"

namespace judgeopt::report {
namespace {

using experiments::DiagnosticRow;
using Rows = std::vector<const DiagnosticRow*>;

// Whether a mode's gradient stage critiques each criterion on its own (ST, SSS, SSC: true),
// combines them (SCC, CCC: false), or is neither (nullopt).
std::optional<bool> PerCriterionGradients(const std::string& mode) {
  if (mode == "ST") return true;
  if (mode.size() == 3 && (mode[1] == 'S' || mode[1] == 'C')) return mode[1] == 'S';
  return std::nullopt;
}

std::vector<double> ValidScores(const Rows& rows, const std::string* criterion) {
  std::vector<double> out;
  for (const DiagnosticRow* r : rows) {
    if (r->score && (criterion == nullptr || r->criterion == *criterion)) out.push_back(*r->score);
  }
  return out;
}

DiagnosticCell MakeCell(std::string label, std::string mode, std::string gate, const Rows& rows,
                        const std::vector<std::string>& criteria) {
  DiagnosticCell cell;
  cell.label = std::move(label);
  cell.mode = std::move(mode);
  cell.gate = std::move(gate);
  cell.overall = SpreadOf(ValidScores(rows, nullptr));
  for (const std::string& c : criteria)
    cell.per_criterion.push_back(SpreadOf(ValidScores(rows, &c)));
  for (const DiagnosticRow* r : rows) {
    if (!r->score) ++cell.invalid;
  }
  return cell;
}

// One dataset and algorithm: its configurations (indices) with their rows.
struct Section {
  DiagnosticSummary summary;
  std::vector<std::pair<const Configuration*, Rows>> configs;
};

void FillSection(Section& section) {
  DiagnosticSummary& s = section.summary;
  std::vector<std::string> mode_order;
  std::map<std::string, Rows> by_mode;
  Rows per_group, combined_group;
  for (const auto& [config, rows] : section.configs) {
    s.by_configuration.push_back(
        MakeCell(config->label, config->mode, config->gate, rows, s.criteria));
    if (by_mode.count(config->mode) == 0) mode_order.push_back(config->mode);
    Rows& pooled = by_mode[config->mode];
    pooled.insert(pooled.end(), rows.begin(), rows.end());
    if (auto per = PerCriterionGradients(config->mode)) {
      Rows& group = *per ? per_group : combined_group;
      group.insert(group.end(), rows.begin(), rows.end());
    }
    s.simulated = s.simulated || config->simulated;
    for (const DiagnosticRow* r : rows) s.simulated = s.simulated || r->simulated;
  }
  for (const std::string& mode : mode_order) {
    s.by_mode.push_back(MakeCell(mode, mode, "", by_mode[mode], s.criteria));
  }
  s.per_criterion_group = SpreadOf(ValidScores(per_group, nullptr));
  s.combined_group = SpreadOf(ValidScores(combined_group, nullptr));
  if (s.per_criterion_group.n > 0 && s.combined_group.n > 0 && s.per_criterion_group.mean != 0) {
    s.drop_percent = static_cast<int>(
        std::lround((1.0 - s.combined_group.mean / s.per_criterion_group.mean) * 100.0));
  }
}

}  // namespace

std::vector<DiagnosticSummary> SummarizeDiagnostics(
    const std::vector<Configuration>& configurations, const ReportInput& input,
    const std::string& kind) {
  std::map<std::string, std::size_t> config_of;
  for (std::size_t i = 0; i < configurations.size(); ++i) {
    for (const Seed& seed : configurations[i].seeds) {
      for (const std::string& id : seed.run_ids) config_of[id] = i;
    }
  }
  std::vector<Rows> rows(configurations.size());
  for (const DiagnosticRow& r : input.diagnostics) {
    auto it = config_of.find(r.run_id);
    if (r.kind == kind && it != config_of.end()) rows[it->second].push_back(&r);
  }
  std::vector<Section> sections;
  for (std::size_t i = 0; i < configurations.size(); ++i) {
    if (rows[i].empty()) continue;
    const Configuration& c = configurations[i];
    auto it = std::find_if(sections.begin(), sections.end(), [&](const Section& s) {
      return s.summary.dataset == c.dataset && s.summary.algorithm == c.algorithm;
    });
    if (it == sections.end()) {
      sections.emplace_back();
      it = std::prev(sections.end());
      it->summary.kind = kind;
      it->summary.dataset = c.dataset;
      it->summary.algorithm = c.algorithm;
    }
    for (const std::string& name : c.criteria) {
      auto& crit = it->summary.criteria;
      if (std::find(crit.begin(), crit.end(), name) == crit.end()) crit.push_back(name);
    }
    it->configs.emplace_back(&c, rows[i]);
  }
  std::vector<DiagnosticSummary> out;
  for (Section& s : sections) {
    FillSection(s);
    out.push_back(std::move(s.summary));
  }
  return out;
}

}  // namespace judgeopt::report
