#include "judgeopt/data/records.h"

#include <fmt/format.h>

#include "judgeopt/data/csv.h"
#include "judgeopt/data/text_file.h"

namespace judgeopt::data {
namespace {

constexpr NamedValue<FileFormat> kFileFormats[] = {{FileFormat::kJsonl, "jsonl"},
                                                   {FileFormat::kCsv, "csv"}};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

Result<config::Json> ParseJsonLine(std::string_view line, std::size_t line_no,
                                   const std::string& origin) {
  try {
    config::Json v = config::Json::parse(line);
    if (!v.is_object()) {
      return ParseError(
          fmt::format("{}:{}: expected a JSON object, got {}", origin, line_no, v.type_name()));
    }
    return v;
  } catch (const config::Json::parse_error& e) {
    return ParseError(
        fmt::format("{}:{}:{}: invalid JSON ({})", origin, line_no, e.byte, e.what()));
  }
}

Result<std::vector<Record>> CsvRecords(std::string_view text, const std::string& origin,
                                       std::vector<std::string>& columns) {
  JO_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(text, origin));
  std::vector<Record> out;
  out.reserve(table.rows.size());
  for (auto& row : table.rows) {
    config::Json obj = config::Json::object();
    for (std::size_t i = 0; i < table.header.size(); ++i) {
      obj[table.header[i]] = std::move(row.fields[i]);
    }
    out.push_back({row.line, std::move(obj)});
  }
  columns = std::move(table.header);
  return out;
}

}  // namespace

std::span<const NamedValue<FileFormat>> NamesOf(FileFormat) { return kFileFormats; }

Result<FileFormat> ResolveFileFormat(std::string_view name, const std::string& path) {
  if (!name.empty()) return ParseEnum<FileFormat>(name, path + ": format");
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson")) return FileFormat::kJsonl;
  if (EndsWith(path, ".csv")) return FileFormat::kCsv;
  return InvalidArgument(path + ": cannot tell the format from the extension; set format to " +
                         EnumChoiceText<FileFormat>());
}

std::string_view FileFormatName(FileFormat format) {
  for (const NamedValue<FileFormat>& entry : kFileFormats) {
    if (entry.value == format) return entry.name;
  }
  return "jsonl";
}

bool RecordFile::MayHaveField(const std::string& field) const {
  if (format == FileFormat::kJsonl) return true;
  for (const auto& c : columns) {
    if (c == field) return true;
  }
  return false;
}

Result<std::vector<Record>> ParseJsonl(std::string_view text, const std::string& origin) {
  std::vector<Record> out;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (IsBlankLine(line)) continue;
    JO_ASSIGN_OR_RETURN(config::Json obj, ParseJsonLine(line, line_no, origin));
    out.push_back({line_no, std::move(obj)});
  }
  return out;
}

Result<RecordFile> ReadRecordFile(const std::string& path, FileFormat format) {
  JO_ASSIGN_OR_RETURN(std::string text, ReadUtf8File(path));
  RecordFile file;
  file.path = path;
  file.format = format;
  if (format == FileFormat::kCsv) {
    JO_ASSIGN_OR_RETURN(file.records, CsvRecords(text, path, file.columns));
  } else {
    JO_ASSIGN_OR_RETURN(file.records, ParseJsonl(text, path));
  }
  if (file.records.empty()) return ParseError(path + ": empty file (no data rows)");
  return file;
}

}  // namespace judgeopt::data
