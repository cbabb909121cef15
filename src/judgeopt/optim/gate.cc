#include "judgeopt/optim/gate.h"

#include <thread>

#include "judgeopt/metrics/evaluate.h"
#include "judgeopt/optim/batch.h"

namespace judgeopt::optim {
namespace {

std::optional<double> Normalized(const metrics::CriterionMetrics& m, const std::string& metric) {
  if (metric == "mae") return -m.mae;
  if (metric == "off_by_one") return m.off_by_1;
  return m.spearman;
}

}  // namespace

std::optional<double> GateScore(const RunContext& ctx, const std::string& metric,
                                const std::vector<std::size_t>& positions,
                                const std::vector<judge::Prediction>& predictions) {
  double sum = 0;
  int counted = 0;
  for (const std::string& name : ctx.criteria) {
    const int c = ctx.dataset.CriterionIndex(name);
    const data::Criterion& crit = ctx.dataset.criteria[static_cast<std::size_t>(c)];
    std::vector<double> gold, pred;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const auto v = predictions[i].Value(static_cast<std::size_t>(c));
      if (!v) continue;
      gold.push_back(ctx.dataset.examples[positions[i]].gold[static_cast<std::size_t>(c)]);
      pred.push_back(*v);
    }
    if (gold.empty()) continue;
    auto m = metrics::EvaluatePairs(gold, pred, {crit.scale.min, crit.scale.max});
    if (!m.ok()) continue;
    const auto v = Normalized(*m, metric);
    if (!v) continue;
    sum += *v;
    ++counted;
  }
  if (counted == 0) return std::nullopt;
  return sum / counted;
}

Result<std::vector<std::vector<judge::Prediction>>> PredictMany(
    RunContext& ctx, const std::vector<judge::JudgePrompt>& prompts,
    const std::vector<std::size_t>& positions, int step, std::string_view stage,
    const std::vector<int>& repeats) {
  std::vector<Result<std::vector<judge::Prediction>>> results(
      prompts.size(), Error(ErrorCode::kInternal, "not predicted"));
  if (prompts.empty() || positions.empty()) {
    return std::vector<std::vector<judge::Prediction>>(prompts.size());
  }
  ++ctx.waves;
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < prompts.size(); ++k) {
    threads.emplace_back([&, k] {
      judge::PredictOptions o;
      o.tag = StepTag(step, stage) + (prompts.size() > 1 ? "/p" + std::to_string(k) : "");
      o.repeat = repeats[k];
      results[k] = ctx.judge.Predict(ctx.dataset, prompts[k], positions, o);
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::vector<judge::Prediction>> out;
  for (auto& r : results) {
    if (!r.ok()) return r.error();
    JO_RETURN_IF_ERROR(FirstCallFailure(*r));
    out.push_back(std::move(r).value());
  }
  return out;
}

Result<GateRecord> RunGate(RunContext& ctx, int step, const judge::JudgePrompt& incumbent,
                           const judge::JudgePrompt& candidate, std::optional<double> carried) {
  GateRecord g;
  g.metric = ctx.config.gate.metric;
  if (g.metric == "none") return g;
  ctx.Stage(step, "gate");
  g.skipped = false;
  const auto positions = GatePositions(ctx.dataset, ctx.config.gate.samples);
  if (ctx.config.switches.rescore_incumbent) {
    JO_ASSIGN_OR_RETURN(auto preds,
                        PredictMany(ctx, {incumbent, candidate}, positions, step, "gate",
                                    {step, step}));
    g.incumbent_score = GateScore(ctx, g.metric, positions, preds[0]);
    g.candidate_score = GateScore(ctx, g.metric, positions, preds[1]);
  } else {
    if (!carried) {
      JO_ASSIGN_OR_RETURN(auto inc, PredictMany(ctx, {incumbent}, positions, step, "gate", {0}));
      carried = GateScore(ctx, g.metric, positions, inc[0]);
    }
    g.incumbent_score = carried;
    JO_ASSIGN_OR_RETURN(auto cand,
                        PredictMany(ctx, {candidate}, positions, step, "gate", {step}));
    g.candidate_score = GateScore(ctx, g.metric, positions, cand[0]);
  }
  if (!g.candidate_score) {
    g.accepted = !g.incumbent_score;
  } else {
    g.accepted = !g.incumbent_score || *g.candidate_score >= *g.incumbent_score;
  }
  return g;
}

Result<int> PickCandidate(RunContext& ctx, int step,
                          const std::vector<judge::JudgePrompt>& candidates,
                          const std::vector<std::size_t>& batch, GateRecord& record) {
  if (candidates.size() <= 1) return 0;
  ctx.Stage(step, "candidates");
  std::vector<int> repeats(candidates.size(), step);
  JO_ASSIGN_OR_RETURN(auto preds, PredictMany(ctx, candidates, batch, step, "candidates", repeats));
  const std::string metric = ctx.config.gate.metric == "none" ? "mae" : ctx.config.gate.metric;
  int best = 0;
  double best_score = 0;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const auto s = GateScore(ctx, metric, batch, preds[k]);
    const double v = s.value_or(-1e300);
    record.candidate_batch_scores.push_back(v);
    if (k == 0 || v > best_score) {
      best = static_cast<int>(k);
      best_score = v;
    }
  }
  record.chosen_candidate = best;
  return best;
}

}  // namespace judgeopt::optim
