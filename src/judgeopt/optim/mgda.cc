#include "judgeopt/optim/mgda.h"

namespace judgeopt::optim {

// Placeholder until MGDA lands.
Result<judge::JudgePrompt> RunMgdaUpdate(RunContext& ctx, int step,
                                         const judge::JudgePrompt& incumbent,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& gradients,
                                         StepRecord& record) {
  return Error(ErrorCode::kInternal, "MGDA is not built yet");
}

}  // namespace judgeopt::optim
