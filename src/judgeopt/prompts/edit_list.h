#pragma once
// Structured gradients (docs/methods.md): the request appended to a separate gradient prompt that
// asks for the proposed changes as a JSON list of edits, the robust parser of such lists, and the
// text an edit becomes when the optimizer reads it. Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::prompts {

/// What an edit does to an instruction.
enum class EditAction { kAdd, kRemove, kRephrase };

/// "add", "remove", "rephrase".
std::string_view EditActionName(EditAction action);

/// One proposed change to one criterion's instruction. Plain value.
struct Edit {
  std::string criterion;
  EditAction action = EditAction::kAdd;
  std::string text;       // words to add, words to remove, or the new wording
  std::string rationale;  // why ("" when the reply gave none)
  bool operator==(const Edit&) const = default;
};

/// An entry of an edit list that could not be used, and why. Plain value.
struct RejectedEdit {
  int index = 0;       // position in the list (0-based)
  std::string reason;  // e.g. "unknown action 'merge'", "no text"
};

/// What ParseEditList found. Plain value.
struct ParsedEdits {
  /// A JSON edit list (a list holding at least one object, {"edits": [...]} or a single edit
  /// object) was found; an empty list counts.
  bool list_found = false;
  /// Usable entries, in list order; each carries the reply's criterion (see ParseEditList).
  std::vector<Edit> edits;
  std::vector<RejectedEdit> rejected;
  /// Criteria other than the expected one that entries named, one per such entry, aligned with
  /// `edits` ("" where the entry named the expected criterion or none).
  std::vector<std::string> named_criteria;
};

/// The sentence that opens the edit-list request; a prompt containing it asks for edits.
inline constexpr std::string_view kEditListAsk =
    "Then restate the changes of paragraph (3) as a JSON list of edits";

/// The request appended (after a blank line) to a separate gradient prompt for `criterion`: one
/// JSON object per change, {"criterion", "action": "add" | "remove" | "rephrase", "text",
/// "rationale"}, inside a ```json fence, [] when nothing should change.
std::string EditListRequest(std::string_view criterion);

/// True when `prompt` carries EditListRequest.
bool AsksForEditList(std::string_view prompt);

/// Parses the edit list of a structured gradient reply for `criterion` (FindJsonValue: fences,
/// prose around it, curly quotes, trailing commas). An entry needs an object with a known action
/// ("action", or "type" / "op"; synonyms: insert, append, include -> add; delete, drop, omit ->
/// remove; reword, rewrite, replace, modify, change, clarify -> rephrase; case-insensitive) and a
/// non-empty "text" (or "edit" / "content" / "change"); "rationale" (or "reason" / "why") is
/// optional. Every usable entry is attributed to `criterion`: one that names another criterion
/// (case-insensitive) keeps that name in `named_criteria`, because a separate gradient speaks only
/// for its own criterion. Unusable entries go to `rejected` with the reason.
ParsedEdits ParseEditList(std::string_view reply, const std::string& criterion);

/// `text` trimmed, with line breaks and tabs made spaces (one line of a list).
std::string OneLine(std::string_view text);

/// The feedback line the optimizer reads for `edit`: "Add to the instruction for '<c>': <text>"
/// ("Remove from ...", "Rephrase ...: <text>"), then " (reason: <rationale>)" when there is one.
/// Line breaks inside the texts become spaces.
std::string RenderEdit(const Edit& edit);

/// The feedback text of a structured gradient whose list was empty.
std::string RenderNoEdit(std::string_view criterion);

}  // namespace judgeopt::prompts
