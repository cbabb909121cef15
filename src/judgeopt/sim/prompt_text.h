#pragma once
// Small text helpers the simulator's role readers share: line splitting, word counting, finding
// section headers at line starts, and reading "Label: value" blocks whose values span lines.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::sim {

/// Splits on '\n' (a trailing '\r' is kept as part of the line). "" gives one empty line.
std::vector<std::string_view> SplitLines(std::string_view text);

/// Number of whitespace-separated words.
int CountWords(std::string_view text);

/// Position of the first occurrence of `header` at the start of a line at or after `from`, or
/// npos.
std::size_t FindAtLineStart(std::string_view text, std::string_view header, std::size_t from = 0);

/// Position of the last occurrence of `header` at the start of a line, or npos.
std::size_t RFindAtLineStart(std::string_view text, std::string_view header);

/// Position just after the line that starts at `pos` (past its '\n'), or text.size().
std::size_t NextLineStart(std::string_view text, std::size_t pos);

/// Reads a block of "<label>: <value>" entries, one per label in the given order. A value runs
/// until the line that starts the next label ("\n<next label>:"), so values may span lines. Values
/// come back trimmed. nullopt when the block does not follow the labels (a label missing, out
/// of order, or no labels at all).
std::optional<std::vector<std::string>> ReadLabeledFields(std::string_view block,
                                                          const std::vector<std::string>& labels);

}  // namespace judgeopt::sim
