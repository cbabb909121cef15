#include "judgeopt/experiments/diagnose.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/prompts/diagnostics.h"

namespace judgeopt::experiments {
namespace {

using nlohmann::ordered_json;

// The instruction of `criterion` in a stored prompt.
Result<std::string> InstructionIn(const optim::PromptRecord& record, const data::Dataset& dataset,
                                  const std::string& run_id, int step,
                                  const std::string& criterion) {
  JO_ASSIGN_OR_RETURN(judge::JudgePrompt prompt,
                      StoredPrompt(record, dataset, run_id, fmt::format("step {}", step)));
  const std::string* text = prompt.Instruction(criterion);
  if (text == nullptr) {
    return InvalidArgument(fmt::format("run {} step {}: stored prompt {} has no instruction for {}",
                                       run_id, step, record.fingerprint, criterion));
  }
  return *text;
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

Result<std::optional<std::string>> PromptOf(const std::string& kind, const DiagnosedRun& run,
                                            const optim::StepRecord& step,
                                            const std::string& criterion,
                                            const data::Dataset& dataset,
                                            const std::vector<std::string>& all_criteria) {
  const std::string gradient = GradientTextFor(step, criterion);
  if (gradient.empty()) return std::optional<std::string>();
  if (kind == kSpecificity) {
    return std::optional<std::string>(
        prompts::SpecificityPrompt(criterion, all_criteria, gradient));
  }
  if (step.candidate.fingerprint.empty() || step.incumbent_before.fingerprint.empty()) {
    return std::optional<std::string>();
  }
  const std::string& id = run.info.run_id;
  JO_ASSIGN_OR_RETURN(std::string before,
                      InstructionIn(step.incumbent_before, dataset, id, step.step, criterion));
  JO_ASSIGN_OR_RETURN(std::string after,
                      InstructionIn(step.candidate, dataset, id, step.step, criterion));
  return std::optional<std::string>(
      prompts::AdherencePrompt(criterion, before, after, gradient));
}

void Accumulate(ScoreStats& s, std::vector<double>& values, const DiagnosticRow& r) {
  if (r.score) {
    values.push_back(*r.score);
  } else {
    ++s.missing;
  }
}

ScoreStats Finish(ScoreStats s, const std::vector<double>& values) {
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / values.size();
  s.mean = mean;
  if (values.size() >= 2) {
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    s.stddev = std::sqrt(ss / (values.size() - 1));
  }
  return s;
}

// Stats of the rows for which `keep` holds.
template <typename Pred>
ScoreStats StatsWhere(const std::vector<const DiagnosticRow*>& rows, Pred keep) {
  ScoreStats s;
  std::vector<double> values;
  for (const DiagnosticRow* r : rows) {
    if (keep(*r)) Accumulate(s, values, *r);
  }
  return Finish(s, values);
}

int ModeRank(const std::string& label) {
  static const std::vector<std::string> kOrder = {"Single", "SSS", "SSC", "SCC", "CCC"};
  auto it = std::find(kOrder.begin(), kOrder.end(), label);
  return static_cast<int>(it - kOrder.begin());
}

std::optional<double> MeanOfModes(const DiagnosticSummary& s, std::vector<std::string> group) {
  double sum = 0;
  int n = 0;
  for (std::size_t m = 0; m < s.modes.size(); ++m) {
    if (std::find(group.begin(), group.end(), s.modes[m]) == group.end()) continue;
    if (!s.by_mode[m].mean) continue;
    sum += *s.by_mode[m].mean;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

std::string Num(const std::optional<double>& v, int decimals = 2) {
  return v ? FormatFixed(*v, decimals) : "-";
}

std::vector<std::string> StatsCells(const ScoreStats& s) {
  return {Num(s.mean), Num(s.stddev), std::to_string(s.count), std::to_string(s.missing)};
}

ordered_json StatsJson(const ScoreStats& s) {
  return {{"mean", s.mean ? ordered_json(*s.mean) : ordered_json(nullptr)},
          {"std", s.stddev ? ordered_json(*s.stddev) : ordered_json(nullptr)},
          {"count", s.count},
          {"missing", s.missing}};
}

}  // namespace

std::vector<std::string> DiagnosticKinds() { return {kSpecificity, kAdherence}; }

bool IsDiagnosticKind(const std::string& kind) {
  const std::vector<std::string> kinds = DiagnosticKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

Result<judge::JudgePrompt> StoredPrompt(const optim::PromptRecord& record,
                                        const data::Dataset& dataset, const std::string& run_id,
                                        const std::string& what) {
  const std::string where = fmt::format("run {} {} prompt {}", run_id, what, record.fingerprint);
  std::vector<judge::CriterionInstruction> instructions;
  std::string preamble = dataset.preamble;
  bool output_format = true;
  try {
    const auto tree = nlohmann::ordered_json::parse(record.json);
    if (tree.contains("preamble")) preamble = tree.at("preamble").get<std::string>();
    if (tree.contains("output_format")) output_format = tree.at("output_format").get<bool>();
    const auto& given = tree.at("instructions");
    for (const auto& [name, text] : given.items()) {
      if (dataset.CriterionIndex(name) < 0) {
        return InvalidArgument(where + ": unknown criterion " + name);
      }
    }
    for (const data::Criterion& c : dataset.criteria) {
      if (given.contains(c.name)) {
        instructions.push_back({c.name, given.at(c.name).get<std::string>()});
      }
    }
  } catch (const std::exception& e) {
    return ParseError(where + ": " + e.what());
  }
  judge::JudgePrompt prompt(std::move(preamble), output_format, std::move(instructions));
  if (prompt.Fingerprint() != record.fingerprint) {
    return InternalError(where + ": the fingerprint does not match the stored text");
  }
  return prompt;
}

std::string GradientTextFor(const optim::StepRecord& step, const std::string& criterion) {
  std::vector<std::string> texts;
  for (const optim::SampleText& g : step.gradients) {
    if ((g.criterion == criterion || g.criterion == "*") && !IsBlank(g.text)) {
      texts.push_back(g.text);
    }
  }
  return prompts::DiagnosticGradientText(texts);
}

Result<std::vector<DiagnosticItem>> PlanDiagnostics(const std::string& kind,
                                                    const std::vector<DiagnosedRun>& runs,
                                                    const data::Dataset& dataset,
                                                    const std::set<DiagnosticKey>& done) {
  if (!IsDiagnosticKind(kind)) {
    return InvalidArgument("diagnostic " + InvalidChoiceMessage(DiagnosticKinds(), kind));
  }
  std::vector<std::string> all_criteria;
  for (const data::Criterion& c : dataset.criteria) all_criteria.push_back(c.name);
  std::vector<DiagnosticItem> items;
  for (const DiagnosedRun& run : runs) {
    for (const optim::StepRecord& step : run.steps) {
      if (step.step < 1) continue;
      for (const std::string& criterion : run.info.criteria) {
        if (done.count({run.info.run_id, step.step, criterion}) > 0) continue;
        JO_ASSIGN_OR_RETURN(auto prompt,
                            PromptOf(kind, run, step, criterion, dataset, all_criteria));
        if (!prompt) continue;
        items.push_back({run.info.run_id, run.info.mode, step.step, criterion, *prompt});
      }
    }
  }
  return items;
}

std::vector<DiagnosticOutcome> ScoreDiagnostics(llm::LlmClient& client, WorkPool& pool,
                                                const std::string& kind,
                                                const std::vector<DiagnosticItem>& items,
                                                const DiagnosticCallSettings& settings) {
  std::vector<DiagnosticOutcome> out(items.size());
  pool.ParallelFor(items.size(), [&](std::size_t i) {
    const DiagnosticItem& item = items[i];
    llm::ChatRequest request = settings.base;
    request.role = llm::Role::kDiagnostic;
    request.messages = {{"user", item.prompt}};
    request.tag =
        fmt::format("diagnose/{}/{}/step{}/{}", kind, item.run_id, item.step, item.criterion);
    auto reply = client.Complete(request);
    if (!reply.ok()) {
      out[i].error = reply.error().WithContext(
          fmt::format("{} of run {} step {} {}", kind, item.run_id, item.step, item.criterion));
      return;
    }
    DiagnosticRow row;
    row.run_id = item.run_id;
    row.mode = item.mode;
    row.kind = kind;
    row.step = item.step;
    row.criterion = item.criterion;
    // A reply cut off at max_tokens or filtered gives no score (its text may still say one).
    row.score = prompts::ParseDiagnosticScore(llm::CompleteText(request, *reply));
    row.raw_reply = reply->content;
    row.request_hash = llm::RequestKey(request, settings.endpoint_kind);
    row.model = request.model;
    row.simulated = reply->simulated;  // this score's own reply (docs/simulator.md)
    out[i].row = std::move(row);
  });
  return out;
}

std::string DiagnosticModeLabel(const std::string& run_mode) {
  return run_mode.starts_with("ST:") ? "Single" : run_mode;
}

DiagnosticSummary SummarizeDiagnostics(const std::vector<DiagnosticRow>& rows,
                                       const std::string& kind) {
  DiagnosticSummary s;
  s.kind = kind;
  std::vector<const DiagnosticRow*> kept;
  for (const DiagnosticRow& r : rows) {
    if (r.kind != kind) continue;
    kept.push_back(&r);
    const std::string label = DiagnosticModeLabel(r.mode);
    if (std::find(s.modes.begin(), s.modes.end(), label) == s.modes.end()) s.modes.push_back(label);
    if (std::find(s.criteria.begin(), s.criteria.end(), r.criterion) == s.criteria.end()) {
      s.criteria.push_back(r.criterion);
    }
    if (std::find(s.steps.begin(), s.steps.end(), r.step) == s.steps.end())
      s.steps.push_back(r.step);
  }
  std::stable_sort(s.modes.begin(), s.modes.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(ModeRank(a), a) < std::make_pair(ModeRank(b), b);
  });
  std::sort(s.steps.begin(), s.steps.end());
  for (const std::string& mode : s.modes) {
    auto in_mode = [&](const DiagnosticRow& r) { return DiagnosticModeLabel(r.mode) == mode; };
    s.by_mode.push_back(StatsWhere(kept, in_mode));
    std::vector<ScoreStats> per_criterion;
    for (const std::string& c : s.criteria) {
      per_criterion.push_back(
          StatsWhere(kept, [&](const DiagnosticRow& r) { return in_mode(r) && r.criterion == c; }));
    }
    s.by_criterion.push_back(std::move(per_criterion));
  }
  for (int step : s.steps) {
    std::vector<ScoreStats> per_mode;
    for (const std::string& mode : s.modes) {
      per_mode.push_back(StatsWhere(kept, [&](const DiagnosticRow& r) {
        return r.step == step && DiagnosticModeLabel(r.mode) == mode;
      }));
    }
    s.by_step.push_back(std::move(per_mode));
  }
  s.separate_mean = MeanOfModes(s, {"Single", "SSS", "SSC"});
  s.combined_mean = MeanOfModes(s, {"SCC", "CCC"});
  return s;
}

std::string RenderDiagnosticSummary(const DiagnosticSummary& s, bool simulated) {
  const std::string tag = simulated ? " [SIMULATED]" : "";
  std::string out = fmt::format("{} (1-10) by mode{}:\n", s.kind, tag);
  TextTable modes({"mode", "mean", "std", "scored", "missing"});
  for (std::size_t m = 0; m < s.modes.size(); ++m) {
    std::vector<std::string> row = {s.modes[m]};
    for (auto& cell : StatsCells(s.by_mode[m])) row.push_back(std::move(cell));
    modes.AddRow(std::move(row));
  }
  out += modes.Render();
  out += fmt::format("\n{} by mode and criterion (mean, std, scored){}:\n", s.kind, tag);
  std::vector<std::string> header = {"mode"};
  header.insert(header.end(), s.criteria.begin(), s.criteria.end());
  TextTable crit(header);
  for (std::size_t m = 0; m < s.modes.size(); ++m) {
    std::vector<std::string> row = {s.modes[m]};
    for (const ScoreStats& st : s.by_criterion[m]) {
      row.push_back(st.count + st.missing == 0
                        ? "-"
                        : fmt::format("{} ±{} ({})", Num(st.mean), Num(st.stddev), st.count));
    }
    crit.AddRow(std::move(row));
  }
  out += crit.Render();
  out += fmt::format("\n{} mean by step{}:\n", s.kind, tag);
  std::vector<std::string> step_header = {"step"};
  step_header.insert(step_header.end(), s.modes.begin(), s.modes.end());
  TextTable steps(step_header);
  for (std::size_t k = 0; k < s.steps.size(); ++k) {
    std::vector<std::string> row = {std::to_string(s.steps[k])};
    for (const ScoreStats& st : s.by_step[k]) row.push_back(Num(st.mean));
    steps.AddRow(std::move(row));
  }
  out += steps.Render();
  if (s.separate_mean && s.combined_mean) {
    out += fmt::format(
        "\nseparate gradients (Single, SSS, SSC) {}; combined gradients (SCC, CCC) {}; "
        "drop {}%\n",
        Num(s.separate_mean), Num(s.combined_mean),
        FormatFixed(std::round((1.0 - *s.combined_mean / *s.separate_mean) * 100.0), 0));
  }
  return out;
}

ordered_json DiagnosticSummaryToJson(const DiagnosticSummary& s,
                                     const std::vector<DiagnosticRow>& rows, bool simulated) {
  ordered_json j = {{"kind", s.kind}, {"simulated", simulated}};
  ordered_json by_mode = ordered_json::array();
  ordered_json by_criterion = ordered_json::array();
  for (std::size_t m = 0; m < s.modes.size(); ++m) {
    ordered_json e = StatsJson(s.by_mode[m]);
    e["mode"] = s.modes[m];
    by_mode.push_back(std::move(e));
    for (std::size_t c = 0; c < s.criteria.size(); ++c) {
      const ScoreStats& st = s.by_criterion[m][c];
      if (st.count + st.missing == 0) continue;
      ordered_json ce = StatsJson(st);
      ce["mode"] = s.modes[m];
      ce["criterion"] = s.criteria[c];
      by_criterion.push_back(std::move(ce));
    }
  }
  ordered_json by_step = ordered_json::array();
  for (std::size_t k = 0; k < s.steps.size(); ++k) {
    for (std::size_t m = 0; m < s.modes.size(); ++m) {
      const ScoreStats& st = s.by_step[k][m];
      if (st.count + st.missing == 0) continue;
      ordered_json e = StatsJson(st);
      e["step"] = s.steps[k];
      e["mode"] = s.modes[m];
      by_step.push_back(std::move(e));
    }
  }
  auto opt = [](const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(); };
  j["by_mode"] = std::move(by_mode);
  j["by_mode_criterion"] = std::move(by_criterion);
  j["by_step"] = std::move(by_step);
  j["groups"] = {{"separate_gradients", opt(s.separate_mean)},
                 {"combined_gradients", opt(s.combined_mean)}};
  ordered_json list = ordered_json::array();
  for (const DiagnosticRow& r : rows) {
    if (r.kind != s.kind) continue;
    list.push_back({{"run_id", r.run_id},
                    {"mode", r.mode},
                    {"step", r.step},
                    {"criterion", r.criterion},
                    {"score", r.score ? ordered_json(*r.score) : ordered_json()},
                    {"raw_reply", r.raw_reply},
                    {"request_hash", r.request_hash}});
  }
  j["rows"] = std::move(list);
  return j;
}

}  // namespace judgeopt::experiments
