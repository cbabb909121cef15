#include "judgeopt/optim/conflicts.h"

namespace judgeopt::optim {

// Placeholder until structured gradients land: plain feedback passes through.
Result<std::vector<SampleText>> ResolveConflicts(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<SampleText>& gradients,
                                                 std::vector<DecisionRecord>& decisions) {
  if (!ctx.config.method.structured_gradients) return gradients;
  return Error(ErrorCode::kInternal, "structured gradients are not built yet");
}

}  // namespace judgeopt::optim
