#pragma once
// Prompts of the TextGrad backward pass: the shared preamble, the loss prompts (the loss model
// criticises a prediction against the gold value) and the gradient prompts (the gradient model
// turns a critique into feedback on an instruction). Separate (S) variants cover one criterion,
// combined (C) variants every criterion of one sample. Layouts follow reference-protocol §4.2-4.4
// in our own wording; docs/prompts.md lists their sections. Pure functions.

#include <span>
#include <string>
#include <string_view>

#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

/// The fixed paragraph that opens every loss and gradient prompt (followed by a blank line). It
/// names tags without angle brackets, so it never opens a section.
std::string_view BackwardPreamble();

/// One criterion's comparison result as the loss prompts show it: "CORRECT",
/// "INCORRECT (difference: 1.00)", "INCORRECT" (a value is not a finite number),
/// "INCORRECT (missing prediction)" or "UNKNOWN (missing ground truth)".
std::string LossVerdict(const Outcome& outcome, const LossOptions& options = {});

/// True when LossVerdict reads "CORRECT".
bool LossIsCorrect(const Outcome& outcome, const LossOptions& options = {});

/// Loss S: one criterion, one sample. The loss model sees the prediction, the gold value and the
/// verdict; never the input, the instruction or the criterion's description.
std::string LossPromptSeparate(const Outcome& outcome, const LossOptions& options = {});

/// Loss C: every criterion of one sample, with per-criterion verdict lines and
/// "Overall: k of T correct." (T = outcomes.size()).
std::string LossPromptCombined(std::span<const Outcome> outcomes, const LossOptions& options = {});

/// Gradient S. `system_prompt` is the judge prompt filtered to `criterion` (already rendered);
/// LM_OUTPUT reads "<criterion>: <parsed value>" ("missing" when absent); the objective is the
/// loss critique; the variable is the criterion's current instruction.
std::string GradientPromptSeparate(std::string_view system_prompt, const JudgedSample& sample,
                                   const std::string& criterion, std::string_view loss_text,
                                   std::string_view instruction);

/// Gradient S of a structured gradient (docs/methods.md): GradientPromptSeparate followed by a
/// blank line and EditListRequest(criterion) (prompts/edits.h), which asks for the changes of
/// paragraph (3) again as a JSON list of edits.
std::string GradientPromptStructured(std::string_view system_prompt, const JudgedSample& sample,
                                     const std::string& criterion, std::string_view loss_text,
                                     std::string_view instruction);

/// The OBJECTIVE_FUNCTION body of gradient C: blocks "Feedback for <c>:\n<text>" joined by a
/// blank line, identical texts shown once (see GradientOptions for the label of a shared block).
/// `criteria` is the full criterion list, used to tell when a text is shared by all of them.
std::string CombinedFeedbackBlocks(std::span<const CriterionText> feedback,
                                   std::span<const std::string> criteria,
                                   const GradientOptions& options = {});

/// Gradient C: the full judge prompt, the raw judge reply as LM_OUTPUT, every criterion's
/// critique, and every instruction as "  <c>: <instruction>" lines.
std::string GradientPromptCombined(std::string_view system_prompt, const JudgedSample& sample,
                                   std::span<const CriterionText> feedback,
                                   std::span<const Instruction> instructions,
                                   const GradientOptions& options = {});

}  // namespace judgeopt::prompts
