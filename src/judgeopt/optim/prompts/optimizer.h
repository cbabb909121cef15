#pragma once
// Prompts of the TextGrad optimizer step: the CONTEXT block (the forward pass and the gradients
// the optimizer sees) and the meta-prompts that ask for improved instructions, separate (one
// criterion, plain-text answer) and combined (every criterion, JSON answer). Layouts follow
// reference-protocol §4.6 in our own wording; docs/prompts.md lists their sections. Pure
// functions.

#include <span>
#include <string>
#include <string_view>

#include "judgeopt/optim/prompts/types.h"

namespace judgeopt::optim::prompts {

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

/// Optimizer S meta-prompt: ROLE, the instruction inline in VARIABLE, the filtered CONTEXT with
/// `gradients` as FEEDBACK, and the demand for the improved instruction text only.
std::string OptimizerPromptSeparate(const std::string& criterion, std::string_view instruction,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const std::string> gradients);

/// Optimizer C meta-prompt: ROLE, every instruction as a JSON object in VARIABLE, the full
/// CONTEXT with the per-criterion FEEDBACK sections, and the demand for one JSON object
/// {"instructions": {...}}.
std::string OptimizerPromptCombined(std::span<const Instruction> instructions,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const CriterionGradients> gradients,
                                    const OptimizerOptions& options = {});

}  // namespace judgeopt::optim::prompts
