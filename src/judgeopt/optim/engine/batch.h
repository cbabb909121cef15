#pragma once
// The training batch of a step and the judge's view of it, in the shapes the prompt builders
// take.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::optim {

/// One training example of a step as the judge answered it. Plain value.
struct BatchSample {
  std::size_t position = 0;  // into dataset.examples
  judge::Prediction prediction;
  prompts::JudgedSample judged;  // inputs, raw reply and the run's criteria's values
  /// The gold value of a run criterion.
  prompts::Score Gold(const data::Dataset& dataset, const std::string& criterion) const;
};

/// The permutation seed of `step`: the step number ("step", the study's), or seed*1000 + step
/// ("seeded").
uint32_t BatchSeed(const OptimizeConfig& config, int step);

/// The first batch_size rows of the training split shuffled with BatchSeed (numpy-compatible).
std::vector<std::size_t> SampleBatch(const data::Dataset& dataset, const OptimizeConfig& config,
                                     int step);

/// The first min(samples, n) rows of the validation split (the gate's examples).
std::vector<std::size_t> GatePositions(const data::Dataset& dataset, int samples);

/// The first judge call that failed (not a reply that could not be parsed: that is a missing
/// value) as an error naming the example; OK when none did. A failed call (budget spent, bad
/// key, server down after retries) fails the step instead of becoming a missing value, so no
/// partial evaluation is recorded as whole.
Status FirstCallFailure(const std::vector<judge::Prediction>& predictions);

/// Predicts `positions` with `prompt` (one wave, tag "step<k>/<stage>", repeat `repeat`); fails
/// on a failed call (FirstCallFailure).
Result<std::vector<judge::Prediction>> PredictWave(RunContext& ctx, const judge::JudgePrompt& prompt,
                                                   const std::vector<std::size_t>& positions,
                                                   int step, std::string_view stage, int repeat);

/// The judge's predictions of a batch turned into BatchSamples.
std::vector<BatchSample> MakeBatchSamples(const RunContext& ctx,
                                          const std::vector<std::size_t>& positions,
                                          std::vector<judge::Prediction> predictions);

}  // namespace judgeopt::optim
