#include "judgeopt/data/csv.h"

#include <fmt/format.h>

namespace judgeopt::data {
namespace {

/// Splits CSV text into records of fields. Not thread-safe; one per parse.
class CsvScanner {
 public:
  CsvScanner(std::string_view text, const std::string& origin) : text_(text), origin_(origin) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  std::size_t line() const { return line_; }

  /// Reads one record starting at the current position.
  Result<std::vector<std::string>> NextRecord() {
    std::vector<std::string> fields;
    while (true) {
      std::string field;
      if (Peek() == '"') {
        JO_RETURN_IF_ERROR(ReadQuoted(field, fields.size() + 1));
      } else {
        ReadUnquoted(field);
      }
      fields.push_back(std::move(field));
      if (AtEnd()) break;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      ConsumeLineEnd();  // the only other way a field ends
      break;
    }
    return fields;
  }

 private:
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  bool AtLineEnd() const {
    if (AtEnd()) return false;
    char c = text_[pos_];
    return c == '\n' || (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  void ConsumeLineEnd() {
    if (text_[pos_] == '\r') ++pos_;
    ++pos_;  // '\n'
    ++line_;
  }

  void ReadUnquoted(std::string& out) {
    std::size_t start = pos_;
    while (!AtEnd() && text_[pos_] != ',' && !AtLineEnd()) ++pos_;
    out.assign(text_.substr(start, pos_ - start));
  }

  Status ReadQuoted(std::string& out, std::size_t field_number) {
    const std::size_t start_line = line_;
    ++pos_;  // opening quote
    while (true) {
      if (AtEnd()) {
        return ParseError(fmt::format("{}:{}: field {}: quoted field is never closed", origin_,
                                      start_line, field_number));
      }
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          out += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;  // closing quote
        break;
      }
      if (AtLineEnd()) {
        ConsumeLineEnd();
        out += '\n';
        continue;
      }
      out += c;
      ++pos_;
    }
    if (!AtEnd() && text_[pos_] != ',' && !AtLineEnd()) {
      return ParseError(
          fmt::format("{}:{}: field {}: unexpected character '{}' after a closing quote", origin_,
                      line_, field_number, text_[pos_]));
    }
    return Status::Ok();
  }

  std::string_view text_;
  const std::string& origin_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

bool IsBlank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].empty();
}

Status CheckHeader(const std::vector<std::string>& header, std::size_t line,
                   const std::string& origin) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) {
      return ParseError(fmt::format("{}:{}: header column {} has no name", origin, line, i + 1));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (header[j] == header[i]) {
        return ParseError(
            fmt::format("{}:{}: header names column '{}' twice", origin, line, header[i]));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

int CsvTable::ColumnIndex(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> ParseCsv(std::string_view text, const std::string& origin) {
  CsvScanner scanner(text, origin);
  CsvTable table;
  bool have_header = false;
  while (!scanner.AtEnd()) {
    const std::size_t line = scanner.line();
    JO_ASSIGN_OR_RETURN(std::vector<std::string> fields, scanner.NextRecord());
    if (IsBlank(fields)) continue;
    if (!have_header) {
      JO_RETURN_IF_ERROR(CheckHeader(fields, line, origin));
      table.header = std::move(fields);
      have_header = true;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return ParseError(fmt::format("{}:{}: expected {} fields as in the header, found {}", origin,
                                    line, table.header.size(), fields.size()));
    }
    table.rows.push_back({line, std::move(fields)});
  }
  if (!have_header) return ParseError(origin + ": empty file (no header row)");
  return table;
}

}  // namespace judgeopt::data
