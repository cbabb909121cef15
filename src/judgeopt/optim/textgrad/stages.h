#pragma once
// The three TextGrad stages of a step (reference-protocol §4.3, §4.4, §4.6) with Separate or
// Combined strategy. Each stage sends its independent calls as one concurrent wave. A call that
// fails (after the client's retries, or because the budget is spent) fails the stage, so the
// step is not recorded and a rerun repeats it from the cache.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// Criterion name of a text shared by every criterion (a combined stage's output).
inline constexpr const char* kJoint = "*";

/// A stage's requests before they are sent, and the criterion and sample each one is for (text
/// empty). Plain value.
struct PlannedCalls {
  std::vector<llm::ChatRequest> requests;
  std::vector<SampleText> slots;
};

/// The loss stage's requests for `batch` (what RunLossStage sends). Fails like RunLossStage on a
/// missing prediction when tolerate_parse_failures is off.
Result<PlannedCalls> PlanLossStage(const RunContext& ctx, int step,
                                   const std::vector<BatchSample>& batch);

/// The gradient stage's requests for `batch` and its loss texts (what RunGradientStage sends).
Result<PlannedCalls> PlanGradientStage(const RunContext& ctx, int step,
                                       const judge::JudgePrompt& prompt,
                                       const std::vector<BatchSample>& batch,
                                       const std::vector<SampleText>& losses);

/// Loss critiques: per (criterion, sample) in S, one joint text per sample in C. A (criterion,
/// sample) whose prediction is missing is skipped, or fails the step when the protocol switch
/// tolerate_parse_failures is off.
Result<std::vector<SampleText>> RunLossStage(RunContext& ctx, int step,
                                             const std::vector<BatchSample>& batch);

/// The separate gradient stage's requests for the loss texts in `losses` whatever the mode (one
/// per text; the router's per-criterion fallback sends them for the criteria it routes).
Result<PlannedCalls> PlanSeparateGradients(const RunContext& ctx, int step,
                                           const judge::JudgePrompt& prompt,
                                           const std::vector<BatchSample>& batch,
                                           const std::vector<SampleText>& losses);

/// Gradients toward the instructions: per (criterion, sample) in S, one joint text per sample in
/// C (each sample's critiques of every criterion in one prompt).
Result<std::vector<SampleText>> RunGradientStage(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<BatchSample>& batch,
                                                 const std::vector<SampleText>& losses);

/// The optimizer's proposals: one candidate prompt per candidate index, and every call made.
struct OptimizerOutput {
  std::vector<judge::JudgePrompt> candidates;
  std::vector<OptimizerCallRecord> calls;
  /// With criterion-owned blocks: what was ignored of replies that rewrote other criteria's
  /// blocks (kind "owned_block"), in call order.
  std::vector<DecisionRecord> decisions;
};

/// Rewrites the instructions from the gradients: one call per criterion (S) or one for all (C),
/// times num_candidates, in one wave; unusable combined replies are asked again up to
/// optimizer_retries times. A criterion the reply omits keeps its current instruction (or, with
/// fallback_to_current off, the seed instruction). With method.owned_blocks, C sends one call
/// per criterion instead (OptimizerPromptOwned; JSON replies, retried like combined ones) whose
/// reply counts for that criterion only, and S shows each call the other instructions
/// read-only. When the gradients mix joint and per-criterion texts (the router), the combined
/// FEEDBACK shows the joint texts once and each criterion's own texts labelled.
Result<OptimizerOutput> RunOptimizerStage(RunContext& ctx, int step,
                                          const judge::JudgePrompt& prompt,
                                          const std::vector<BatchSample>& batch,
                                          const std::vector<SampleText>& gradients);

}  // namespace judgeopt::optim
