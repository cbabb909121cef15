#pragma once
// Small input values for the prompt builders of the optimization roles (loss, gradient,
// optimizer, diagnostics, OPRO). They carry already-rendered text and plain numbers only: the
// builders know nothing of Dataset or JudgePrompt, so the caller renders the judge's system
// prompt (filtered to one criterion or full) and passes the text.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace judgeopt::prompts {

/// One input field as the judge saw it, rendered as "<label>: <value>". Plain value.
struct Field {
  std::string label;
  std::string value;
};

/// A numeric score. `text` optionally keeps the spelling the value had where it came from (the
/// judge's "4.0", a data file's "4"); it matters only to the study's string comparison. When it
/// is empty the value is rendered in its shortest form ("4", "3.5"). Plain value.
struct Score {
  double value = 0;
  std::string text;
};

/// One criterion's prediction and gold value for one sample; nullopt marks a missing value.
/// Plain value.
struct Outcome {
  std::string criterion;
  std::optional<Score> prediction;
  std::optional<Score> gold;
};

/// One criterion's parsed prediction (nullopt = the judge gave none). Plain value.
struct Prediction {
  std::string criterion;
  std::optional<Score> value;
};

/// A criterion and its instruction text. Plain value.
struct Instruction {
  std::string criterion;
  std::string text;
};

/// A piece of text addressed to one criterion, e.g. a loss critique. Plain value.
struct CriterionText {
  std::string criterion;
  std::string text;
};

/// One criterion's gradients for a step, one per sample, in sample order. Plain value.
struct CriterionGradients {
  std::string criterion;
  std::vector<std::string> gradients;
};

/// One training sample of the forward pass as the judge saw and answered it. Plain value.
struct JudgedSample {
  std::vector<Field> inputs;            // LM_INPUT lines, in input order
  std::string raw_reply;                // the judge's unparsed reply (code fences included)
  std::vector<Prediction> predictions;  // parsed values; an absent criterion counts as missing

  /// The prediction for `criterion`, or nullopt when absent or missing.
  std::optional<Score> PredictionFor(const std::string& criterion) const;
};

// ---- switches (defaults = our fixes; the paper value reproduces the study) ----------------------

/// Loss prompts. Plain value.
struct LossOptions {
  /// Study: CORRECT iff the two values' texts are equal, so "4" vs "4.0" reads
  /// "INCORRECT (difference: 0.00)". Default: compare numerically (reference-protocol §15.10).
  bool paper_string_compare = false;
};

/// Combined gradient prompt. Plain value.
struct GradientOptions {
  /// Study: identical critiques are shown once under the FIRST criterion's name. Default: the
  /// block names every criterion that shares it ("all criteria (joint)" when all do).
  bool paper_mislabel_joint = false;
};

/// Optimizer meta-prompts. Plain value.
struct OptimizerOptions {
  /// Default: criteria whose gradient lists are identical share one FEEDBACK section (joint
  /// gradients appear once). Study (false): every criterion repeats them (§15.3).
  bool dedupe_joint_gradients = true;
  /// Default: the VARIABLE block of the combined meta-prompt is valid JSON (quotes, backslashes
  /// and control characters escaped). Study (false): instructions are pasted unescaped.
  bool escape_variable_json = true;
};

/// Parser of the separate optimizer's plain-text reply. Plain value.
struct SeparateParseOptions {
  /// Default: a leading "Here is the improved instruction:"-style line and a code fence around
  /// the whole reply are removed. Study (false): kept verbatim.
  bool strip_preamble = true;
};

/// Parser of the combined optimizer's JSON reply. Plain value.
struct CombinedParseOptions {
  /// Default: also repair inner curly quotes, match criterion keys case-insensitively when no
  /// exact key exists, and treat a bare placeholder value such as "<instruction>" as missing.
  /// Study (false): the five steps of reference-protocol §4.6 only.
  bool lenient = true;
};

}  // namespace judgeopt::prompts
