#pragma once
// RFC 4180 CSV with a header row: quoted fields, doubled quotes, line breaks inside quotes, LF or
// CRLF line ends. Every row keeps the line it starts on, for messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::data {

/// A parsed CSV file: the header's column names and the data rows, each as long as the header.
/// Value type.
struct CsvTable {
  struct Row {
    std::size_t line = 0;  // 1-based line on which the row starts
    std::vector<std::string> fields;
  };
  std::vector<std::string> header;
  std::vector<Row> rows;

  /// Position of a column in the header, or -1.
  int ColumnIndex(std::string_view name) const;
};

/// Parses CSV text (already checked to be UTF-8). Blank lines are skipped; CRLF inside a quoted
/// field becomes LF. Errors name `origin` and the line: an unterminated quote, text after a
/// closing quote, a row whose field count differs from the header's, an empty or duplicate
/// column name, or no header at all ("empty file").
Result<CsvTable> ParseCsv(std::string_view text, const std::string& origin);

}  // namespace judgeopt::data
