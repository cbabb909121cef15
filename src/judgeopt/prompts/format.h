#pragma once
// Text helpers shared by the prompt builders: score display, the study's Python-style display
// rounding, JSON string quoting, field lists and tag blocks. Pure functions.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

/// Shortest round-trip decimal form of `v`: 4 -> "4", 3.5 -> "3.5", 0.1 -> "0.1".
std::string FormatNumber(double v);

/// `score.text` when set, else FormatNumber(score.value).
std::string FormatScore(const Score& score);

/// A gold value as every prompt shows it: a whole value as the data writes it ("4"), any other
/// rounded to at most two decimals ("3.67" for a 3-expert mean of 11/3, "3.5").
std::string FormatGold(double v);

/// The Score of a gold value: `v` with FormatGold's text (so the study's string comparison sees
/// what the prompt shows).
Score GoldScore(double v);

/// What a missing prediction or gold value reads as in every prompt.
inline constexpr std::string_view kMissingValue = "missing";

/// FormatScore, or kMissingValue for nullopt.
std::string FormatOptionalScore(const std::optional<Score>& score);

/// Python's `str(round(v, decimals))`: round half-even on the exact binary value, then the
/// shortest form with at least one decimal ("50.0", "70.8", "2.7"); decimals <= 0 gives an
/// integer string ("71").
std::string PythonRoundDisplay(double v, int decimals);

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped; non-ASCII
/// kept; invalid UTF-8 bytes replaced).
std::string JsonQuote(std::string_view s);

/// Input fields as "<label>: <value>" lines joined with "\n".
std::string RenderFields(std::span<const Field> fields);

/// "<NAME>\n<content>\n</NAME>".
std::string TagBlock(std::string_view name, std::string_view content);

/// "<NAME> <content> </NAME>" on one line.
std::string TagInline(std::string_view name, std::string_view content);

}  // namespace judgeopt::prompts
