#pragma once

#include <string>
#include <vector>

namespace judgeopt {

/// A plain-text table for terminal output: a header row, data rows, optional rule lines.
/// Numeric-looking cells are right-aligned, text cells left-aligned. Value type.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back({std::move(row), false}); }
  /// A horizontal rule before the next row.
  void AddRule() { rows_.push_back({{}, true}); }
  std::string Render() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    bool rule = false;
  };
  std::vector<std::string> header_;
  std::vector<Row> rows_;
};

/// Formats a double with `decimals` digits; NaN renders as "-".
std::string FormatFixed(double value, int decimals);

}  // namespace judgeopt
