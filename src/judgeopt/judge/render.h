#pragma once
// Renders a JudgePrompt into the exact text the judge sees, in the study's layout (see
// docs/judge.md): preamble + fixed sentence, "## Output format (follow this EXACTLY):" block,
// "## Instructions:" list, then "## Sample:" fields and "## Response:". The section headers are
// part of the contract with the simulator, which parses them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::judge {

inline constexpr std::string_view kOutputFormatHeader = "## Output format (follow this EXACTLY):";
inline constexpr std::string_view kInstructionsHeader = "## Instructions:";
inline constexpr std::string_view kSampleHeader = "## Sample:";
inline constexpr std::string_view kResponseHeader = "## Response:";

// The sectioned layout (judge mode "sectioned", docs/judge.md): the sample first, then one
// section per criterion, each ending with the reply line it asks for.
inline constexpr std::string_view kCriteriaHeader =
    "## Criteria (score each one right after reading its instruction):";
/// A criterion's section starts with "### <k>. <criterion>" (k = 1, 2, ...).
inline constexpr std::string_view kSectionPrefix = "### ";
/// The last line of a section: "Reply line: <criterion>: <format>".
inline constexpr std::string_view kReplyLinePrefix = "Reply line: ";

/// What the judge is asked to return: "scores" when every scale is an integer scale, else
/// "values".
std::string OutputNoun(const std::vector<const data::Criterion*>& criteria);

/// The right-hand side of an output-format line: "1|2|3|4|5" for an integer scale with at most
/// 21 values, otherwise "<min to max>" (e.g. "<0.0 to 1.0>" for a continuous scale).
std::string ScaleFormat(const data::Scale& scale);

/// The fixed sentence that follows the preamble.
std::string SkeletonSentence(std::string_view noun);

/// The instructions part of the judge prompt (study: render_instructions): preamble + sentence,
/// the output-format block (when the prompt has it on), and the instruction list; ends with a
/// newline. With `only_criterion`, the format block and the list hold just that criterion.
/// Fails when the prompt names a criterion the dataset lacks, or the filter is not covered.
Result<std::string> RenderInstructions(const JudgePrompt& prompt, const data::Dataset& dataset,
                                       std::optional<std::string_view> only_criterion = {});

/// The whole judge prompt for one example (study: render_task_prompt): the instructions part,
/// then "## Sample:" with one "<Label>: <value>" line per input field, then "## Response:\n".
Result<std::string> RenderTaskPrompt(const JudgePrompt& prompt, const data::Dataset& dataset,
                                     const data::Example& example,
                                     std::optional<std::string_view> only_criterion = {});

/// The fixed sentence after the preamble in the sectioned layout.
std::string SectionedSentence(std::string_view noun);

/// A section's last line: kReplyLinePrefix + "<criterion>: " + the scale format (with the
/// output-format switch on) or "<score>" / "<value>" (off).
std::string ReplyLineRequest(const data::Criterion& criterion, bool show_scale);

/// The whole judge prompt of the sectioned layout for one example: preamble + SectionedSentence,
/// "## Sample:" with the input fields, kCriteriaHeader, then per criterion (prompt order) a
/// blank line, "### <k>. <criterion>", its instruction (trimmed) and its ReplyLineRequest;
/// finally a blank line and "## Response:\n".
Result<std::string> RenderSectionedTaskPrompt(const JudgePrompt& prompt,
                                              const data::Dataset& dataset,
                                              const data::Example& example);

/// The exact messages sent to the judge for one example: a single user message holding
/// RenderTaskPrompt's text (as the study).
Result<std::vector<llm::ChatMessage>> RenderJudgeMessages(
    const JudgePrompt& prompt, const data::Dataset& dataset, const data::Example& example,
    std::optional<std::string_view> only_criterion = {});

}  // namespace judgeopt::judge
