#include "judgeopt/store/run_views.h"

#include <fmt/format.h>

#include <cmath>

#include "judgeopt/base/strings.h"
#include "judgeopt/base/text_table.h"

namespace judgeopt::store {
namespace {

using nlohmann::ordered_json;

std::string Fixed(const std::optional<double>& v, int decimals = 3) {
  return v ? FormatFixed(*v, decimals) : "-";
}

std::string StepsDone(const RunListing& r) {
  return fmt::format("{}/{}", r.last_step < 0 ? "-" : std::to_string(r.last_step), r.info.steps);
}

std::string Accepted(const StepSummary& s) {
  if (s.step == 0) return "baseline";
  return s.gate.accepted ? "yes" : "no";
}

std::string Gate(const StepSummary& s) {
  if (s.step == 0) return "-";
  return s.gate.skipped ? s.gate.metric + " (skipped)" : s.gate.metric;
}

std::string EvalSource(const StepSummary& s) {
  if (!s.test) return "-";
  if (s.test->reused_from_step) return fmt::format("reused {}", *s.test->reused_from_step);
  return "new";
}

const optim::MetricRow* FindMetric(const EvaluationSummary& e, const std::string& criterion) {
  for (const auto& m : e.metrics) {
    if (m.criterion == criterion) return &m;
  }
  return nullptr;
}

RoleUsage Sum(const std::vector<RoleUsage>& usage) {
  RoleUsage t;
  for (const auto& u : usage) t += u;
  return t;
}

std::vector<std::string> UsageCells(const RoleUsage& u) {
  return {std::to_string(u.calls),         std::to_string(u.cache_hits),
          std::to_string(u.failed),        std::to_string(u.prompt_tokens),
          std::to_string(u.cached_tokens), std::to_string(u.completion_tokens),
          std::to_string(u.reasoning_tokens), FormatFixed(u.usd, 4)};
}

std::string Header(const RunListing& r) {
  std::string out =
      fmt::format("run {}{}\n", r.info.run_id, r.info.simulated ? " [SIMULATED]" : "");
  if (r.info.simulated) {
    out += fmt::format("  simulated roles: {}\n", r.info.simulated_roles.empty()
                                                      ? "not recorded (an older run store)"
                                                      : Join(r.info.simulated_roles, ", "));
  }
  out += fmt::format("  dataset {}, mode {}, algorithm {}, group {}\n", r.info.dataset,
                     r.info.mode, r.info.algorithm, r.info.group_id);
  out += fmt::format("  status {}, steps {}, code {}\n", r.status, StepsDone(r),
                     r.info.code_version);
  std::string criteria;
  for (const auto& c : r.info.criteria) criteria += (criteria.empty() ? "" : ", ") + c;
  out += fmt::format("  criteria: {}\n", criteria);
  if (!r.message.empty()) out += fmt::format("  message: {}\n", r.message);
  return out;
}

std::string StepTable(const RunDetail& d) {
  std::vector<std::string> header = {"step", "accepted", "gate", "incumbent", "candidate"};
  std::vector<std::string> criteria = d.run.info.criteria;
  criteria.push_back("average");
  for (const auto& c : criteria) header.push_back(c);
  for (const char* h : {"test eval", "calls", "tokens", "cache hits"}) header.push_back(h);
  TextTable table(header);
  for (const StepSummary& s : d.steps) {
    std::vector<std::string> row = {std::to_string(s.step), Accepted(s), Gate(s),
                                    Fixed(s.gate.incumbent_score, 4),
                                    Fixed(s.gate.candidate_score, 4)};
    for (const auto& c : criteria) {
      const optim::MetricRow* m = s.test ? FindMetric(*s.test, c) : nullptr;
      row.push_back(m ? Fixed(m->spearman) : "-");
    }
    const RoleUsage t = Sum(s.usage);
    row.push_back(EvalSource(s));
    row.push_back(std::to_string(t.calls));
    row.push_back(std::to_string(t.prompt_tokens + t.completion_tokens));
    row.push_back(std::to_string(t.cache_hits));
    table.AddRow(std::move(row));
  }
  return "Steps (criterion columns: test Spearman)\n" + table.Render() + "\n";
}

std::string UsageTable(const RunDetail& d) {
  TextTable table({"step", "role", "calls", "cache hits", "errors", "prompt tokens",
                   "cached tokens", "completion tokens", "reasoning tokens", "cost $"});
  for (const StepSummary& s : d.steps) {
    for (const RoleUsage& u : s.usage) {
      std::vector<std::string> row = {std::to_string(s.step), u.role};
      for (auto& cell : UsageCells(u)) row.push_back(std::move(cell));
      table.AddRow(std::move(row));
    }
  }
  table.AddRule();
  for (const RoleUsage& u : d.totals) {
    std::vector<std::string> row = {"all", u.role};
    for (auto& cell : UsageCells(u)) row.push_back(std::move(cell));
    table.AddRow(std::move(row));
  }
  return "Calls per role\n" + table.Render() + "\n";
}

std::string FinalMetrics(const RunDetail& d) {
  const StepSummary* last = nullptr;
  for (const StepSummary& s : d.steps) {
    if (s.test) last = &s;
  }
  if (last == nullptr) return "";
  TextTable table({"criterion", "spearman", "kendall", "pearson", "mae", "off_by_one",
                   "accuracy", "n", "missing"});
  for (const auto& m : last->test->metrics) {
    table.AddRow({m.criterion, Fixed(m.spearman), Fixed(m.kendall), Fixed(m.pearson),
                  Fixed(m.mae), Fixed(m.off_by_one), Fixed(m.accuracy), std::to_string(m.n),
                  std::to_string(m.missing)});
  }
  return fmt::format("Test metrics at step {}\n{}\n", last->step, table.Render());
}

// `text` on one line (line breaks and tabs as spaces), for table cells.
std::string OneLine(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

// Every step's decisions in order; with `payloads`, each decision's payload after the table.
std::string DecisionsText(const RunDetail& d, bool payloads) {
  TextTable table({"step", "#", "kind", "criterion", "summary"});
  std::string details;
  bool any = false;
  for (const StepSummary& s : d.steps) {
    for (std::size_t i = 0; i < s.decisions.size(); ++i) {
      const optim::DecisionRecord& dec = s.decisions[i];
      const std::string criterion = dec.criterion.empty() ? "-" : dec.criterion;
      table.AddRow({std::to_string(s.step), std::to_string(i + 1), dec.kind, criterion,
                    OneLine(dec.summary)});
      any = true;
      if (!payloads) continue;
      const auto parsed = ordered_json::parse(dec.payload_json, nullptr, false);
      std::string body = dec.payload_json.empty() ? "(no payload)"
                         : parsed.is_discarded()  ? dec.payload_json
                                                  : parsed.dump(2);
      std::string indented = "    ";
      for (char c : body) indented += c == '\n' ? std::string("\n    ") : std::string(1, c);
      details += fmt::format("  step {} #{} {} ({}):\n{}\n", s.step, i + 1, dec.kind, criterion,
                             indented);
    }
  }
  if (!any) return "";
  std::string out = "Decisions (in the order the methods took them)\n" + table.Render() + "\n";
  if (payloads) out += "Decision payloads\n" + details + "\n";
  return out;
}

ordered_json DecisionJson(const optim::DecisionRecord& d) {
  ordered_json payload = nullptr;
  if (!d.payload_json.empty()) {
    payload = ordered_json::parse(d.payload_json, nullptr, false);
    if (payload.is_discarded()) payload = d.payload_json;  // kept as text when not JSON
  }
  return {{"kind", d.kind},
          {"criterion", d.criterion},
          {"summary", d.summary},
          {"payload", payload}};
}

ordered_json OptJson(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json UsageJson(const RoleUsage& u) {
  return {{"role", u.role},
          {"calls", u.calls},
          {"cache_hits", u.cache_hits},
          {"errors", u.failed},
          {"prompt_tokens", u.prompt_tokens},
          {"cached_tokens", u.cached_tokens},
          {"completion_tokens", u.completion_tokens},
          {"reasoning_tokens", u.reasoning_tokens},
          {"cost_usd", u.usd}};
}

ordered_json MetricJson(const optim::MetricRow& m) {
  return {{"criterion", m.criterion},   {"spearman", OptJson(m.spearman)},
          {"kendall", OptJson(m.kendall)}, {"pearson", OptJson(m.pearson)},
          {"mae", OptJson(m.mae)},         {"off_by_one", OptJson(m.off_by_one)},
          {"accuracy", OptJson(m.accuracy)}, {"n", m.n},
          {"missing", m.missing}};
}

ordered_json StepJson(const StepSummary& s) {
  ordered_json j = {{"step", s.step},
                    {"accepted", s.gate.accepted},
                    {"gate",
                     {{"metric", s.gate.metric},
                      {"skipped", s.gate.skipped},
                      {"incumbent_score", OptJson(s.gate.incumbent_score)},
                      {"candidate_score", OptJson(s.gate.candidate_score)},
                      {"candidate_batch_scores", s.gate.candidate_batch_scores},
                      {"chosen_candidate", s.gate.chosen_candidate}}},
                    {"carried_gate_score", OptJson(s.carried_gate_score)},
                    {"incumbent_after", s.incumbent_after}};
  if (s.test) {
    ordered_json metrics = ordered_json::array();
    for (const auto& m : s.test->metrics) metrics.push_back(MetricJson(m));
    j["test"] = {{"split", s.test->split},
                 {"prompt_fingerprint", s.test->prompt_fingerprint},
                 {"reused_from_step", s.test->reused_from_step
                                          ? ordered_json(*s.test->reused_from_step)
                                          : ordered_json(nullptr)},
                 {"metrics", metrics}};
  } else {
    j["test"] = nullptr;
  }
  j["usage"] = ordered_json::array();
  for (const auto& u : s.usage) j["usage"].push_back(UsageJson(u));
  j["decisions"] = ordered_json::array();
  for (const auto& d : s.decisions) j["decisions"].push_back(DecisionJson(d));
  return j;
}

}  // namespace

std::string SimulatedLabel(const optim::RunInfo& info) {
  if (!info.simulated) return "";
  if (info.simulated_roles.empty()) return "SIMULATED";
  return "SIMULATED (" + Join(info.simulated_roles, ",") + ")";
}

std::string RenderRunList(const std::vector<RunListing>& runs) {
  if (runs.empty()) return "";
  TextTable table({"id", "dataset", "mode", "steps", "status", "avg spearman", "label"});
  for (const RunListing& r : runs) {
    table.AddRow({r.info.run_id, r.info.dataset, r.info.mode, StepsDone(r), r.status,
                  Fixed(r.final_average_spearman), SimulatedLabel(r.info)});
  }
  return table.Render();
}

std::string RenderRunDetail(const RunDetail& detail, bool payloads) {
  std::string out = Header(detail.run) + "\n";
  if (detail.steps.empty()) return out + "No step recorded yet.\n";
  return out + StepTable(detail) + DecisionsText(detail, payloads) + UsageTable(detail) +
         FinalMetrics(detail);
}

ordered_json RunDetailToJson(const RunDetail& detail) {
  const RunListing& r = detail.run;
  ordered_json config = ordered_json::parse(r.info.config_json, nullptr, false);
  if (config.is_discarded()) config = r.info.config_json;
  ordered_json j = {{"run_id", r.info.run_id},
                    {"group_id", r.info.group_id},
                    {"dataset", r.info.dataset},
                    {"mode", r.info.mode},
                    {"algorithm", r.info.algorithm},
                    {"criteria", r.info.criteria},
                    {"steps", r.info.steps},
                    {"simulated", r.info.simulated},
                    {"simulated_roles", r.info.simulated_roles},
                    {"status", r.status},
                    {"message", r.message},
                    {"code_version", r.info.code_version},
                    {"last_step", r.last_step},
                    {"final_average_spearman", OptJson(r.final_average_spearman)},
                    {"config", config}};
  j["step_summaries"] = ordered_json::array();
  for (const auto& s : detail.steps) j["step_summaries"].push_back(StepJson(s));
  j["totals"] = ordered_json::array();
  for (const auto& u : detail.totals) j["totals"].push_back(UsageJson(u));
  return j;
}

}  // namespace judgeopt::store
