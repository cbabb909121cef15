#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// `judgeopt runs export`: one run's tables as CSV or JSONL files, byte for byte deterministic
// (rows in key order, numbers in shortest round-trip form, no timestamps). Formats are
// documented in docs/results-schema.md.

#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/store/run_reader.h"

namespace judgeopt::store {

enum class ExportFormat { kCsv, kJsonl };

/// The name table of ExportFormat (base/enum_names.h): "csv", "jsonl", also the files'
/// extensions. `runs export --format`'s help and check and ParseExportFormat read it.
std::span<const NamedValue<ExportFormat>> NamesOf(ExportFormat);

/// A name of the table; anything else is kInvalidArgument naming the value and the choices.
Result<ExportFormat> ParseExportFormat(const std::string& name);
const char* ExportExtension(ExportFormat format);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  /// Leaves out what legitimately differs between an interrupted-and-resumed run and an
  /// uninterrupted one (the calls' latency_ms, attempts, cache_hit and cost_usd columns, the run's
  /// config_json) and between the same work done through two backends (run_id, id, group_id,
  /// request_hash, settings_key: they hash the backend and model).
  bool comparable = false;
};

/// One column of an exported table: its name and type ("int", "real", "text" or "bool"; any
/// may be empty: an empty CSV field, a JSON null).
struct ExportedColumn {
  std::string name;
  std::string type;
  bool operator==(const ExportedColumn&) const = default;
};

/// One exported file: its table name ("steps", "calls", ...), its columns in order, and full
/// content.
struct ExportedTable {
  std::string name;
  std::vector<ExportedColumn> columns;
  std::string content;
};

/// The names of the exported tables, in export order.
const std::vector<std::string>& ExportTableNames();

/// Every table of one run, rendered; an unknown run is UnknownRunError.
Result<std::vector<ExportedTable>> ExportRun(RunReader& reader, const std::string& run_id,
                                             const ExportOptions& options);

/// Writes each table to `<dir>/<name>.<csv|jsonl>` (atomically, creating `dir`) and returns the
/// paths written.
Result<std::vector<std::string>> WriteExport(const std::vector<ExportedTable>& tables,
                                             const std::string& dir, ExportFormat format);

}  // namespace judgeopt::store
