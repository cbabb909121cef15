#pragma once
// The length balance of criterion-owned blocks (method option max_length_ratio;
// docs/methods.md): no instruction may outgrow the others by more than the configured ratio.

#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/run_context.h"
#include "judgeopt/optim/run_record.h"

namespace judgeopt::optim {

/// Caps each candidate's instructions against the others (no-op when max_length_ratio is 0);
/// every cut goes into `decisions`.
Status ApplyLengthBalance(const RunContext& ctx, const judge::JudgePrompt& incumbent,
                          std::vector<judge::JudgePrompt>& candidates,
                          std::vector<DecisionRecord>& decisions);

}  // namespace judgeopt::optim
