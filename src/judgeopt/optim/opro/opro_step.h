#pragma once
// One OPRO optimization step (reference-protocol §5, §3.2), parallel to textgrad_step.h:
//   predict   the current prompt on the batch (B judge calls); its per-criterion accuracy is
//             pushed into the trajectory with its instructions
//   optimizer opro.num_candidates proposals from one meta-prompt (trajectory, exemplars, score
//             direction), one concurrent wave, sample index = candidate index so they differ
//   candidates every candidate that parsed, scored on the batch (one wave) and pushed
//   gate      the best candidate (first best on the batch) against the incumbent, when
//             [gate] metric is not "none" (the study has no gate: the best candidate is taken
//             even when it is worse than the current prompt)
//   eval      the scheduled evaluation, reused when the prompt did not change
// The step is recorded in the StepRecord TextGrad uses: batch predictions, the batch scores as
// `losses` (opro_state.h), one optimizer call per proposal (meta-prompt, raw reply, parsed JSON or
// the parse error), candidate_batch_scores (NaN for a proposal that did not parse) and
// chosen_candidate (-1 when none parsed: the prompt is kept).

#include "judgeopt/base/result.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/optim/opro/opro_state.h"
#include "judgeopt/optim/textgrad/textgrad_step.h"

namespace judgeopt::optim {

/// Runs OPRO step `step` (>= 1) from `state` and `opro`: returns its record (calls excepted: the
/// caller drains the call log), advances `state` to the post-gate incumbent and pushes the
/// step's entries into the trajectory. Nothing is recorded here.
Result<StepRecord> RunOproStep(RunContext& ctx, RunRecorder& recorder, int step, StepState& state,
                               OproState& opro);

}  // namespace judgeopt::optim
