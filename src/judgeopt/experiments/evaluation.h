#pragma once
// Evaluating a judge prompt on a set of examples: predictions plus per-criterion metrics.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/judge_mode.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/metrics/evaluate.h"

namespace judgeopt::experiments {

/// Metrics of one criterion, plus the per-group (G-Eval style) Spearman when the dataset has
/// groups. Value type.
struct CriterionReport {
  std::string criterion;
  metrics::CriterionMetrics metrics;
  std::optional<double> grouped_spearman;  // mean over groups with a defined coefficient
};

/// What one evaluation produced. Value type.
struct EvalResult {
  std::vector<std::size_t> positions;         // indices into dataset.examples, in order
  std::vector<judge::Prediction> predictions;  // aligned with positions
  std::vector<CriterionReport> criteria;       // aligned with dataset.criteria
  CriterionReport average;                     // unweighted mean over criteria ("average")
  std::size_t failed_examples = 0;             // examples with an error and no value at all
};

/// Computes the metrics of already-made predictions (aligned with `positions`).
Result<EvalResult> ScorePredictions(const data::Dataset& dataset,
                                    std::vector<std::size_t> positions,
                                    std::vector<judge::Prediction> predictions);

/// Predicts `positions` with `judge` and `prompt`, then scores them.
Result<EvalResult> EvaluatePrompt(const judge::Judge& judge, const data::Dataset& dataset,
                                  const judge::JudgePrompt& prompt,
                                  std::span<const std::size_t> positions,
                                  const judge::PredictOptions& options = {});

/// The unweighted mean over criteria of each metric; n and missing are summed.
CriterionReport AverageOver(const std::vector<CriterionReport>& criteria);

/// Whether an evaluation is a result: the first call failure that no example can get past
/// (budget spent, bad key, replay miss, a stop request, a role stopped by its tripwire), so
/// that no metrics are reported over a partial split; else, when no example got a usable score,
/// a kParse error saying so with the first example's error.
Status CheckEvalUsable(const EvalResult& result);

/// The judge settings of `judgeopt eval` and the Python module's evaluate(): the judge role's
/// model (llm::ModelOrSimName), temperature and max_tokens, the request seed and the mode.
judge::JudgeSettings EvalJudgeSettings(const llm::RoleConfig& judge_role, int64_t seed,
                                       judge::JudgeMode mode);

}  // namespace judgeopt::experiments
