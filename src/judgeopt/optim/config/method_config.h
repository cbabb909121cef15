#pragma once
// The conflict-aware methods layered on a TextGrad run (docs/methods.md): structured gradients,
// the per-step conflict matrix, textual PCGrad (mode SPC), textual MGDA, the specificity-aware
// router, criterion-owned instruction blocks with a length balance, the judge mode, the
// noise-aware gate's settings and the final-prompt selection from the Pareto archive. Parsed
// from the config's [method] table; every default leaves a run exactly as the study's loop.

#include <string>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/optim/config/settings.h"

namespace judgeopt::optim {

/// Method settings of a TextGrad run. Plain value.
struct MethodConfig {
  /// "plain" (the mode's stages as the study runs them), "spc" (textual PCGrad: S loss,
  /// structured S gradients projected against each other, C update; mode "SPC"), "mgda"
  /// (textual MGDA over per-criterion candidates; S stages) or "router" (joint gradient with
  /// per-criterion fallback below a specificity threshold; SCC stages).
  Method name = Method::kPlain;
  /// The gradient role answers with a JSON list of edits per criterion (on for spc).
  bool structured_gradients = false;
  /// Classify the edits of different criteria pairwise each step (on for spc).
  bool conflict_matrix = false;
  /// Each criterion's optimizer call may return only its own instruction block.
  bool owned_blocks = false;
  /// An instruction may grow to at most this many times the mean length of the others
  /// (0 = no cap).
  double max_length_ratio = 0;
  /// MGDA: a candidate may lower no criterion's score by more than this.
  double mgda_tolerance = 0.02;
  /// MGDA: where candidates are scored: "batch" (the step's training batch) or "validation"
  /// (the gate's validation examples).
  MgdaEval mgda_eval = MgdaEval::kBatch;
  /// Router: criteria whose joint-gradient specificity (1-10) is below this get their own
  /// gradient calls.
  double router_threshold = 6;
  /// "joint" (one judge call per example, the study's), "per-criterion" (one call per criterion
  /// seeing only its own instruction) or "sectioned" (one call; each criterion's score is asked
  /// right after its own instruction block).
  judge::JudgeMode judge_mode = judge::JudgeMode::kJoint;
  /// The final prompt: "last" (the incumbent after the last step, the study's), or chosen from
  /// the run's Pareto archive of validation-scored prompts: "best-mean", "max-min" or "knee".
  FinalSelect select = FinalSelect::kLast;

  bool operator==(const MethodConfig&) const = default;
};

/// The label a run's method adds to its mode in run ids, listings and reports: "SPC", "MGDA",
/// "ROUTER", or "" for plain.
std::string MethodLabel(const MethodConfig& m);

/// Parses the [method] table (`at` names it) over `m` (unknown keys and invalid values fail,
/// naming the key).
Status ParseMethodTable(const config::Json& table, const config::TreePath& at, MethodConfig& m);

/// Checks values and which mode a method needs ("spc": SSC, "mgda": SSS, "router": SCC);
/// `mode_name` is the run's mode, `root` the config file.
Status ValidateMethod(const MethodConfig& m, const std::string& mode_name,
                      const config::TreePath& root);

/// The table ParseMethodTable reads back.
config::Json MethodToJson(const MethodConfig& m);

}  // namespace judgeopt::optim
