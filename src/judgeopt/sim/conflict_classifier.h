#pragma once
// The simulated conflict classifier (docs/simulator.md, "Structured gradients and conflicts"):
// answers a conflict prompt (prompts/conflict_prompt.h) with one verdict per pair of edits,
// decided from the rubric concepts each edit's text mentions:
//   - contradict when an edit that adds or rephrases mentions a concept owned by the OTHER
//     side's criterion ("keep" names the other edit; "neither" when both sides do this);
//   - else agree when the two texts mention a common concept;
//   - else independent.

#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// The verdict list (JSON text, one {"a", "b", "verdict", "keep"?} object per pair, a-major) for
/// `prompt`. Fails with kBadRequest naming the part when the prompt lacks an edit section.
Result<std::string> ClassifyEditPairs(const SimWorld& world, std::string_view prompt);

}  // namespace judgeopt::sim
