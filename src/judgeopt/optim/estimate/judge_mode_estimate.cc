#include "judgeopt/optim/estimate/judge_mode_estimate.h"

#include <algorithm>

#include "judgeopt/judge/judge.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/optim/engine/run_plan.h"

namespace judgeopt::optim {

int64_t JudgeCallsPerExample(const OptimizeConfig& config, int criteria) {
  const judge::JudgeMode mode = JudgeSettingsFor(config).mode;
  return static_cast<int64_t>(
      judge::CallsPerExample(mode, static_cast<std::size_t>(std::max(criteria, 0))));
}

void ScaleJudgeCallsByMode(const OptimizeConfig& config, const RunShape& shape,
                           CallCounts& counts) {
  const int64_t k = JudgeCallsPerExample(config, shape.criteria);
  for (Bounds* b : {&counts.judge_train, &counts.judge_gate, &counts.judge_eval}) {
    b->min *= k;
    b->max *= k;
  }
}

Result<double> MeanJudgeCallTokens(const OptimizeConfig& config, const judge::JudgePrompt& prompt,
                                   const data::Dataset& dataset,
                                   const std::vector<std::size_t>& positions) {
  const judge::JudgeMode mode = JudgeSettingsFor(config).mode;
  double total = 0;
  std::size_t calls = 0;
  for (std::size_t p : positions) {
    JO_ASSIGN_OR_RETURN(auto planned,
                        judge::RenderJudgeCalls(prompt, dataset, dataset.examples[p], mode));
    for (const judge::JudgeCall& call : planned) {
      llm::ChatRequest r;
      r.messages = call.messages;
      total += static_cast<double>(llm::ApproxPromptTokens(r));
      ++calls;
    }
  }
  return calls == 0 ? 0.0 : total / static_cast<double>(calls);
}

}  // namespace judgeopt::optim
