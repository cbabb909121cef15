#pragma once
// What a config asks to run before any step: the runs it plans (one, or one per criterion for
// ST) and their ids, the seed prompt of a run, the judge settings a config implies, and a stored
// prompt turned back into a JudgePrompt. Shared by the run loop, the methods, the estimate and
// the rebuilt step prompts. Pure functions.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// One run of a config: all criteria, or one criterion of a single-task (ST) set. Plain value.
struct RunPlan {
  std::string run_id;
  std::string group_id;
  std::string mode_label;  // "SSS", ..., "ST:<criterion>"
  std::vector<std::string> criteria;
};

/// The runs a config asks for: one, or one per criterion for ST. Fails when a configured
/// criterion is not in the dataset (naming it and the dataset's criteria).
Result<std::vector<RunPlan>> PlanRuns(const OptimizeConfig& config, const data::Dataset& dataset);

/// The seed prompt of a run over `criteria`: the dataset's seed instructions for those criteria
/// (a one-criterion prompt for one), in dataset order.
Result<judge::JudgePrompt> SeedPromptFor(const data::Dataset& dataset,
                                         const std::vector<std::string>& criteria);


/// The judge settings a run's config implies: the judge role's model, temperature and
/// max_tokens, the run seed, the re-ask count and the judge mode.
judge::JudgeSettings JudgeSettingsFor(const OptimizeConfig& config);

/// A stored prompt turned back into a JudgePrompt for `dataset`; fails when the JSON does not
/// parse or its fingerprint does not match (messages name the run).
Result<judge::JudgePrompt> PromptFromRecord(const PromptRecord& r, const data::Dataset& dataset,
                                            const std::string& run_id);

}  // namespace judgeopt::optim
