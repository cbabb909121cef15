#pragma once
// Reads a judge prompt in judgeopt's layout (reference-protocol §1.2): the skeleton, an optional
// "## Output format" block, "## Instructions:" with one "- <criterion>: <instruction>" entry per
// criterion, "## Sample:" with "<Label>: <value>" lines, and a closing "## Response:".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"

namespace judgeopt::sim {

/// What the simulated judge reads from its prompt. Value type.
struct JudgePromptView {
  struct Entry {
    std::string criterion;
    std::string instruction;  // may span lines
    /// The scale the output-format line shows ("1|2|3|4|5" or "<0 to 1>"), when present.
    std::optional<data::Scale> shown_scale;
  };
  std::vector<Entry> entries;  // in prompt order
  std::string sample_block;    // text between "## Sample:" and "## Response:", trimmed
};

/// True when `prompt` has "## Instructions:", "## Sample:" and "## Response:" at line starts in
/// that order, with at most one more line after "## Response:".
bool LooksLikeJudgePrompt(std::string_view prompt);

/// Parses a judge prompt. An instruction entry starts at a line "- <name>: ..." where <name> is
/// one of `known_criteria` or a key of the output-format block; when no line names a known
/// criterion, every "- <name>: ..." line starts one. Other lines continue the previous entry.
/// Errors (kBadRequest) say which part is missing.
Result<JudgePromptView> ReadJudgePrompt(std::string_view prompt,
                                        const std::vector<std::string>& known_criteria);

/// The scale an output-format value shows: "1|2|3|4|5" (integers) or "<min to max>"
/// (continuous); nullopt for anything else (e.g. quoted labels).
std::optional<data::Scale> ScaleFromFormat(std::string_view format);

}  // namespace judgeopt::sim
