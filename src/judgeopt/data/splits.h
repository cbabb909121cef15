#pragma once
// Split construction: seeded cuts of one file, and the study's paper-protocol orders
// (reference-protocol.md sections 2 and 4.5).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/data/dataset_spec.h"

namespace judgeopt::data {

/// The seed the study used for every re-shuffle at load time.
inline constexpr std::uint32_t kStudyShuffleSeed = 42;
/// The study's validation set: the last this-many rows of the re-shuffled train frame...
inline constexpr std::size_t kStudyValidationSize = 100;
/// ...put in the order of its full-batch sampler at step -1 (seed |-1|).
inline constexpr std::uint32_t kStudyValidationOrderSeed = 1;

/// pandas `sample(frac=1, random_state=seed)` on a list: out[k] = rows[Permutation(n, seed)[k]].
std::vector<std::size_t> Shuffled(const std::vector<std::size_t>& rows, std::uint32_t seed);

/// Cuts rows 0..n-1 of one file: permutes them with spec.seed, then takes consecutive ranges of
/// the permuted positions in spec.order. Counts are rows; ratios are floor(ratio * n), and when
/// the given ratios add up to 1 the rounding remainder goes to train. Without any size, every
/// row goes to test in file order. Fails (naming `origin`) when the sizes exceed n.
Result<Splits> CutSingleFile(std::size_t n, const SplitSpec& spec, const std::string& origin);

/// The study's working order of a stored split: the stored rows shuffled again with seed 42 at
/// load time (its `Dataset.train()` / `test()`).
std::vector<std::size_t> StudyWorkingOrder(const std::vector<std::size_t>& stored);

/// The study's validation rows from its working train order: shuffle with seed 42, keep the last
/// min(100, n), reorder them with seed 1. They overlap the training rows by construction.
std::vector<std::size_t> StudyValidation(const std::vector<std::size_t>& working_train);

/// The order in which the study evaluated a split at `step` (its `evaluate`, reference-protocol
/// section 3.4): the working order shuffled again with seed |step|.
std::vector<std::size_t> StudyEvaluationOrder(const std::vector<std::size_t>& working, int step);

/// Paper-protocol splits from the stored train and test orders: train and test in the study's
/// working order, validation built from train as above.
Splits PaperProtocolSplits(const std::vector<std::size_t>& stored_train,
                           const std::vector<std::size_t>& stored_test);

}  // namespace judgeopt::data
