#pragma once
// Reads a judge prompt in judgeopt's layouts. The study's (reference-protocol §1.2): the
// skeleton, an optional "## Output format" block, "## Instructions:" with one
// "- <criterion>: <instruction>" entry per criterion, "## Sample:" with "<Label>: <value>" lines,
// and a closing "## Response:". The sectioned one (judge mode "sectioned", docs/judge.md): the
// skeleton, "## Sample:", "## Criteria ...", one "### <k>. <criterion>" section per criterion
// ending with its "Reply line: <criterion>: <format>", and a closing "## Response:".

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
  /// Text between "## Sample:" and the next section ("## Response:" or "## Criteria"), trimmed.
  std::string sample_block;
  /// The sectioned layout: each score is asked for right after its own instruction.
  bool sectioned = false;
};

/// True when `prompt` has "## Instructions:", "## Sample:" and "## Response:" at line starts in
/// that order (or, sectioned, "## Sample:", "## Criteria" and "## Response:"), with at most one
/// more line after "## Response:".
bool LooksLikeJudgePrompt(std::string_view prompt);

/// Parses a judge prompt. An instruction entry starts at a line "- <name>: ..." where <name> is
/// one of `known_criteria` or a key of the output-format block; when no line names a known
/// criterion, every "- <name>: ..." line starts one. Other lines continue the previous entry.
/// In the sectioned layout a section starts at "### <k>. <name>" (k = 1, 2, ... in turn); its
/// instruction is every line up to its last "Reply line: <name>: <format>" line, whose format
/// gives the shown scale. Errors (kBadRequest) say which part is missing.
Result<JudgePromptView> ReadJudgePrompt(std::string_view prompt,
                                        const std::vector<std::string>& known_criteria);

/// The scale an output-format value shows: "1|2|3|4|5" (integers) or "<min to max>"
/// (continuous); nullopt for anything else (e.g. quoted labels).
std::optional<data::Scale> ScaleFromFormat(std::string_view format);

}  // namespace judgeopt::sim
