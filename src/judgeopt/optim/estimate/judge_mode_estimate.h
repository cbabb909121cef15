#pragma once
// The judge mode's part of the estimate (estimate.h; docs/judge.md, "Judge modes"): how many
// judge calls one judged example costs, and how large each call's prompt and reply are.

#include <cstdint>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {

/// K: judge calls per judged example under config.method.judge_mode for a prompt of `criteria`
/// criteria: `criteria` for per-criterion, 1 for joint and sectioned.
int64_t JudgeCallsPerExample(const OptimizeConfig& config, int criteria);

/// Multiplies every judge count of a step (train, gate, eval; both bounds) by
/// JudgeCallsPerExample(config, shape.criteria).
void ScaleJudgeCallsByMode(const OptimizeConfig& config, const RunShape& shape,
                           CallCounts& counts);

/// Mean prompt tokens of one judge call of `prompt` over the examples at `positions`, as the
/// ledger approximates them, with the calls the judge mode makes (judge::RenderJudgeCalls).
Result<double> MeanJudgeCallTokens(const OptimizeConfig& config, const judge::JudgePrompt& prompt,
                                   const data::Dataset& dataset,
                                   const std::vector<std::size_t>& positions);

}  // namespace judgeopt::optim
