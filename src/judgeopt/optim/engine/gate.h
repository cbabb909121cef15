#pragma once
// The validation gate (reference-protocol §4.5) and the training-batch ranking of several
// candidates (§3.2 item 8).
//
// Our default (switch rescore_incumbent) scores the incumbent and the candidate in the same step,
// on the same validation examples, with the same request seeds and sample index (= the step),
// in one concurrent wave: both see fresh, equally drawn judge noise, so one lucky evaluation of
// the incumbent cannot block every later update. Cost: V more judge calls per gated step than
// the study, which scores the incumbent once and keeps that score (protocol "paper").
//
// gate.kind "noise_aware" replaces the mean comparison by a paired bootstrap over the
// validation examples (noise_gate.h); it always scores both prompts in the step. Every prompt
// the gate scores is added to the run's Pareto archive (archive.h) as a decision.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// The direction-normalized `metric` ("mae" -> -MAE, "off_by_one", "spearman"; larger is better)
/// over the pairs of one criterion; nullopt when there is no pair. Spearman's guard (a constant
/// side, fewer than 3 pairs) gives 0, as in the study.
std::optional<double> NormalizedMetric(GateMetric metric, std::span<const double> gold,
                                       std::span<const double> pred);

/// The metric MGDA and the Pareto archive score prompts with: the gate's, or "mae" when the gate
/// is off.
GateMetric ScoringMetric(const OptimizeConfig& config);

/// Per criterion of ctx.criteria (in that order): NormalizedMetric over the examples whose
/// prediction has a value for it; nullopt for a criterion without any.
std::vector<std::optional<double>> CriterionScores(
    const RunContext& ctx, GateMetric metric, const std::vector<std::size_t>& positions,
    const std::vector<judge::Prediction>& predictions);

/// The mean of the present scores; nullopt when none is present.
std::optional<double> MeanScore(const std::vector<std::optional<double>>& scores);

/// Mean over the run's criteria of the direction-normalized `metric` ("mae" -> -MAE,
/// "off_by_one", "spearman") over the examples' predictions; criteria without a pair are skipped;
/// nullopt when no criterion had one (the study's -infinity).
std::optional<double> GateScore(const RunContext& ctx, GateMetric metric,
                                const std::vector<std::size_t>& positions,
                                const std::vector<judge::Prediction>& predictions);

/// The gate's decision on `candidate`. `carried` is the incumbent's kept score (paper mode;
/// ignored by the noise-aware gate, which needs the incumbent's predictions). Kind "mean":
/// accepts when the metric is "none", or when candidate >= incumbent (ties accept; a candidate
/// without any score loses unless the incumbent has none either). Kind "noise_aware": the paired
/// bootstrap of noise_gate.h decides. With `decisions`, appends an "archive" decision for each
/// prompt scored this step (incumbent first) when the run keeps the archive (RecordsArchive),
/// and, for the noise-aware gate, its "noise_gate" decision.
Result<GateRecord> RunGate(RunContext& ctx, int step, const judge::JudgePrompt& incumbent,
                           const judge::JudgePrompt& candidate, std::optional<double> carried,
                           std::vector<DecisionRecord>* decisions = nullptr);

/// Scores several candidates on the training batch (one concurrent wave) and returns the index
/// of the first best; the scores go into `record`.
Result<int> PickCandidate(RunContext& ctx, int step,
                          const std::vector<judge::JudgePrompt>& candidates,
                          const std::vector<std::size_t>& batch, GateRecord& record);

/// Predicts each prompt on `positions` concurrently, as one wave. Results in prompt order.
Result<std::vector<std::vector<judge::Prediction>>> PredictMany(
    RunContext& ctx, const std::vector<judge::JudgePrompt>& prompts,
    const std::vector<std::size_t>& positions, int step, std::string_view stage,
    const std::vector<int>& repeats);

}  // namespace judgeopt::optim
