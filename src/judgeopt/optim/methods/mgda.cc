#include "judgeopt/optim/methods/mgda.h"

#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "judgeopt/optim/engine/decision_util.h"
#include "judgeopt/optim/engine/gate.h"
#include "judgeopt/optim/engine/run_evaluation.h"
#include "judgeopt/optim/methods/archive.h"
#include "judgeopt/optim/methods/length_balance.h"
#include "judgeopt/optim/textgrad/stages.h"

namespace judgeopt::optim {
namespace {

constexpr double kTie = 1e-12;

MgdaRow MakeRow(const std::vector<std::string>& criteria,
                const std::vector<std::optional<double>>& incumbent, const MgdaCandidate& candidate,
                double tolerance) {
  MgdaRow row;
  double sum = 0;
  int counted = 0;
  std::string lost, worst;
  double worst_drop = 0;
  for (std::size_t c = 0; c < incumbent.size(); ++c) {
    const auto& inc = incumbent[c];
    const auto cand = c < candidate.scores.size() ? candidate.scores[c] : std::nullopt;
    if (inc && !cand && lost.empty()) lost = criteria[c];
    if (!inc || !cand) {
      row.improvements.push_back(std::nullopt);
      continue;
    }
    const double d = *cand - *inc;
    row.improvements.push_back(d);
    sum += d;
    ++counted;
    row.min_improvement = row.min_improvement ? std::min(*row.min_improvement, d) : d;
    if (d < -tolerance - kTie && -d > worst_drop) {
      worst_drop = -d;
      worst = criteria[c];
    }
  }
  if (counted > 0) row.mean_improvement = sum / counted;
  if (!lost.empty()) {
    row.reason = fmt::format("no score for {}", lost);
  } else if (counted == 0) {
    row.reason = "no criterion to compare";
  } else if (!worst.empty()) {
    row.reason = fmt::format("{} regresses by {:.3f} > tolerance {}", worst, worst_drop, tolerance);
  } else if (*row.mean_improvement < -kTie) {
    row.reason = fmt::format("mean improvement {:+.3f} < 0", *row.mean_improvement);
  }
  row.qualified = row.reason.empty();
  return row;
}

double OrLowest(const std::optional<double>& v) {
  return v.value_or(-std::numeric_limits<double>::infinity());
}

// True when candidate a ranks before b: larger minimum improvement, then larger mean, then the
// union, then the lower index (a < b).
bool RanksBefore(const std::vector<MgdaCandidate>& cands, const std::vector<MgdaRow>& rows,
                 std::size_t a, std::size_t b) {
  auto differ = [](double x, double y) { return x != y && !(std::abs(x - y) <= kTie); };
  const double ma = OrLowest(rows[a].min_improvement), mb = OrLowest(rows[b].min_improvement);
  if (differ(ma, mb)) return ma > mb;
  const double ea = OrLowest(rows[a].mean_improvement), eb = OrLowest(rows[b].mean_improvement);
  if (differ(ea, eb)) return ea > eb;
  if (cands[a].is_union != cands[b].is_union) return cands[a].is_union;
  return a < b;
}

nlohmann::json ScoreMap(const std::vector<std::string>& criteria,
                        const std::vector<std::optional<double>>& values) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t c = 0; c < criteria.size() && c < values.size(); ++c) {
    j[criteria[c]] = OptionalJson(values[c]);
  }
  return j;
}

// The "mgda" decision of a step.
DecisionRecord MgdaDecision(const RunContext& ctx, const std::vector<LabelledPrompt>& prompts,
                            const std::vector<MgdaCandidate>& cands,
                            const std::vector<std::optional<double>>& incumbent,
                            const MgdaChoice& choice,
                            const std::vector<std::pair<std::string, std::string>>& skipped,
                            std::size_t examples) {
  const MethodConfig& m = ctx.config.method;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const MgdaRow& r = choice.rows[i];
    rows.push_back({{"label", cands[i].label},
                    {"union", cands[i].is_union},
                    {"fingerprint", prompts[i].prompt.Fingerprint()},
                    {"scores", ScoreMap(ctx.criteria, cands[i].scores)},
                    {"improvements", ScoreMap(ctx.criteria, r.improvements)},
                    {"min_improvement", OptionalJson(r.min_improvement)},
                    {"mean_improvement", OptionalJson(r.mean_improvement)},
                    {"qualified", r.qualified},
                    {"reason", r.reason}});
  }
  nlohmann::json skip = nlohmann::json::array();
  for (const auto& [label, reason] : skipped)
    skip.push_back({{"label", label}, {"reason", reason}});
  const nlohmann::json payload = {
      {"eval", EnumName(m.mgda_eval)},
      {"metric", EnumName(ScoringMetric(ctx.config))},
      {"tolerance", m.mgda_tolerance},
      {"examples", examples},
      {"incumbent", ScoreMap(ctx.criteria, incumbent)},
      {"candidates", std::move(rows)},
      {"skipped", std::move(skip)},
      {"chosen", choice.chosen ? nlohmann::json(cands[*choice.chosen].label) : nullptr}};
  std::string summary;
  if (cands.empty()) {
    summary = "kept the incumbent: no candidate differs from it";
  } else if (choice.chosen) {
    const MgdaRow& r = choice.rows[*choice.chosen];
    summary = fmt::format("chose {} of {} candidates (min improvement {}, mean {}, {} on {})",
                          cands[*choice.chosen].label, cands.size(), Signed3(r.min_improvement),
                          Signed3(r.mean_improvement), EnumName(ScoringMetric(ctx.config)),
                          EnumName(m.mgda_eval));
  } else {
    summary =
        fmt::format("kept the incumbent: none of {} candidates qualifies (best {}: {})",
                    cands.size(), cands[*choice.best].label, choice.rows[*choice.best].reason);
  }
  return {"mgda", "", std::move(summary), payload.dump()};
}

// The scores of the incumbent (first) and every candidate on the MGDA examples.
struct Scored {
  std::vector<std::size_t> positions;
  std::vector<std::optional<double>> incumbent;
  std::vector<MgdaCandidate> candidates;
};

Result<Scored> ScoreAll(RunContext& ctx, int step, const judge::JudgePrompt& incumbent,
                        const std::vector<BatchSample>& batch,
                        const std::vector<LabelledPrompt>& prompts) {
  Scored s;
  const GateMetric metric = ScoringMetric(ctx.config);
  const bool validation = ctx.config.method.mgda_eval == MgdaEval::kValidation;
  std::vector<judge::JudgePrompt> wave;
  std::vector<judge::Prediction> incumbent_preds;
  if (validation) {
    s.positions = GatePositions(ctx.dataset, ctx.config.gate.samples);
    wave.push_back(incumbent);
  } else {
    for (const BatchSample& b : batch) {
      s.positions.push_back(b.position);
      incumbent_preds.push_back(b.prediction);
    }
  }
  for (const LabelledPrompt& p : prompts) wave.push_back(p.prompt);
  JO_ASSIGN_OR_RETURN(auto preds, PredictMany(ctx, wave, s.positions, step, "mgda",
                                              std::vector<int>(wave.size(), step)));
  std::size_t next = 0;
  if (validation) incumbent_preds = std::move(preds[next++]);
  s.incumbent = CriterionScores(ctx, metric, s.positions, incumbent_preds);
  for (const LabelledPrompt& p : prompts) {
    s.candidates.push_back(
        {p.label, p.is_union, CriterionScores(ctx, metric, s.positions, preds[next++])});
  }
  return s;
}

// record.gate as MGDA's own decision (no separate gate).
GateRecord MgdaGate(const RunContext& ctx, const Scored& s, const MgdaChoice& choice) {
  GateRecord g;
  const bool validation = ctx.config.method.mgda_eval == MgdaEval::kValidation;
  g.metric = EnumName(validation ? ScoringMetric(ctx.config) : ctx.config.gate.metric);
  g.skipped = !validation;
  g.accepted = choice.chosen.has_value();
  g.incumbent_score = MeanScore(s.incumbent);
  if (choice.best) g.candidate_score = MeanScore(s.candidates[*choice.best].scores);
  return g;
}

}  // namespace

MgdaChoice ChooseMgdaCandidate(const std::vector<std::string>& criteria,
                               const std::vector<std::optional<double>>& incumbent,
                               const std::vector<MgdaCandidate>& candidates, double tolerance) {
  MgdaChoice out;
  for (const MgdaCandidate& c : candidates) {
    out.rows.push_back(MakeRow(criteria, incumbent, c, tolerance));
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!out.best || RanksBefore(candidates, out.rows, i, *out.best)) out.best = i;
    if (out.rows[i].qualified &&
        (!out.chosen || RanksBefore(candidates, out.rows, i, *out.chosen))) {
      out.chosen = i;
    }
  }
  if (out.chosen) out.best = out.chosen;
  return out;
}

Result<std::vector<LabelledPrompt>> BuildMgdaCandidates(
    const RunContext& ctx, const judge::JudgePrompt& incumbent,
    const std::vector<judge::JudgePrompt>& optimizer_candidates,
    std::vector<std::pair<std::string, std::string>>& skipped) {
  std::vector<LabelledPrompt> out;
  std::set<std::string> seen = {incumbent.Fingerprint()};
  auto add = [&](LabelledPrompt p) {
    if (p.prompt == incumbent) {
      skipped.emplace_back(p.label, "unchanged");
      return;
    }
    if (!seen.insert(p.prompt.Fingerprint()).second) {
      for (const LabelledPrompt& o : out) {
        if (o.prompt == p.prompt) skipped.emplace_back(p.label, "same as " + o.label);
      }
      return;
    }
    out.push_back(std::move(p));
  };
  const bool several = optimizer_candidates.size() > 1;
  for (std::size_t k = 0; k < optimizer_candidates.size(); ++k) {
    const judge::JudgePrompt& all = optimizer_candidates[k];
    const std::string suffix = several ? fmt::format("#{}", k) : "";
    const judge::JudgePrompt base = incumbent.WithOutputFormat(all.output_format());
    for (const std::string& c : ctx.criteria) {
      JO_ASSIGN_OR_RETURN(judge::JudgePrompt single, base.WithInstruction(c, *all.Instruction(c)));
      add({c + suffix, false, std::move(single)});
    }
    add({"union" + suffix, true, all});
  }
  return out;
}

Result<judge::JudgePrompt> RunMgdaUpdate(RunContext& ctx, int step,
                                         const judge::JudgePrompt& incumbent,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& gradients,
                                         StepRecord& record) {
  JO_ASSIGN_OR_RETURN(OptimizerOutput opt,
                      RunOptimizerStage(ctx, step, incumbent, batch, gradients));
  record.optimizer_calls = std::move(opt.calls);
  for (DecisionRecord& d : opt.decisions) record.decisions.push_back(std::move(d));
  JO_RETURN_IF_ERROR(ApplyLengthBalance(ctx, incumbent, opt.candidates, record.decisions));
  std::vector<std::pair<std::string, std::string>> skipped;
  JO_ASSIGN_OR_RETURN(const std::vector<LabelledPrompt> prompts,
                      BuildMgdaCandidates(ctx, incumbent, opt.candidates, skipped));
  Scored scored;
  if (!prompts.empty()) {
    ctx.Stage(step, "mgda");
    JO_ASSIGN_OR_RETURN(scored, ScoreAll(ctx, step, incumbent, batch, prompts));
  }
  const MgdaChoice choice = ChooseMgdaCandidate(ctx.criteria, scored.incumbent, scored.candidates,
                                                ctx.config.method.mgda_tolerance);
  record.decisions.push_back(MgdaDecision(ctx, prompts, scored.candidates, scored.incumbent, choice,
                                          skipped, scored.positions.size()));
  const bool validation = ctx.config.method.mgda_eval == MgdaEval::kValidation;
  if (validation && !prompts.empty()) {
    record.decisions.push_back(
        ArchiveDecision(ctx.criteria, incumbent, scored.incumbent, "mgda/incumbent"));
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      record.decisions.push_back(ArchiveDecision(ctx.criteria, prompts[i].prompt,
                                                 scored.candidates[i].scores,
                                                 "mgda/" + prompts[i].label));
    }
  }
  const judge::JudgePrompt& shown = choice.best ? prompts[*choice.best].prompt : incumbent;
  record.candidate = MakePromptRecord(shown);
  record.gate = MgdaGate(ctx, scored, choice);
  if (choice.chosen && !validation && ctx.config.gate.metric != GateMetric::kNone) {
    JO_ASSIGN_OR_RETURN(record.gate,
                        RunGate(ctx, step, incumbent, shown, std::nullopt, &record.decisions));
  }
  for (const MgdaCandidate& c : scored.candidates) {
    record.gate.candidate_batch_scores.push_back(MeanScore(c.scores).value_or(-1e300));
  }
  record.gate.chosen_candidate = choice.best ? static_cast<int>(*choice.best) : 0;
  return choice.chosen && record.gate.accepted ? shown : incumbent;
}

}  // namespace judgeopt::optim
