#pragma once
// Prompts of the TextGrad optimizer step: the CONTEXT block (the forward pass and the gradients
// the optimizer sees) and the meta-prompts that ask for improved instructions, separate (one
// criterion, plain-text answer) and combined (every criterion, JSON answer). Layouts follow
// reference-protocol §4.6 in our own wording; docs/prompts.md lists their sections. Pure
// functions.

#include <span>
#include <string>
#include <string_view>

#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

/// CONTEXT block of the separate optimizer: `system_prompt` (filtered to `criterion`) once, one
/// CONVERSATION per sample whose LM_OUTPUT reads "<criterion>: <value>", then the feedback on
/// that criterion's instruction. Empty when `samples` is empty.
std::string ContextBlockSeparate(std::string_view system_prompt,
                                 std::span<const JudgedSample> samples,
                                 const std::string& criterion, std::string_view feedback);

/// CONTEXT block of the combined optimizer: the full `system_prompt` once, one CONVERSATION per
/// sample with the judge's raw reply as LM_OUTPUT, then the feedback on all instructions. Empty
/// when `samples` is empty.
std::string ContextBlockCombined(std::string_view system_prompt,
                                 std::span<const JudgedSample> samples, std::string_view feedback);

/// FEEDBACK text of the separate optimizer: one "  - <gradient>" line per gradient.
std::string GradientLines(std::span<const std::string> gradients);

/// FEEDBACK text of the combined optimizer: one section per criterion, "Feedback for criterion
/// '<c>':" and its gradient lines, sections joined by "\n\n---\n\n". Criteria with no gradients
/// are left out. With dedupe (default) criteria whose gradient lists are identical share one
/// section headed "Feedback for all criteria (joint):" (or "Feedback for criteria 'a', 'b':").
std::string CombinedGradientSections(std::span<const CriterionGradients> gradients,
                                     const OptimizerOptions& options = {});

/// FEEDBACK text of the combined optimizer when a step's gradients mix joint texts with texts
/// of single criteria (the specificity-aware router): one section "Feedback for all criteria
/// (joint):" with the `joint` lines (left out when empty), then one section per criterion with
/// gradients in `own`, "Feedback for criterion '<c>' only (its own gradient calls):"; sections
/// joined by "\n\n---\n\n". Every text appears once.
std::string MixedGradientSections(std::span<const std::string> joint,
                                  std::span<const CriterionGradients> own);

/// Optimizer S meta-prompt: ROLE, the instruction inline in VARIABLE, the filtered CONTEXT with
/// `gradients` as FEEDBACK, and the demand for the improved instruction text only. With
/// criterion-owned blocks, `read_only` holds the other criteria's instructions: they are shown
/// in an OTHER_INSTRUCTIONS block after VARIABLE, marked as not to be changed (none: no block).
std::string OptimizerPromptSeparate(const std::string& criterion, std::string_view instruction,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const std::string> gradients,
                                    std::span<const Instruction> read_only = {});

/// Optimizer C meta-prompt: ROLE, every instruction as a JSON object in VARIABLE, the full
/// CONTEXT with the per-criterion FEEDBACK sections, and the demand for one JSON object
/// {"instructions": {...}}.
std::string OptimizerPromptCombined(std::span<const Instruction> instructions,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const CriterionGradients> gradients,
                                    const OptimizerOptions& options = {});

/// Optimizer C meta-prompt over an already rendered FEEDBACK text (CombinedGradientSections or
/// MixedGradientSections).
std::string OptimizerPromptCombinedWithFeedback(std::span<const Instruction> instructions,
                                                std::string_view system_prompt,
                                                std::span<const JudgedSample> samples,
                                                std::string_view feedback,
                                                const OptimizerOptions& options = {});

/// Optimizer meta-prompt of one criterion-owned block: the combined layout (every instruction in
/// VARIABLE, the full CONTEXT with all of `feedback`) under the ROLE RoleInstructionOwned, asking
/// for an improved instruction of `owner` alone, the others being read-only, as one JSON object
/// {"instructions": {"<owner>": "..."}}.
std::string OptimizerPromptOwned(const std::string& owner,
                                 std::span<const Instruction> instructions,
                                 std::string_view system_prompt,
                                 std::span<const JudgedSample> samples, std::string_view feedback,
                                 const OptimizerOptions& options = {});

}  // namespace judgeopt::prompts
