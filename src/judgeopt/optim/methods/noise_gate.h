#pragma once
// The noise-aware gate (gate.kind "noise_aware"; docs/methods.md): a paired bootstrap over the
// validation examples. Each resample draws the same example indices for both prompts and every
// criterion, so the judge's per-example noise cancels in the difference. The candidate passes
// when its mean (over criteria) direction-normalized metric is at least the incumbent's, and for
// every criterion the (1 - confidence) quantile of the resampled difference candidate -
// incumbent is at least -tolerance: with the configured confidence, no criterion loses more than
// the tolerance.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// One criterion's paired validation data: per example the gold value and each prompt's
/// prediction (nullopt = no usable value). The three vectors have equal lengths. Plain value.
struct PairedColumn {
  std::string criterion;
  std::vector<double> gold;
  std::vector<std::optional<double>> incumbent;
  std::vector<std::optional<double>> candidate;
};

/// What the bootstrap needs. Plain value.
struct NoiseGateSettings {
  GateMetric metric = GateMetric::kMae;  // mae, off_by_one or spearman (NormalizedMetric)
  int resamples = 1000;
  double confidence = 0.9;
  double tolerance = 0.02;
  uint64_t seed = 0;
};

/// One criterion's verdict. Plain value.
struct CriterionBootstrap {
  std::string criterion;
  std::optional<double> incumbent;  // point estimates on all examples
  std::optional<double> candidate;
  std::optional<double> difference;  // candidate - incumbent (when both are present)
  /// The (1 - confidence) quantile of the resampled differences (resamples where either prompt
  /// had no pair are left out); nullopt when no resample had both.
  std::optional<double> quantile;
  /// The candidate lost this criterion: its quantile is below -tolerance, or the incumbent had
  /// a score for it and the candidate has none.
  bool regresses = false;
};

/// The bootstrap's outcome. Plain value.
struct NoiseGateOutcome {
  std::vector<CriterionBootstrap> criteria;  // in column order
  /// Mean over the criteria with a difference; nullopt when none has one.
  std::optional<double> mean_difference;
  /// No criterion regresses, and mean_difference >= 0 (ties accept, as in the mean gate; with no
  /// difference at all, only the first condition applies).
  bool accepted = false;
};

/// Runs the paired bootstrap. Deterministic: a function of the columns and the settings
/// (std::mt19937_64 seeded with settings.seed, unbiased bounded draws). Columns must have equal
/// lengths (a criterion whose vectors differ in length is treated as having no pair).
NoiseGateOutcome BootstrapGate(const std::vector<PairedColumn>& columns,
                               const NoiseGateSettings& settings);

/// The bootstrap seed of a step: a SplitMix64 mix of the run seed and the step, so every step
/// (and every rerun of it) draws the same resamples.
uint64_t NoiseGateSeed(int64_t run_seed, int step);

/// The settings of ctx's config at `step`.
NoiseGateSettings NoiseGateSettingsFor(const RunContext& ctx, int step);

/// The paired columns of ctx.criteria over `positions` from both prompts' predictions.
std::vector<PairedColumn> PairedColumns(const RunContext& ctx,
                                        const std::vector<std::size_t>& positions,
                                        const std::vector<judge::Prediction>& incumbent,
                                        const std::vector<judge::Prediction>& candidate);

/// The "noise_gate" decision: payload {"metric", "resamples", "confidence", "tolerance", "seed",
/// "mean_difference", "accepted", "criteria": {name: {"incumbent", "candidate", "difference",
/// "quantile", "regresses"}}}; summary one line.
DecisionRecord NoiseGateDecision(const NoiseGateOutcome& outcome,
                                 const NoiseGateSettings& settings);

}  // namespace judgeopt::optim
