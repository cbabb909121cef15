#pragma once
// Structured gradients, the per-step conflict matrix and textual PCGrad (method "spc";
// docs/methods.md). Runs between the gradient and the optimizer stage.

#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/run_context.h"
#include "judgeopt/optim/run_record.h"

namespace judgeopt::optim {

/// The feedback the optimizer stage gets from `gradients`. Without structured gradients this is
/// `gradients` unchanged. With them: parses each reply's edit list (falling back to the free
/// text), records the edits, classifies the edits of different criteria pairwise when the
/// conflict matrix is on (a few batched diagnostic calls), and for method "spc" drops or rewrites
/// the edits that contradict another criterion's before rendering the feedback. Every decision
/// goes into `decisions`.
Result<std::vector<SampleText>> ResolveConflicts(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<SampleText>& gradients,
                                                 std::vector<DecisionRecord>& decisions);

}  // namespace judgeopt::optim
