#pragma once
// The simulated gradient model's answer to a structured gradient prompt (one criterion, with the
// edit-list request of prompts/edit_list.h): the 3 paragraphs plus a ```json list of edits built
// from the plan. Structured answers over-reach on purpose (docs/simulator.md, "Structured gradients
// and conflicts"): with probability `structured_foreign_share` the list also proposes adding a
// concept of another criterion of the dataset, and a concept of another criterion that the
// instruction already mentions is proposed for removal. Such a foreign addition is a real conflict:
// it lands in this criterion's instruction and adds misattribution bias there.

#include <cstdint>
#include <string>
#include <string_view>

#include "judgeopt/sim/gradient_role.h"

namespace judgeopt::sim {

/// Adds the structured parts to a separate plan: `foreign` (at most one concept of another dataset
/// criterion that `instruction` does not mention, with probability
/// `constants.structured_foreign_share`) and `removals` (at most one concept of another criterion
/// that `instruction` mentions). All draws come from `key`.
void AddStructuredEdits(GradientPlan& plan, std::string_view instruction, uint64_t key,
                        const SimConstants& constants);

/// The edit list of a structured plan as JSON text (a list of {"criterion", "action", "text",
/// "rationale"} objects): one "add" per named and foreign concept (a ConceptSentence), one "remove"
/// per removal, a "rephrase" when the critique says the score was wrong and nothing else is
/// proposed, and [] when nothing is. `key` picks the sentence templates.
std::string WriteEditList(const GradientPlan& plan, uint64_t key);

}  // namespace judgeopt::sim
