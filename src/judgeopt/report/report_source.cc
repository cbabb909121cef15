#include "judgeopt/report/report_source.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "judgeopt/store/analysis_store.h"

namespace judgeopt::report {
namespace {

using store::Statement;

// The config's value at `path` ("gate", "metric") when it is of type T.
template <typename T>
std::optional<T> ConfigValue(const nlohmann::json& config, const char* table, const char* key) {
  if (!config.is_object() || !config.contains(table)) return std::nullopt;
  const auto& t = config[table];
  if (!t.is_object() || !t.contains(key)) return std::nullopt;
  const auto& v = t[key];
  if constexpr (std::is_same_v<T, std::string>) {
    if (v.is_string()) return v.get<std::string>();
  } else {
    if (v.is_number_integer()) return v.get<T>();
  }
  return std::nullopt;
}

// True when `ids` is not empty and every id is in `selected`.
bool CoveredBy(const std::vector<std::string>& ids, const std::set<std::string>& selected) {
  if (ids.empty()) return false;
  for (const auto& id : ids) {
    if (selected.count(id) == 0) return false;
  }
  return true;
}

std::string StepsGate(const store::RunDetail& detail) {
  for (const auto& s : detail.steps) {
    if (s.step > 0 && !s.gate.metric.empty()) return s.gate.metric;
  }
  return "none";
}

}  // namespace

Result<std::vector<std::string>> MatchRunId(const std::string& arg, const SelectorContext& ctx) {
  for (const auto& r : ctx.runs) {
    if (r.info.run_id == arg) return std::vector<std::string>{arg};
  }
  return std::vector<std::string>{};
}

Result<std::vector<std::string>> MatchGroupId(const std::string& arg, const SelectorContext& ctx) {
  std::vector<std::string> out;
  for (const auto& r : ctx.runs) {
    if (r.info.group_id == arg) out.push_back(r.info.run_id);
  }
  return out;
}

Result<std::vector<std::string>> MatchGridName(const std::string& arg, const SelectorContext& ctx) {
  std::vector<std::string> out;
  // grid_runs is created by the first `judgeopt grid`; a store without it has no grids.
  JO_ASSIGN_OR_RETURN(Statement table,
                      ctx.db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = 'grid_runs'"));
  JO_ASSIGN_OR_RETURN(bool has_grids, table.Step());
  if (!has_grids) return out;
  JO_ASSIGN_OR_RETURN(Statement st, ctx.db.Prepare("SELECT run_id FROM grid_runs WHERE grid = ? "
                                                   "ORDER BY position"));
  JO_RETURN_IF_ERROR(st.Bind(1, arg));
  std::set<std::string> members;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    members.insert(st.ColumnText(0));
  }
  for (const auto& r : ctx.runs) {
    if (members.count(r.info.run_id) > 0) out.push_back(r.info.run_id);  // begun runs only
  }
  return out;
}

std::vector<SelectorRule> DefaultSelectorRules() {
  return {{"run", &MatchRunId}, {"group", &MatchGroupId}, {"grid", &MatchGridName}};
}

Result<std::vector<std::string>> SelectRuns(const SelectorContext& ctx,
                                            const RunSelection& selection,
                                            const std::vector<SelectorRule>& rules) {
  std::set<std::string> chosen;
  if (selection.all) {
    for (const auto& r : ctx.runs) chosen.insert(r.info.run_id);
  }
  for (const std::string& arg : selection.args) {
    std::vector<std::string> ids;
    for (const SelectorRule& rule : rules) {
      JO_ASSIGN_OR_RETURN(ids, rule.match(arg, ctx));
      if (!ids.empty()) break;
    }
    if (ids.empty()) {
      std::vector<std::string> kinds;
      for (const SelectorRule& rule : rules) kinds.push_back(rule.kind);
      return NotFound(
          fmt::format("'{}' is not a {} id in {}; `judgeopt runs list` shows the "
                      "recorded runs",
                      arg, fmt::join(kinds, " or "), ctx.db.path()));
    }
    chosen.insert(ids.begin(), ids.end());
  }
  if (chosen.empty()) {
    return InvalidArgument(
        selection.all ? "the run store " + ctx.db.path() + " holds no runs"
                      : "no runs selected: name run ids, group ids or grid names, or --all");
  }
  std::vector<std::string> out;
  for (const auto& r : ctx.runs) {
    if (chosen.count(r.info.run_id) > 0) out.push_back(r.info.run_id);
  }
  return out;
}

Result<ReportRun> ReportRunFrom(const store::RunDetail& detail) {
  ReportRun run;
  run.info = detail.run.info;
  run.status = detail.run.status;
  const auto config = nlohmann::json::parse(run.info.config_json, nullptr, false);
  if (config.is_discarded()) {
    return ParseError(fmt::format("run {}: the stored config is not valid JSON", run.info.run_id));
  }
  run.gate = ConfigValue<std::string>(config, "gate", "metric").value_or(StepsGate(detail));
  run.seed = ConfigValue<int64_t>(config, "optimize", "seed").value_or(0);
  for (const auto& s : detail.steps) {
    for (const auto& d : s.decisions) {
      if (d.kind == kConflictMatrixKind) run.conflict_matrices.push_back(d);
    }
    if (!s.test) continue;
    run.evaluations.push_back({s.step, s.test->metrics});
  }
  for (const auto& u : detail.totals) run.usage += u;
  return run;
}

Result<ReportInput> LoadReportInput(store::RunReader& reader,
                                    const std::vector<std::string>& run_ids) {
  ReportInput input;
  for (const std::string& id : run_ids) {
    JO_ASSIGN_OR_RETURN(store::RunDetail detail, reader.LoadRun(id));
    JO_ASSIGN_OR_RETURN(ReportRun run, ReportRunFrom(detail));
    input.runs.push_back(std::move(run));
  }
  JO_ASSIGN_OR_RETURN(input.diagnostics, store::ListDiagnostics(reader.db(), run_ids));
  JO_ASSIGN_OR_RETURN(std::vector<experiments::CherrypickResult> cherrypicks,
                      store::ListCherrypicks(reader.db()));
  const std::set<std::string> selected(run_ids.begin(), run_ids.end());
  for (auto& c : cherrypicks) {
    if (CoveredBy(c.run_ids, selected)) input.cherrypicks.push_back(std::move(c));
  }
  return input;
}

}  // namespace judgeopt::report
