#include "judgeopt/experiments/evaluation.h"

#include <cmath>
#include <limits>

#include "judgeopt/metrics/grouped.h"

namespace judgeopt::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Result<CriterionReport> ScoreCriterion(const data::Dataset& dataset, std::size_t c,
                                       const std::vector<std::size_t>& positions,
                                       const std::vector<judge::Prediction>& predictions) {
  std::vector<double> gold, pred;
  std::vector<std::string> groups;
  bool has_groups = false;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const data::Example& ex = dataset.examples[positions[i]];
    gold.push_back(ex.gold[c]);
    pred.push_back(predictions[i].Value(c).value_or(kNaN));
    groups.push_back(ex.group);
    has_groups = has_groups || !ex.group.empty();
  }
  const data::Criterion& crit = dataset.criteria[c];
  CriterionReport report;
  report.criterion = crit.name;
  JO_ASSIGN_OR_RETURN(report.metrics,
                      metrics::EvaluatePairs(gold, pred, {crit.scale.min, crit.scale.max}));
  if (has_groups) {
    JO_ASSIGN_OR_RETURN(auto grouped, metrics::PerGroupCorrelation(
                                          metrics::CorrelationKind::kSpearman, gold, pred, groups));
    if (grouped.groups_defined > 0) report.grouped_spearman = grouped.mean;
  }
  return report;
}

}  // namespace

CriterionReport AverageOver(const std::vector<CriterionReport>& criteria) {
  CriterionReport avg;
  avg.criterion = "average";
  if (criteria.empty()) return avg;
  const double k = static_cast<double>(criteria.size());
  double grouped_sum = 0;
  bool all_grouped = true;
  for (const auto& c : criteria) {
    const auto& m = c.metrics;
    avg.metrics.spearman += m.spearman / k;
    avg.metrics.kendall += m.kendall / k;
    avg.metrics.pearson += m.pearson / k;
    avg.metrics.mae += m.mae / k;
    avg.metrics.off_by_one += m.off_by_one / k;
    avg.metrics.accuracy += m.accuracy / k;
    avg.metrics.qwk += m.qwk / k;
    avg.metrics.n += m.n;
    avg.metrics.missing += m.missing;
    all_grouped = all_grouped && c.grouped_spearman.has_value();
    grouped_sum += c.grouped_spearman.value_or(0.0);
  }
  if (all_grouped) avg.grouped_spearman = grouped_sum / k;
  return avg;
}

Result<EvalResult> ScorePredictions(const data::Dataset& dataset,
                                    std::vector<std::size_t> positions,
                                    std::vector<judge::Prediction> predictions) {
  if (positions.size() != predictions.size()) {
    return InternalError("ScorePredictions: " + std::to_string(positions.size()) +
                         " positions but " + std::to_string(predictions.size()) + " predictions");
  }
  EvalResult result;
  result.positions = std::move(positions);
  result.predictions = std::move(predictions);
  for (std::size_t c = 0; c < dataset.criteria.size(); ++c) {
    JO_ASSIGN_OR_RETURN(auto report,
                        ScoreCriterion(dataset, c, result.positions, result.predictions));
    result.criteria.push_back(std::move(report));
  }
  result.average = AverageOver(result.criteria);
  for (const auto& p : result.predictions) {
    bool any = false;
    for (std::size_t c = 0; c < p.values.size(); ++c) any = any || p.Value(c).has_value();
    if (!any) ++result.failed_examples;
  }
  return result;
}

Result<EvalResult> EvaluatePrompt(const judge::Judge& judge, const data::Dataset& dataset,
                                  const judge::JudgePrompt& prompt,
                                  std::span<const std::size_t> positions,
                                  const judge::PredictOptions& options) {
  JO_ASSIGN_OR_RETURN(auto predictions, judge.Predict(dataset, prompt, positions, options));
  return ScorePredictions(dataset, {positions.begin(), positions.end()}, std::move(predictions));
}

Status CheckEvalUsable(const EvalResult& result) {
  for (const auto& p : result.predictions) {
    if (!p.error) continue;
    const ErrorCode code = p.error->code;
    if (code == ErrorCode::kBudgetExceeded || code == ErrorCode::kAuth ||
        code == ErrorCode::kNotFound || code == ErrorCode::kCancelled) {
      return *p.error;
    }
  }
  if (result.predictions.empty() || result.failed_examples < result.predictions.size()) {
    return Status::Ok();
  }
  std::string message =
      "none of the " + std::to_string(result.predictions.size()) + " examples got a usable score";
  for (const auto& p : result.predictions) {
    if (p.error) return ParseError(message + "; the first error: " + p.error->message);
  }
  return ParseError(message + " (no reply gave a score)");
}

judge::JudgeSettings EvalJudgeSettings(const llm::RoleConfig& judge_role, int64_t seed,
                                       judge::JudgeMode mode) {
  judge::JudgeSettings settings;
  settings.model = llm::ModelOrSimName(judge_role);
  settings.temperature = judge_role.temperature;
  settings.max_tokens = judge_role.max_tokens;
  settings.seed = seed;
  settings.mode = mode;
  return settings;
}

}  // namespace judgeopt::experiments
