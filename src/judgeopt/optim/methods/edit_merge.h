#pragma once
// The edits of one step's structured gradients (docs/methods.md): parsed per (criterion, sample),
// merged into each criterion's distinct edits, recorded as "edits" decisions, and rendered back
// into per-sample feedback the optimizer stage reads. Pure functions.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/prompts/edit_list.h"

namespace judgeopt::optim {

/// One distinct edit of a criterion in a step: the same (action, text) proposed for several samples
/// is one edit. Plain value.
struct StepEdit {
  int id = 0;  // 1-based within its criterion, in order of first proposal
  prompts::Edit edit;
  std::vector<int> samples;  // batch positions whose gradient proposed it, ascending
  /// Another criterion the reply named for it ("" when it named its own or none).
  std::string named;
};

/// A sample whose structured gradient gave no usable edit list, so its reply's free text is the
/// feedback. Plain value.
struct FreeTextFallback {
  int sample = 0;
  std::string text;
  std::string reason;  // "no edit list parsed", "no usable edit in the list"
};

/// What one criterion's gradients proposed in a step. Plain value.
struct CriterionEdits {
  std::string criterion;
  std::vector<StepEdit> edits;
  std::vector<FreeTextFallback> free_texts;
  std::vector<int> empty_lists;  // samples whose reply was an empty list ("no change")
  /// Unusable list entries: "sample <s>, entry <i>: <reason>".
  std::vector<std::string> rejected;

  const StepEdit* Find(int id) const;
};

/// A step's edits, criterion by criterion in the run's order. Plain value.
struct StepEdits {
  std::vector<CriterionEdits> criteria;
  int EditCount() const;
};

/// An edit by criterion name and id, ordered by criterion then id.
using EditKey = std::pair<std::string, int>;

/// Parses the gradient texts of `criteria` (texts of other criteria, e.g. joint "*" texts, are not
/// parsed). Edits equal in action and in text (ASCII case and surrounding space ignored) merge; the
/// first proposal's rationale is kept.
StepEdits CollectEdits(const std::vector<std::string>& criteria,
                       const std::vector<SampleText>& gradients);

/// One "edits" decision per criterion: payload {"criterion", "edits": [{"id", "action", "text",
/// "rationale", "samples", "named_criterion"?}], "free_text": [{"sample", "reason"}],
/// "empty_lists": [...], "rejected": [...]}; summary "5 edits (3 add, 1 remove, 1 rephrase)", with
/// "; free text for 1 sample (no edit list parsed)" when a reply fell back, or "free text (no edit
/// list parsed)" when no reply gave edits.
std::vector<DecisionRecord> EditsDecisions(const StepEdits& edits);

/// The feedback the optimizer reads: `gradients` in their order, each (criterion, sample) of a
/// parsed criterion replaced by the rendered edits of that sample that are not in `dropped` (one
/// RenderEdit line each), or its free text when the reply fell back, or RenderNoEdit for an empty
/// list. A (criterion, sample) whose every edit was dropped gives no text; texts of other criteria
/// pass through unchanged.
std::vector<SampleText> RenderFeedback(const StepEdits& edits,
                                       const std::vector<SampleText>& gradients,
                                       const std::set<EditKey>& dropped);

}  // namespace judgeopt::optim
