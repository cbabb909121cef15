#pragma once
// Textual PCGrad (method "spc", docs/methods.md): before the combined update, every edit that
// contradicts an edit of another criterion is projected away. The rule, applied to all
// contradictions at once (so the result does not depend on their order):
//   - the classifier's "keep" names one side: the other edit is dropped;
//   - "keep": "both": neither is dropped (the classifier judged them compatible after all);
//   - "neither", or no usable side: both are dropped (a tie; like PCGrad, which projects both
//     gradients of a conflicting pair, neither side wins by default).
// An edit is dropped when any of its contradictions drops it. Edits are only dropped, never
// rewritten. Pure functions.

#include <set>
#include <string>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/optim/methods/conflict_matrix.h"
#include "judgeopt/optim/methods/edit_merge.h"

namespace judgeopt::optim {

/// An edit that a dropped edit contradicted. Plain value.
struct ContradictedBy {
  EditKey other;
  bool tie = false;  // both edits dropped ("neither" or no usable side), else
                     // the other was kept
  bool operator==(const ContradictedBy&) const = default;
};

/// What the projection did. Plain value.
struct Projection {
  std::set<EditKey> dropped;
  /// For each dropped edit (criterion then id order), the contradictions that dropped it.
  std::vector<std::pair<EditKey, std::vector<ContradictedBy>>> reasons;
  int total = 0;  // edits before the projection
};

/// Applies the rule above to `matrix` over `edits`.
Projection ProjectEdits(const StepEdits& edits, const ConflictMatrix& matrix);

/// The "pcgrad" decision: payload {"total", "kept", "dropped": [{"criterion", "id", "action",
/// "text", "samples", "contradicts": [{"criterion", "id", "action", "text", "rule"}]}]}, where rule
/// is "classifier kept the other edit" or "tie: both dropped"; summary "dropped 2 of 17 edits
/// (contradict)" or "kept all 17 edits (no contradiction)".
DecisionRecord PcgradDecision(const StepEdits& edits, const Projection& projection);

}  // namespace judgeopt::optim
