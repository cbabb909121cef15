#pragma once
// Parsers of the optimizer's replies: the combined optimizer's JSON object of instructions and the
// separate optimizer's plain instruction text (reference-protocol §4.6, "Parsing the optimizer
// output"). They report what is missing; the caller picks the fallback (the current instruction
// by default, the seed under the paper protocol). Pure functions.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

/// What a combined reply held for the expected criteria. Plain value.
struct ParsedInstructions {
  std::vector<Instruction> found;    // in the order of the expected criteria
  std::vector<std::string> missing;  // expected criteria the reply did not give (or gave empty)
};

/// Parses a combined optimizer reply:
///  1. an empty reply is an error;
///  2. the body of the first ``` fence (optionally ```json) when it contains "{", else the whole
///     reply; then the span from its first "{" to its last "}" (none: error);
///  3. raw newlines become spaces and the text is parsed as JSON; on failure "{{" / "}}" are
///     collapsed to "{" / "}" and it is parsed again (lenient: then also with curly double
///     quotes made straight); still failing: error;
///  4. the instruction object is "instructions" if that is an object, else "instruction" if an
///     object, else the top-level object when all its values are strings or objects (else error);
///  5. only the expected criteria are kept: a string is taken as is (trimmed), an object or array
///     is flattened by joining its strings with spaces (recursively), anything else stringified.
/// A reply that yields none of the expected criteria is an error (the study's validator; the
/// caller may re-ask). Errors are ErrorCode::kParse with a message saying what was wrong.
Result<ParsedInstructions> ParseCombinedReply(std::string_view reply,
                                              std::span<const std::string> expected,
                                              const CombinedParseOptions& options = {});

/// Parses a separate optimizer reply: trimmed, and quote characters that enclose the whole text
/// stripped (straight, curly and angle quotes, pair by pair); by default also a code fence
/// around the whole reply and a leading "Here is the improved instruction:"-style label are
/// removed. An empty result is an error.
Result<std::string> ParseSeparateReply(std::string_view reply,
                                       const SeparateParseOptions& options = {});

}  // namespace judgeopt::prompts
