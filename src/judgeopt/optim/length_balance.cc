#include "judgeopt/optim/length_balance.h"

namespace judgeopt::optim {

// Placeholder until the length balance lands.
Status ApplyLengthBalance(const RunContext& ctx, const judge::JudgePrompt& incumbent,
                          std::vector<judge::JudgePrompt>& candidates,
                          std::vector<DecisionRecord>& decisions) {
  if (ctx.config.method.max_length_ratio <= 0) return Status::Ok();
  return Error(ErrorCode::kInternal, "the length balance is not built yet");
}

}  // namespace judgeopt::optim
