#pragma once
// The projected calls and sizes of structured gradients' conflict matrix (docs/methods.md), for the
// estimate (estimate.h) of a TextGrad step.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::optim {

/// Adds the conflict matrix's diagnostic calls to TextGrad step `step` (>= 1, already in `counts`)
/// when method.conflict_matrix is on: 0 (no criterion pair has edits on both sides) to T(T-1)/2
/// (every pair classified), T = shape.criteria. No change otherwise.
void AddConflictMatrixCalls(const OptimizeConfig& config, const RunShape& shape,
                            CallCounts& counts);

/// Assumed size of one classifier call. Plain value.
struct ConflictCallSize {
  double prompt_tokens = 0;
  double reply_tokens = 0;
};

/// The size of a classifier call between the first two of `criteria` over `prompt`, with 2 x
/// `batch` edits of about 15 tokens per side (two proposals per gradient), and a reply of about 12
/// tokens per edit pair capped by ConflictReplyTokens. Zeros when there are fewer than two
/// criteria.
ConflictCallSize EstimateConflictCall(const judge::JudgePrompt& prompt,
                                      const std::vector<std::string>& criteria, int batch);

}  // namespace judgeopt::optim
