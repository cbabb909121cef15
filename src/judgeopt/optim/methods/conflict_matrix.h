#pragma once
// The per-step conflict matrix (docs/methods.md): the edits of every pair of different criteria
// classified as agree / independent / contradict by the diagnostic role, one call per criterion
// pair whose two sides both have edits, all pairs in one concurrent wave.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/methods/edit_merge.h"
#include "judgeopt/prompts/conflict_prompt.h"

namespace judgeopt::optim {

/// The verdicts between the edits of two criteria (a before b in the run's order). Plain value.
struct CriterionPairVerdicts {
  std::string a;
  std::string b;
  /// Every pair of their edits, a-major; indices are 0-based (edit id - 1).
  std::vector<prompts::EditPairVerdict> verdicts;
  /// Reply entries that were not used (repeated pair, unknown id).
  std::vector<std::string> ignored;
  bool called = false;  // false when a side had no edits (no call, no verdicts)

  int Count(prompts::PairVerdict verdict) const;
};

/// A step's matrix: one entry per unordered criterion pair, in run order (c0-c1, c0-c2, ..., c1-c2,
/// ...). Plain value.
struct ConflictMatrix {
  std::vector<std::string> criteria;
  std::vector<CriterionPairVerdicts> pairs;
};

/// One classifier call to make. Plain value.
struct PlannedPair {
  std::size_t a = 0;  // indices into StepEdits::criteria
  std::size_t b = 0;
  std::string prompt;
};

/// The prompts of a step's matrix: a pair is planned only when both criteria have edits. `prompt`
/// supplies the current instructions.
std::vector<PlannedPair> PlanConflictPairs(const StepEdits& edits,
                                           const judge::JudgePrompt& prompt);

/// The matrix from the classifier's replies, aligned with `planned` (pairs not planned get no
/// verdicts). Verdicts the replies leave out or garble count as independent, with a note.
ConflictMatrix AssembleMatrix(const StepEdits& edits, const std::vector<PlannedPair>& planned,
                              const std::vector<std::string>& replies);

/// The reply budget of a classifier call over `pairs` edit pairs: 64 + 32 per pair. A call asks for
/// at least this many tokens, above the diagnostic role's max_tokens when that is smaller (the
/// role's default of 16 fits the one-integer diagnostics, not a verdict list).
int ConflictReplyTokens(int pairs);

/// The classifier requests of `planned` (diagnostic role, tags "step<k>/conflicts/<a>-<b>",
/// max_tokens at least ConflictReplyTokens), aligned with it. What RunConflictMatrix sends.
std::vector<llm::ChatRequest> ConflictRequests(const RunContext& ctx, int step,
                                               const StepEdits& edits,
                                               const std::vector<PlannedPair>& planned);

/// Plans, sends (diagnostic role, stage "conflicts", tags "step<k>/conflicts/<a>-<b>", max_tokens
/// at least ConflictReplyTokens) and assembles the matrix. A failed call fails the step, like any
/// stage's.
Result<ConflictMatrix> RunConflictMatrix(RunContext& ctx, int step, const StepEdits& edits,
                                         const judge::JudgePrompt& prompt);

/// The "conflict_matrix" decision: payload exactly {"criteria": [...], "pairs": [{"a", "b",
/// "agree", "independent", "contradict", "verdicts": [{"a": id, "b": id, "verdict", "keep"?,
/// "note"?}]}]} with 1-based edit ids; summary "3 contradict, 1 agree, 20 independent over 24 edit
/// pairs" (+ "; 2 verdicts missing or unparseable" / "; 1 reply entry ignored").
DecisionRecord MatrixDecision(const ConflictMatrix& matrix);

}  // namespace judgeopt::optim
