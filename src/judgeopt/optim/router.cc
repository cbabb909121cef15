#include "judgeopt/optim/router.h"

namespace judgeopt::optim {

// Placeholder until the router lands.
Result<std::vector<SampleText>> RunRoutedGradientStage(RunContext& ctx, int step,
                                                       const judge::JudgePrompt& prompt,
                                                       const std::vector<BatchSample>& batch,
                                                       const std::vector<SampleText>& losses,
                                                       std::vector<DecisionRecord>& decisions) {
  return Error(ErrorCode::kInternal, "the router is not built yet");
}

}  // namespace judgeopt::optim
