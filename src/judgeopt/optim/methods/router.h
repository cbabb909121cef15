#pragma once
// The specificity-aware router (method "router"; docs/methods.md): the joint gradient first, its
// specificity per criterion scored by the diagnostic role, and separate gradient calls for the
// criteria below the threshold.

#include <set>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/optim/textgrad/stages.h"

namespace judgeopt::optim {

/// The specificity requests of a step (diagnostic role, tags "step<k>/route/<criterion>"): one
/// per criterion over the joint texts among `gradients`; none when there is no joint text.
std::vector<llm::ChatRequest> SpecificityRequests(const RunContext& ctx, int step,
                                                  const std::vector<SampleText>& gradients);

/// The separate gradient calls of the `routed` criteria (their per-criterion `losses`).
Result<PlannedCalls> PlanRoutedGradients(const RunContext& ctx, int step,
                                         const judge::JudgePrompt& prompt,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& losses,
                                         const std::set<std::string>& routed);

/// The gradient stage of a router run: the joint gradients of every sample, plus per-criterion
/// gradients for each criterion routed back to separate calls. The route of every criterion
/// (specificity, threshold, decision) goes into `decisions`.
Result<std::vector<SampleText>> RunRoutedGradientStage(RunContext& ctx, int step,
                                                       const judge::JudgePrompt& prompt,
                                                       const std::vector<BatchSample>& batch,
                                                       const std::vector<SampleText>& losses,
                                                       std::vector<DecisionRecord>& decisions);

}  // namespace judgeopt::optim
