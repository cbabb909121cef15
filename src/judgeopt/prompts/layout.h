#pragma once
// The machine-readable contract of the optimization prompts: the fixed opening that starts each
// prompt family, the ROLE texts that carry the criterion names, and a reader that tells a prompt's
// kind and criteria from its text alone (what the offline simulator needs). docs/prompts.md
// describes every layout section by section.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace judgeopt::prompts {

/// Every prompt kind this module builds.
enum class PromptKind {
  kUnknown,
  kLossSeparate,
  kLossCombined,
  kGradientSeparate,
  kGradientCombined,
  kOptimizerSeparate,
  kOptimizerCombined,
  kOptimizerOwned,
  kSpecificity,
  kAdherence,
  kOpro,
};

/// "loss_separate", "gradient_combined", ... ("unknown").
std::string_view PromptKindName(PromptKind kind);

// First sentence of each prompt family; every prompt of the family starts with it.
inline constexpr std::string_view kBackwardOpening =
    "You are the feedback engine of a system that optimizes text.";
inline constexpr std::string_view kOptimizerOpening =
    "You are one part of an optimization system that improves a piece of text, the variable.";
inline constexpr std::string_view kSpecificityOpening =
    "You are rating how specific a piece of optimization feedback is.";
inline constexpr std::string_view kAdherenceOpening =
    "You are rating how closely a revised instruction follows optimization feedback.";
inline constexpr std::string_view kOproOpening =
    "Write a new, better instruction for each criterion of an LLM judge.";

// ROLE texts. Criterion names are read back from them, so names must not contain ", ", "'",
// "(" / ")" or newlines (dataset criterion names are plain identifiers).

/// "predicted score of a language model for the criterion: <c>"
std::string RoleLossSeparate(std::string_view criterion);
/// "predicted scores of a language model for the criteria: <c1>, <c2>"
std::string RoleLossCombined(std::span<const std::string> criteria);
/// "instruction for the criterion '<c>' in the system prompt of a language model"
std::string RoleInstructionSeparate(std::string_view criterion);
/// "instructions for the criteria (<c1>, <c2>) in the system prompt of a language model"
std::string RoleInstructionsCombined(std::span<const std::string> criteria);
/// "instruction block of the criterion '<c>' among the instructions for the criteria (<c1>,
/// <c2>) in the system prompt of a language model" (criterion-owned blocks)
std::string RoleInstructionOwned(std::string_view owner, std::span<const std::string> criteria);

/// What a reader can tell from a prompt's text. Plain value.
struct PromptLayout {
  PromptLayout() = default;
  PromptLayout(PromptKind kind, std::vector<std::string> criteria, std::string owner = "")
      : kind(kind), criteria(std::move(criteria)), owner(std::move(owner)) {}

  PromptKind kind = PromptKind::kUnknown;
  /// The criteria the prompt is about, in prompt order: one for the separate kinds, the
  /// specificity target and the adherence criterion; all for the combined kinds, the owned
  /// optimizer and OPRO.
  std::vector<std::string> criteria;
  /// The criterion whose block an owned-block optimizer prompt may change ("" for other kinds).
  std::string owner;
};

/// Recognizes a prompt built by this module (leading whitespace ignored). A text it does not
/// recognize gives kind kUnknown and no criteria.
PromptLayout ReadPromptLayout(std::string_view text);

}  // namespace judgeopt::prompts
