#pragma once
// Data files as lists of records: JSONL (one JSON object per line) or CSV with a header. Both give
// each row as a JSON object (CSV values are strings) with the line it came from.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"

namespace judgeopt::data {

enum class FileFormat { kJsonl, kCsv };

/// The name table of FileFormat (base/enum_names.h): "jsonl", "csv". A dataset spec's `format`,
/// `score --format`'s help and check and ResolveFileFormat read it.
std::span<const NamedValue<FileFormat>> NamesOf(FileFormat);

/// A name of the table; an empty name picks by the path's extension (.jsonl/.ndjson or .csv).
Result<FileFormat> ResolveFileFormat(std::string_view name, const std::string& path);
std::string_view FileFormatName(FileFormat format);

/// One row of a data file. Value type.
struct Record {
  std::size_t line = 0;  // 1-based line where the row starts
  config::Json fields;   // a JSON object
};

/// A whole data file. `columns` is the CSV header (empty for JSONL, whose rows may differ).
/// Value type.
struct RecordFile {
  std::string path;
  FileFormat format = FileFormat::kJsonl;
  std::vector<std::string> columns;
  std::vector<Record> records;

  /// True when rows are known to carry `field`: always for JSONL, else when it is a column.
  bool MayHaveField(const std::string& field) const;
};

/// Parses JSONL text: every non-blank line must be a JSON object. Errors name `origin`, the line
/// and, for syntax errors, the column.
Result<std::vector<Record>> ParseJsonl(std::string_view text, const std::string& origin);

/// Reads a JSONL or CSV file, checking UTF-8 first. A file with no rows is an error
/// ("<path>: empty file").
Result<RecordFile> ReadRecordFile(const std::string& path, FileFormat format);

}  // namespace judgeopt::data
