#pragma once
// Textual MGDA (method "mgda"; docs/methods.md): one candidate update per criterion plus their
// union, every candidate scored on every criterion, and the candidate that maximizes the
// smallest per-criterion improvement without any criterion regressing beyond the tolerance.
//
// The step's separate optimizer calls (RunOptimizerStage, SSS) give each criterion a rewritten
// instruction. Candidate "<criterion>" is the incumbent with only that instruction replaced;
// "union" replaces all of them. A candidate equal to the incumbent (the optimizer's reply was
// unusable, so the instruction stayed) or to an earlier candidate (the union when only one
// instruction changed) is skipped and listed as such. Candidates are scored with ScoringMetric
// per criterion on method.mgda_eval's examples: "batch" (the step's training batch; the
// incumbent's predictions are the predict stage's) or "validation" (the gate's examples; the
// incumbent is rescored with the candidates), all prompts in one concurrent wave with the same
// request seeds and repeat index, so the judge's noise is shared.
//
// The choice (ChooseMgdaCandidate): improvement = candidate score - incumbent score per
// criterion. A candidate qualifies when no criterion's improvement is below -mgda_tolerance, it
// keeps a score for every criterion the incumbent has one for, and its mean improvement is >= 0
// (ties accept, as in the gate). Among qualified candidates the largest minimum improvement
// wins; ties (within 1e-12) go to the larger mean improvement, then to the union, then to the
// earlier candidate (criteria order). With none qualified the incumbent stays.
//
// With mgda_eval "batch" and a gate metric, the chosen candidate still faces the gate (mean or
// noise-aware) on validation; with "validation" MGDA's choice is the gate. MGDA's gate always
// rescores the incumbent in the step (no carried score).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// One scored MGDA candidate. Plain value.
struct MgdaCandidate {
  std::string label;  // the criterion whose instruction it replaces, or "union"
  bool is_union = false;
  std::vector<std::optional<double>> scores;  // per criterion; nullopt = no usable prediction
};

/// A candidate's row of MGDA's table. Plain value.
struct MgdaRow {
  /// candidate - incumbent per criterion; nullopt where either has no score.
  std::vector<std::optional<double>> improvements;
  std::optional<double> min_improvement;  // over the present improvements
  std::optional<double> mean_improvement;
  bool qualified = false;
  std::string reason;  // why it does not qualify ("" when it does)
};

/// MGDA's table and choice. Plain value.
struct MgdaChoice {
  std::vector<MgdaRow> rows;  // aligned with the candidates
  /// The qualified winner; nullopt when none qualifies (the incumbent stays).
  std::optional<std::size_t> chosen;
  /// The first candidate of the ranking ignoring qualification (= chosen when there is one);
  /// what the step shows as its candidate. nullopt when there are no candidates.
  std::optional<std::size_t> best;
};

/// The choice among `candidates` against the incumbent's scores (see the file comment);
/// `criteria` names the criteria in reasons.
MgdaChoice ChooseMgdaCandidate(const std::vector<std::string>& criteria,
                               const std::vector<std::optional<double>>& incumbent,
                               const std::vector<MgdaCandidate>& candidates, double tolerance);

/// A candidate prompt before scoring. Plain value.
struct LabelledPrompt {
  std::string label;
  bool is_union = false;
  judge::JudgePrompt prompt;
};

/// The candidates of one step from the optimizer's (union) candidates: per optimizer candidate
/// k, one per changed criterion then the union (labels get "#k" when there are several).
/// Skipped ones go to `skipped` as {label, reason}.
Result<std::vector<LabelledPrompt>> BuildMgdaCandidates(
    const RunContext& ctx, const judge::JudgePrompt& incumbent,
    const std::vector<judge::JudgePrompt>& optimizer_candidates,
    std::vector<std::pair<std::string, std::string>>& skipped);

/// Replaces the optimizer stage, the candidate ranking and the gate of a step: fills
/// record.optimizer_calls, record.candidate, record.gate and record.decisions (kind "mgda",
/// plus "archive" for prompts scored on validation and the gate's own decisions) and returns
/// the prompt the step ends with (the incumbent when no candidate qualifies or the gate rejects).
Result<judge::JudgePrompt> RunMgdaUpdate(RunContext& ctx, int step,
                                         const judge::JudgePrompt& incumbent,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& gradients,
                                         StepRecord& record);

}  // namespace judgeopt::optim
