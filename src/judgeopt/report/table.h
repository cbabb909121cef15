#pragma once
// A report table as text cells, and its three renderings: Markdown (GitHub pipes), CSV
// (RFC 4180) and an HTML <table>. Pure functions; every cell is escaped for its format.

#include <string>
#include <vector>

namespace judgeopt::report {

/// One table: an id (HTML anchor and CSV file stem), a title, a caption paragraph, header cells
/// and rows of cells (rows may be shorter than the header; missing cells are empty). Plain value.
struct Table {
  std::string id;
  std::string title;
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Columns (by index) drawn right-aligned in Markdown and HTML: the numeric ones.
  std::vector<std::size_t> right_aligned;
};

/// "#### title", the caption, then the pipe table (`|` in cells escaped, `<` and `>` as entities,
/// line breaks as spaces).
/// A table without rows renders its title, caption and "(no rows)".
std::string TableMarkdown(const Table& table);

/// The header line then one line per row, `\n` line ends, fields quoted where needed.
std::string TableCsv(const Table& table);

/// <table class="data" id="..."> with <caption> (title and caption), <thead> and <tbody>;
/// every text HTML-escaped.
std::string TableHtml(const Table& table);

}  // namespace judgeopt::report
