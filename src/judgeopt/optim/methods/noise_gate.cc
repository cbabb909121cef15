#include "judgeopt/optim/methods/noise_gate.h"

#include <algorithm>
#include <random>

#include <fmt/ranges.h>

#include "judgeopt/metrics/bootstrap.h"
#include "judgeopt/optim/engine/decision_util.h"
#include "judgeopt/optim/engine/gate.h"

namespace judgeopt::optim {
namespace {

// Uniform integer in [0, bound) by rejection: the same on every standard library.
std::size_t DrawBelow(std::mt19937_64& rng, std::size_t bound) {
  const uint64_t b = bound;
  const uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % b;
  uint64_t x = rng();
  while (x >= limit) x = rng();
  return static_cast<std::size_t>(x % b);
}

// The metric of one prompt's predictions over the examples `rows` (with repeats).
std::optional<double> MetricOn(GateMetric metric, const PairedColumn& col,
                               const std::vector<std::optional<double>>& pred,
                               const std::vector<std::size_t>& rows, std::vector<double>& gold,
                               std::vector<double>& values) {
  gold.clear();
  values.clear();
  for (std::size_t r : rows) {
    if (!pred[r]) continue;
    gold.push_back(col.gold[r]);
    values.push_back(*pred[r]);
  }
  return NormalizedMetric(metric, gold, values);
}

bool Consistent(const PairedColumn& c) {
  return c.incumbent.size() == c.gold.size() && c.candidate.size() == c.gold.size();
}

// Quantiles, regressions, the mean difference and the verdict from the resampled differences.
void Conclude(std::vector<std::vector<double>>& diffs, const NoiseGateSettings& settings,
              NoiseGateOutcome& out) {
  double sum = 0;
  int counted = 0;
  bool any_regress = false;
  for (std::size_t c = 0; c < out.criteria.size(); ++c) {
    CriterionBootstrap& b = out.criteria[c];
    if (!diffs[c].empty()) {
      std::sort(diffs[c].begin(), diffs[c].end());
      b.quantile = metrics::LinearQuantile(diffs[c], 1.0 - settings.confidence);
    }
    b.regresses =
        (b.incumbent && !b.candidate) || (b.quantile && *b.quantile < -settings.tolerance - 1e-12);
    any_regress = any_regress || b.regresses;
    if (b.difference) {
      sum += *b.difference;
      ++counted;
    }
  }
  if (counted > 0) out.mean_difference = sum / counted;
  out.accepted = !any_regress && (!out.mean_difference || *out.mean_difference >= 0);
}

}  // namespace

uint64_t NoiseGateSeed(int64_t run_seed, int step) {
  // SplitMix64 finalizer over the two inputs.
  uint64_t z = static_cast<uint64_t>(run_seed) * 0x9E3779B97F4A7C15ULL +
               static_cast<uint64_t>(static_cast<uint32_t>(step)) + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

NoiseGateSettings NoiseGateSettingsFor(const RunContext& ctx, int step) {
  NoiseGateSettings s;
  s.metric = ScoringMetric(ctx.config);
  s.resamples = ctx.config.gate.bootstrap;
  s.confidence = ctx.config.gate.confidence;
  s.tolerance = ctx.config.gate.tolerance;
  s.seed = NoiseGateSeed(ctx.config.seed, step);
  return s;
}

NoiseGateOutcome BootstrapGate(const std::vector<PairedColumn>& columns,
                               const NoiseGateSettings& settings) {
  NoiseGateOutcome out;
  std::vector<std::vector<double>> diffs(columns.size());
  std::vector<double> gold, values;
  std::size_t n = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const PairedColumn& col = columns[c];
    CriterionBootstrap b;
    b.criterion = col.criterion;
    if (Consistent(col)) {
      std::vector<std::size_t> all(col.gold.size());
      for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
      b.incumbent = MetricOn(settings.metric, col, col.incumbent, all, gold, values);
      b.candidate = MetricOn(settings.metric, col, col.candidate, all, gold, values);
      n = std::max(n, col.gold.size());
    }
    if (b.incumbent && b.candidate) b.difference = *b.candidate - *b.incumbent;
    out.criteria.push_back(std::move(b));
  }
  // One draw of example indices per resample, shared by every criterion and both prompts.
  std::mt19937_64 rng(settings.seed);
  std::vector<std::size_t> rows(n);
  for (int r = 0; n > 0 && r < settings.resamples; ++r) {
    for (std::size_t& i : rows) i = DrawBelow(rng, n);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const PairedColumn& col = columns[c];
      if (!out.criteria[c].difference || col.gold.size() != n) continue;
      const auto inc = MetricOn(settings.metric, col, col.incumbent, rows, gold, values);
      const auto cand = MetricOn(settings.metric, col, col.candidate, rows, gold, values);
      if (inc && cand) diffs[c].push_back(*cand - *inc);
    }
  }
  Conclude(diffs, settings, out);
  return out;
}

std::vector<PairedColumn> PairedColumns(const RunContext& ctx,
                                        const std::vector<std::size_t>& positions,
                                        const std::vector<judge::Prediction>& incumbent,
                                        const std::vector<judge::Prediction>& candidate) {
  std::vector<PairedColumn> out;
  for (const std::string& name : ctx.criteria) {
    const auto c = static_cast<std::size_t>(ctx.dataset.CriterionIndex(name));
    PairedColumn col;
    col.criterion = name;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      col.gold.push_back(ctx.dataset.examples[positions[i]].gold[c]);
      col.incumbent.push_back(incumbent[i].Value(c));
      col.candidate.push_back(candidate[i].Value(c));
    }
    out.push_back(std::move(col));
  }
  return out;
}

DecisionRecord NoiseGateDecision(const NoiseGateOutcome& outcome,
                                 const NoiseGateSettings& settings) {
  nlohmann::json criteria = nlohmann::json::object();
  std::vector<std::string> regressed;
  for (const CriterionBootstrap& b : outcome.criteria) {
    criteria[b.criterion] = {{"incumbent", OptionalJson(b.incumbent)},
                             {"candidate", OptionalJson(b.candidate)},
                             {"difference", OptionalJson(b.difference)},
                             {"quantile", OptionalJson(b.quantile)},
                             {"regresses", b.regresses}};
    if (b.regresses) regressed.push_back(b.criterion);
  }
  const nlohmann::json payload = {{"metric", EnumName(settings.metric)},
                                  {"resamples", settings.resamples},
                                  {"confidence", settings.confidence},
                                  {"tolerance", settings.tolerance},
                                  {"seed", settings.seed},
                                  {"mean_difference", OptionalJson(outcome.mean_difference)},
                                  {"accepted", outcome.accepted},
                                  {"criteria", std::move(criteria)}};
  std::string summary =
      fmt::format("{}: mean difference {} ({})", outcome.accepted ? "accepted" : "rejected",
                  Signed3(outcome.mean_difference), EnumName(settings.metric));
  if (!regressed.empty()) {
    summary += fmt::format("; {:.0f}% quantile below -{} for {}", 100 * (1 - settings.confidence),
                           settings.tolerance, fmt::join(regressed, ", "));
  }
  return {"noise_gate", "", std::move(summary), payload.dump()};
}

}  // namespace judgeopt::optim
