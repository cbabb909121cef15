#pragma once
// Structured gradients, the per-step conflict matrix and textual PCGrad (method "spc";
// docs/methods.md). Runs between the gradient and the optimizer stage.

#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// The feedback the optimizer stage gets from `gradients`. Without structured gradients this is
/// `gradients` unchanged. With them: parses each reply's edit list (falling back to the free text;
/// edits.h) and records one "edits" decision per criterion; classifies the edits of different
/// criteria pairwise when the conflict matrix is on (one diagnostic call per criterion pair with
/// edits on both sides, one wave; conflict_matrix.h) and records "conflict_matrix"; for method
/// "spc" drops the edits that contradict another criterion's (pcgrad.h) and records "pcgrad". The
/// surviving edits are rendered as per-(criterion, sample) feedback text; joint texts pass through.
Result<std::vector<SampleText>> ResolveConflicts(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<SampleText>& gradients,
                                                 std::vector<DecisionRecord>& decisions);

}  // namespace judgeopt::optim
