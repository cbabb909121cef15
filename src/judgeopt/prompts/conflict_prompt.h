#pragma once
// The conflict classifier's prompt and the parse of its verdicts (docs/methods.md, conflict
// matrix): the edits two criteria's structured gradients proposed in one step, listed as A1..An and
// B1..Bm, and the diagnostic model's JSON list of pairwise verdicts (agree, independent,
// contradict) with, for a contradiction, which edit should survive. Pure functions.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/prompts/edit_list.h"

namespace judgeopt::prompts {

/// How two edits of different criteria relate.
enum class PairVerdict { kAgree, kIndependent, kContradict };

/// "agree", "independent", "contradict".
std::string_view PairVerdictName(PairVerdict verdict);

/// The first sentence of every conflict prompt.
inline constexpr std::string_view kConflictOpening =
    "You are checking whether edits proposed for the instructions of different criteria of an LLM "
    "judge work against each other.";

/// One side of a conflict prompt: a criterion, its current instruction and its edits (listed with
/// ids <letter>1, <letter>2, ... in this order). Plain value.
struct ConflictSide {
  std::string criterion;
  std::string instruction;
  std::vector<Edit> edits;
};

/// The prompt for one criterion pair: opening, the three verdicts and the "keep" rule, sections "##
/// Current instructions" ("A (<a>): ..." / "B (<b>): ..."), "## Edits A (<a>)" and "## Edits B
/// (<b>)" (one line "A1. <action>: <text> (reason: ...)" per edit), then "## Answer" asking for a
/// JSON list with one object per pair (|A|·|B| of them).
std::string ConflictPrompt(const ConflictSide& a, const ConflictSide& b);

/// True when `prompt` (leading whitespace ignored) starts with kConflictOpening.
bool IsConflictPrompt(std::string_view prompt);

/// The verdict on one pair of edits (0-based indices into the two sides). Plain value.
struct EditPairVerdict {
  int a = 0;
  int b = 0;
  PairVerdict verdict = PairVerdict::kIndependent;
  /// For a contradiction: "a" or "b" (the edit that survives), "both" (neither is dropped),
  /// "neither" (both go), or "" when the reply named no usable side. "" for other verdicts.
  std::string keep;
  /// "" when the reply gave this verdict; otherwise why it was filled in or doubted: "missing",
  /// "unparseable reply", "unknown verdict 'x'", "unknown keep 'x'".
  std::string note;
  bool operator==(const EditPairVerdict&) const = default;
};

/// The parse of a classifier reply. Plain value.
struct ParsedVerdicts {
  bool list_found = false;
  /// Every pair, a-major (a0-b0, a0-b1, ...): |A|·|B| entries. A pair the reply left out or
  /// gave an unknown verdict for counts as independent, with a note saying so.
  std::vector<EditPairVerdict> verdicts;
  /// Entries of the reply that were not used, and why (a repeated pair, an unknown id, not an
  /// object).
  std::vector<std::string> ignored;
};

/// Parses the classifier's reply for sides of `count_a` and `count_b` edits. Accepts a list of
/// objects, {"verdicts": [...]} or {"pairs": [...]}, found like an edit list (fences, prose, curly
/// quotes, trailing commas). Ids read "A2", "a2", "A 2", "A-2" or a bare number (the field says the
/// side); a pair written B-first is swapped. Verdict words are case-insensitive, with synonyms
/// (agrees, consistent, compatible, supports -> agree; neutral, unrelated, orthogonal, none ->
/// independent; contradicts, contradiction, conflict, conflicts, conflicting, opposed ->
/// contradict). The first verdict on a pair counts; later ones are ignored.
ParsedVerdicts ParseVerdicts(std::string_view reply, int count_a, int count_b);

}  // namespace judgeopt::prompts
