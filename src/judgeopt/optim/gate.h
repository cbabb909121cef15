#pragma once
// The validation gate (reference-protocol §4.5) and the training-batch ranking of several
// candidates (§3.2 item 8).
//
// Our default (switch rescore_incumbent) scores the incumbent and the candidate in the same step,
// on the same validation examples, with the same request seeds and sample index (= the step),
// in one concurrent wave: both see fresh, equally drawn judge noise, so one lucky evaluation of
// the incumbent cannot block every later update. Cost: V more judge calls per gated step than
// the study, which scores the incumbent once and keeps that score (protocol "paper").

#include <optional>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/run_context.h"
#include "judgeopt/optim/run_record.h"

namespace judgeopt::optim {

/// Mean over the run's criteria of the direction-normalized `metric` ("mae" -> -MAE,
/// "off_by_one", "spearman") over the examples' predictions; criteria without a pair are skipped;
/// nullopt when no criterion had one (the study's -infinity).
std::optional<double> GateScore(const RunContext& ctx, const std::string& metric,
                                const std::vector<std::size_t>& positions,
                                const std::vector<judge::Prediction>& predictions);

/// The gate's decision on `candidate`. `carried` is the incumbent's kept score (paper mode).
/// Accepts when the metric is "none", or when candidate >= incumbent (ties accept; a candidate
/// without any score loses unless the incumbent has none either).
Result<GateRecord> RunGate(RunContext& ctx, int step, const judge::JudgePrompt& incumbent,
                           const judge::JudgePrompt& candidate, std::optional<double> carried);

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
