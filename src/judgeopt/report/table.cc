#include "judgeopt/report/table.h"

#include <algorithm>

#include "judgeopt/report/eval_files.h"
#include "judgeopt/report/svg.h"

namespace judgeopt::report {
namespace {

bool RightAligned(const Table& t, std::size_t column) {
  return std::find(t.right_aligned.begin(), t.right_aligned.end(), column) != t.right_aligned.end();
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '<') {
      out += "&lt;";  // else Markdown viewers take it for an HTML tag
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Cell(const std::vector<std::string>& row, std::size_t i) {
  return i < row.size() ? row[i] : std::string();
}

}  // namespace

std::string TableMarkdown(const Table& t) {
  std::string out = "#### " + MarkdownCell(t.title) + "\n\n";
  if (!t.caption.empty()) out += t.caption + "\n\n";
  if (t.rows.empty()) return out + "(no rows)\n\n";
  std::string head = "|", rule = "|";
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    head += " " + MarkdownCell(t.header[i]) + " |";
    rule += RightAligned(t, i) ? " ---: |" : " --- |";
  }
  out += head + "\n" + rule + "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (std::size_t i = 0; i < t.header.size(); ++i)
      out += " " + MarkdownCell(Cell(row, i)) + " |";
    out += "\n";
  }
  return out + "\n";
}

std::string TableCsv(const Table& t) {
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < t.header.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(Cell(cells, i));
    }
    return out + "\n";
  };
  std::string out = line(t.header);
  for (const auto& row : t.rows) out += line(row);
  return out;
}

std::string TableHtml(const Table& t) {
  std::string out = "<div class=\"table-wrap\"><table class=\"data\" id=\"" + EscapeXml(t.id) +
                    "\">\n<caption><span class=\"table-title\">" + EscapeXml(t.title) + "</span>";
  if (!t.caption.empty())
    out += "<br><span class=\"table-caption\">" + EscapeXml(t.caption) + "</span>";
  out += "</caption>\n<thead><tr>";
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    out += std::string(RightAligned(t, i) ? "<th class=\"num\">" : "<th>") +
           EscapeXml(t.header[i]) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < t.header.size(); ++i) {
      out += std::string(RightAligned(t, i) ? "<td class=\"num\">" : "<td>") +
             EscapeXml(Cell(row, i)) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

}  // namespace judgeopt::report
