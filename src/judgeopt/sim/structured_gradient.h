#pragma once
// The simulated gradient model's answer to a structured gradient prompt (one criterion, with the
// edit-list request of prompts/edit_list.h): the 3 paragraphs plus a ```json list of edits built
// from the plan (docs/simulator.md, "Structured gradients and conflicts"). The list carries what
// the plain reply says, including the over-reach every separate gradient may make (a concept of
// another criterion, `gradient_overreach_share`), and proposes removing a concept of another
// criterion that the instruction already mentions. A foreign addition is a real conflict: it
// lands in this criterion's instruction and adds misattribution bias there.

#include <cstdint>
#include <string>
#include <string_view>

#include "judgeopt/sim/gradient_role.h"

namespace judgeopt::sim {

/// Adds the structured part to a separate plan: `removals` (at most one concept of another
/// criterion that `instruction` mentions), drawn from `key`.
void AddStructuredEdits(GradientPlan& plan, std::string_view instruction, uint64_t key);

/// The edit list of a structured plan as JSON text (a list of {"criterion", "action", "text",
/// "rationale"} objects): one "add" per named and foreign concept (a ConceptSentence), one "remove"
/// per removal, a "rephrase" when the critique says the score was wrong and nothing else is
/// proposed, and [] when nothing is. `key` picks the sentence templates.
std::string WriteEditList(const GradientPlan& plan, uint64_t key);

}  // namespace judgeopt::sim
