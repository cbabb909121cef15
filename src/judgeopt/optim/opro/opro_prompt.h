#pragma once
// What OPRO's meta-prompt shows at a step (reference-protocol §5): the training batch the
// prompts are scored on (fixed by default, as in the study), the exemplars (training rows with
// their gold values; by default never rows of the batch, which the study meant but never did,
// §15.11) and the meta-prompt itself. Pure functions of the dataset, the config and the step,
// shared by the step (opro_step.h) and the cost estimate.

#include <cstddef>
#include <string>
#include <vector>

#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/prompts/opro.h"

namespace judgeopt::optim {

/// The batch of `step`: with opro.fixed_batch the batch SampleBatch draws for step 0 (the
/// study's use_fixed_training_batch: permutation seed 0, or seed*1000 with batch_order
/// "seeded"), the same rows at every step; otherwise SampleBatch(step).
std::vector<std::size_t> OproBatch(const data::Dataset& dataset, const OptimizeConfig& config,
                                   int step);

/// The exemplar rows of `step`: the training split permuted with BatchSeed(step), its first
/// opro.demonstrations rows, skipping rows of `batch` when opro.exemplars_exclude_batch.
std::vector<std::size_t> OproExemplarPositions(const data::Dataset& dataset,
                                               const OptimizeConfig& config, int step,
                                               const std::vector<std::size_t>& batch);

/// The exemplars at `positions`: the judge's input fields and the gold values of `criteria`.
std::vector<prompts::OproExemplar> OproExemplars(const data::Dataset& dataset,
                                                 const std::vector<std::string>& criteria,
                                                 const std::vector<std::size_t>& positions);

/// opro.trajectory_order as the builder's enum.
prompts::TrajectoryOrder OproOrder(const OproConfig& opro);

/// The meta-prompt: `trajectory` in the configured order, accuracy shown as 0-100 (higher is
/// better), the exemplars at `exemplar_positions`, each headed by the first line of the current
/// prompt's preamble.
std::string OproMetaPromptFor(const data::Dataset& dataset, const OptimizeConfig& config,
                              const std::vector<std::string>& criteria,
                              const judge::JudgePrompt& current,
                              const prompts::OproTrajectory& trajectory,
                              const std::vector<std::size_t>& exemplar_positions);

}  // namespace judgeopt::optim
