#include "judgeopt/optim/engine/gate.h"

#include <thread>

#include "judgeopt/metrics/agreement.h"
#include "judgeopt/metrics/correlation.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/methods/archive.h"
#include "judgeopt/optim/methods/noise_gate.h"

namespace judgeopt::optim {

std::optional<double> NormalizedMetric(GateMetric metric, std::span<const double> gold,
                                       std::span<const double> pred) {
  if (gold.empty()) return std::nullopt;
  if (metric == GateMetric::kMae) return -metrics::Mae(gold, pred);
  if (metric == GateMetric::kOffByOne) return metrics::OffByK(gold, pred, 1.0);
  return metrics::Spearman(gold, pred);
}

GateMetric ScoringMetric(const OptimizeConfig& config) {
  return config.gate.metric == GateMetric::kNone ? GateMetric::kMae : config.gate.metric;
}

std::vector<std::optional<double>> CriterionScores(
    const RunContext& ctx, GateMetric metric, const std::vector<std::size_t>& positions,
    const std::vector<judge::Prediction>& predictions) {
  std::vector<std::optional<double>> out;
  for (const std::string& name : ctx.criteria) {
    const auto c = static_cast<std::size_t>(ctx.dataset.CriterionIndex(name));
    std::vector<double> gold, pred;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const auto v = predictions[i].Value(c);
      if (!v) continue;
      gold.push_back(ctx.dataset.examples[positions[i]].gold[c]);
      pred.push_back(*v);
    }
    out.push_back(NormalizedMetric(metric, gold, pred));
  }
  return out;
}

std::optional<double> MeanScore(const std::vector<std::optional<double>>& scores) {
  double sum = 0;
  int counted = 0;
  for (const auto& s : scores) {
    if (!s) continue;
    sum += *s;
    ++counted;
  }
  if (counted == 0) return std::nullopt;
  return sum / counted;
}

std::optional<double> GateScore(const RunContext& ctx, GateMetric metric,
                                const std::vector<std::size_t>& positions,
                                const std::vector<judge::Prediction>& predictions) {
  return MeanScore(CriterionScores(ctx, metric, positions, predictions));
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

namespace {

// The mean gate's rule: ties accept; a candidate without any score loses unless the incumbent
// has none either.
bool MeanRuleAccepts(const GateRecord& g) {
  if (!g.candidate_score) return !g.incumbent_score;
  return !g.incumbent_score || *g.candidate_score >= *g.incumbent_score;
}

}  // namespace

Result<GateRecord> RunGate(RunContext& ctx, int step, const judge::JudgePrompt& incumbent,
                           const judge::JudgePrompt& candidate, std::optional<double> carried,
                           std::vector<DecisionRecord>* decisions) {
  GateRecord g;
  const GateMetric metric = ctx.config.gate.metric;
  g.metric = EnumName(metric);
  if (metric == GateMetric::kNone) return g;
  ctx.Stage(step, "gate");
  g.skipped = false;
  const auto positions = GatePositions(ctx.dataset, ctx.config.gate.samples);
  const bool noise_aware = ctx.config.gate.kind == GateKind::kNoiseAware;
  std::optional<std::vector<std::optional<double>>> inc_scores;
  std::vector<std::optional<double>> cand_scores;
  std::optional<NoiseGateOutcome> bootstrap;
  if (ctx.config.switches.rescore_incumbent || noise_aware) {
    JO_ASSIGN_OR_RETURN(auto preds, PredictMany(ctx, {incumbent, candidate}, positions, step,
                                                "gate", {step, step}));
    inc_scores = CriterionScores(ctx, metric, positions, preds[0]);
    cand_scores = CriterionScores(ctx, metric, positions, preds[1]);
    g.incumbent_score = MeanScore(*inc_scores);
    if (noise_aware) {
      bootstrap = BootstrapGate(PairedColumns(ctx, positions, preds[0], preds[1]),
                                NoiseGateSettingsFor(ctx, step));
    }
  } else {
    if (!carried) {
      JO_ASSIGN_OR_RETURN(auto inc, PredictMany(ctx, {incumbent}, positions, step, "gate", {0}));
      inc_scores = CriterionScores(ctx, metric, positions, inc[0]);
      carried = MeanScore(*inc_scores);
    }
    g.incumbent_score = carried;
    JO_ASSIGN_OR_RETURN(auto cand, PredictMany(ctx, {candidate}, positions, step, "gate", {step}));
    cand_scores = CriterionScores(ctx, metric, positions, cand[0]);
  }
  g.candidate_score = MeanScore(cand_scores);
  g.accepted = bootstrap ? bootstrap->accepted : MeanRuleAccepts(g);
  if (decisions != nullptr && RecordsArchive(ctx.config)) {
    if (inc_scores) {
      decisions->push_back(ArchiveDecision(ctx.criteria, incumbent, *inc_scores, "gate/incumbent"));
    }
    decisions->push_back(ArchiveDecision(ctx.criteria, candidate, cand_scores, "gate/candidate"));
  }
  if (decisions != nullptr && bootstrap) {
    decisions->push_back(NoiseGateDecision(*bootstrap, NoiseGateSettingsFor(ctx, step)));
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
  const GateMetric metric = ScoringMetric(ctx.config);
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
