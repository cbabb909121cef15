#pragma once
// Textual MGDA (method "mgda"; docs/methods.md): one candidate update per criterion plus their
// union, every candidate scored on every criterion, and the candidate that maximizes the
// smallest per-criterion improvement without any criterion regressing beyond the tolerance.

#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/batch.h"
#include "judgeopt/optim/run_context.h"
#include "judgeopt/optim/run_record.h"

namespace judgeopt::optim {

/// Replaces the optimizer stage, the candidate ranking and the gate of a step: fills
/// record.optimizer_calls, record.candidate, record.gate and record.decisions and returns the
/// prompt the step ends with (the incumbent when no candidate qualifies).
Result<judge::JudgePrompt> RunMgdaUpdate(RunContext& ctx, int step,
                                         const judge::JudgePrompt& incumbent,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& gradients,
                                         StepRecord& record);

}  // namespace judgeopt::optim
