#pragma once
// Prompts of the two diagnostics (reference-protocol §10.3-10.4) and the parse of their
// one-integer answers: gradient specificity (how focused a gradient is on its target criterion)
// and feedback adherence (how well a new instruction follows the gradient). Pure functions.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace judgeopt::prompts {

/// The text a diagnostic scores for one (step, criterion): the non-empty gradients recorded under
/// that criterion joined by a blank line (empty when there are none).
std::string DiagnosticGradientText(std::span<const std::string> gradients);

/// Specificity prompt: sections "## Target Criterion", "## All Criteria" (one "- <c>" line
/// each), "## Scale" (answer one integer 1-10) and, last, "## The Gradient" with the text.
std::string SpecificityPrompt(std::string_view criterion, std::span<const std::string> all_criteria,
                              std::string_view gradient);

/// Adherence prompt: sections "## Criterion", "## Old Instruction", "## New Instruction",
/// "## Scale" (answer one integer 1-10) and, last, "## The Gradient".
std::string AdherencePrompt(std::string_view criterion, std::string_view old_instruction,
                            std::string_view new_instruction, std::string_view gradient);

/// The first standalone integer of 1 or 2 digits in `reply` (not touching a letter, digit or
/// underscore; bytes >= 0x80 count as letters), if it lies in 1..10; nullopt otherwise (also
/// when the first such integer is out of range: the study does not look further).
std::optional<int> ParseDiagnosticScore(std::string_view reply);

}  // namespace judgeopt::prompts
