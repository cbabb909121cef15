#include "judgeopt/store/run_export.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "judgeopt/base/files.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store {
namespace {

constexpr NamedValue<ExportFormat> kExportFormats[] = {{ExportFormat::kCsv, "csv"},
                                                       {ExportFormat::kJsonl, "jsonl"}};

enum class Kind { kInt, kReal, kText, kBool };

struct Column {
  const char* name;
  Kind kind;
  bool observation = false;  // left out of comparable exports (see also IsIdentity)
  /// For a column an older (still readable) schema version lacks: the SQL literal read there.
  const char* fallback = nullptr;
};

/// One exported table: columns read from `from` for one run (bound to ?1), in `order`.
struct TableSpec {
  const char* name;
  const char* from;
  const char* order;
  std::vector<Column> columns;
  /// A table an older (still readable) schema version lacks: exported with no rows there.
  bool newer_table = false;
};

constexpr Kind I = Kind::kInt;
constexpr Kind R = Kind::kReal;
constexpr Kind T = Kind::kText;
constexpr Kind B = Kind::kBool;

const std::vector<TableSpec>& Tables() {
  static const std::vector<TableSpec> kTables = {
      {"run", "runs WHERE id = ?1", "id",
       {{"id", T}, {"group_id", T}, {"dataset", T}, {"mode", T}, {"algorithm", T},
        {"criteria_json", T}, {"steps", I}, {"simulated", B}, {"status", T}, {"message", T},
        {"code_version", T}, {"config_json", T, /*observation=*/true},
        {"simulated_roles", T, false, "''"}}},
      {"prompts",
       "prompts WHERE fingerprint IN (SELECT incumbent_before FROM steps WHERE run_id = ?1 "
       "UNION SELECT candidate FROM steps WHERE run_id = ?1 UNION SELECT incumbent_after FROM "
       "steps WHERE run_id = ?1 UNION SELECT prompt_fingerprint FROM evaluations WHERE "
       "run_id = ?1)",
       "fingerprint",
       {{"fingerprint", T}, {"json", T}}},
      {"steps", "steps WHERE run_id = ?1", "step",
       {{"run_id", T}, {"step", I}, {"batch_json", T}, {"incumbent_before", T},
        {"candidate", T}, {"incumbent_after", T}, {"accepted", B}, {"gate_metric", T},
        {"gate_skipped", B}, {"gate_incumbent_score", R}, {"gate_candidate_score", R},
        {"candidate_batch_scores_json", T}, {"chosen_candidate", I},
        {"carried_gate_score", R}}},
      {"evaluations", "evaluations WHERE run_id = ?1", "step, split",
       {{"run_id", T}, {"step", I}, {"split", T}, {"prompt_fingerprint", T},
        {"settings_key", T}, {"reused_from_step", I}}},
      {"evaluation_metrics", "evaluation_metrics WHERE run_id = ?1", "step, split, ordinal",
       {{"run_id", T}, {"step", I}, {"split", T}, {"ordinal", I}, {"criterion", T},
        {"spearman", R}, {"kendall", R}, {"pearson", R}, {"mae", R}, {"off_by_one", R},
        {"accuracy", R}, {"n", I}, {"missing", I}}},
      {"predictions", "predictions WHERE run_id = ?1", "step, split, ordinal",
       {{"run_id", T}, {"step", I}, {"split", T}, {"ordinal", I}, {"position", I},
        {"example_id", T}, {"values_json", T}, {"raw_reply", T}, {"error", T}}},
      {"losses", "losses WHERE run_id = ?1", "step, ordinal",
       {{"run_id", T}, {"step", I}, {"ordinal", I}, {"criterion", T}, {"sample", I},
        {"text", T}}},
      {"gradients", "gradients WHERE run_id = ?1", "step, ordinal",
       {{"run_id", T}, {"step", I}, {"ordinal", I}, {"criterion", T}, {"sample", I},
        {"text", T}}},
      {"optimizer_calls", "optimizer_calls WHERE run_id = ?1", "step, ordinal",
       {{"run_id", T}, {"step", I}, {"ordinal", I}, {"criterion", T}, {"candidate", I},
        {"meta_prompt", T}, {"raw_reply", T}, {"parsed_json", T}, {"error", T}}},
      {"step_decisions", "step_decisions WHERE run_id = ?1", "step, ordinal",
       {{"run_id", T}, {"step", I}, {"ordinal", I}, {"kind", T}, {"criterion", T},
        {"summary", T}, {"payload_json", T}},
       true},
      {"calls", "calls WHERE run_id = ?1", "step, ordinal",
       {{"run_id", T}, {"step", I}, {"ordinal", I}, {"call_step", I}, {"stage", T},
        {"role", T}, {"request_hash", T}, {"tag", T}, {"latency_ms", R, true},
        {"prompt_tokens", I}, {"completion_tokens", I}, {"cost_usd", R, true},
        {"attempts", I, true}, {"cache_hit", B, true}, {"error", T},
        {"finish_reason", T, false, "''"}, {"simulated", B, false, "0"},
        {"total_tokens", I, false, "prompt_tokens + completion_tokens"},
        {"cached_tokens", I, false, "0"}, {"reasoning_tokens", I, false, "0"}}},
  };
  return kTables;
}

std::string FormatReal(double v) { return fmt::format("{}", v); }

std::string CsvField(const Statement& s, int col, Kind kind) {
  if (s.ColumnIsNull(col)) return "";
  switch (kind) {
    case Kind::kInt:
      return std::to_string(s.ColumnInt64(col));
    case Kind::kBool:
      return s.ColumnInt64(col) != 0 ? "true" : "false";
    case Kind::kReal:
      return FormatReal(s.ColumnDouble(col));
    case Kind::kText:
      break;
  }
  std::string text = s.ColumnText(col);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonField(const Statement& s, int col, Kind kind) {
  if (s.ColumnIsNull(col)) return "null";
  switch (kind) {
    case Kind::kInt:
      return std::to_string(s.ColumnInt64(col));
    case Kind::kBool:
      return s.ColumnInt64(col) != 0 ? "true" : "false";
    case Kind::kReal: {
      const double v = s.ColumnDouble(col);
      return std::isfinite(v) ? FormatReal(v) : "null";
    }
    case Kind::kText:
      break;
  }
  return nlohmann::json(s.ColumnText(col))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Columns that name the run or the backend rather than a result: the run id (a hash of the
// config, backend and model included), the group id, and the keys that hash the endpoint kind and
// model (a call's request_hash, an evaluation's settings_key). Left out of comparable exports, so
// the same work done through another backend (the in-process simulator, `judgeopt sim-server`)
// compares equal.
bool IsIdentity(const Column& c) {
  for (const char* name : {"run_id", "id", "group_id", "request_hash", "settings_key"}) {
    if (std::string_view(c.name) == name) return true;
  }
  return false;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kInt:
      return "int";
    case Kind::kReal:
      return "real";
    case Kind::kBool:
      return "bool";
    case Kind::kText:
      break;
  }
  return "text";
}

// The columns of `spec` that `options` exports, in order.
std::vector<const Column*> ExportedColumns(const TableSpec& spec, const ExportOptions& options) {
  std::vector<const Column*> columns;
  for (const Column& c : spec.columns) {
    if (!(options.comparable && (c.observation || IsIdentity(c)))) columns.push_back(&c);
  }
  return columns;
}

Result<std::string> RenderTable(Db& db, const TableSpec& spec, const std::string& run_id,
                                const ExportOptions& options) {
  const std::vector<const Column*> columns = ExportedColumns(spec, options);
  const std::string_view from = spec.from;
  const std::string table(from.substr(0, from.find(' ')));  // `from` starts with the table
  std::string select;
  for (const Column* c : columns) {
    std::string expr = c->name;
    if (c->fallback != nullptr) {
      JO_ASSIGN_OR_RETURN(expr, run_rows::ColumnOr(db, table, c->name, c->fallback));
    }
    select += (select.empty() ? "" : ", ") + expr;
  }
  const bool csv = options.format == ExportFormat::kCsv;
  std::string out;
  if (csv) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      out += (i ? "," : "") + std::string(columns[i]->name);
    }
    out += "\n";
  }
  if (spec.newer_table) {
    JO_ASSIGN_OR_RETURN(bool present, run_rows::HasTable(db, spec.name));
    if (!present) return out;  // an older file: the header and no rows
  }
  JO_ASSIGN_OR_RETURN(Statement s, db.Prepare(fmt::format("SELECT {} FROM {} ORDER BY {}", select,
                                                          spec.from, spec.order)));
  JO_RETURN_IF_ERROR(run_rows::BindAll(s, {run_id}));
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    if (!csv) out += "{";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int col = static_cast<int>(i);
      if (csv) {
        out += (i ? "," : "") + CsvField(s, col, columns[i]->kind);
      } else {
        out += fmt::format("{}\"{}\":{}", i ? "," : "", columns[i]->name,
                           JsonField(s, col, columns[i]->kind));
      }
    }
    out += csv ? "\n" : "}\n";
  }
}

}  // namespace

std::span<const NamedValue<ExportFormat>> NamesOf(ExportFormat) { return kExportFormats; }

Result<ExportFormat> ParseExportFormat(const std::string& name) {
  return ParseEnum<ExportFormat>(name, "--format");
}

const char* ExportExtension(ExportFormat format) {
  for (const NamedValue<ExportFormat>& entry : kExportFormats) {
    if (entry.value == format) return entry.name.data();  // a literal: NUL-terminated
  }
  return "csv";
}

const std::vector<std::string>& ExportTableNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const TableSpec& t : Tables()) names.emplace_back(t.name);
    return names;
  }();
  return kNames;
}

Result<std::vector<ExportedTable>> ExportRun(RunReader& reader, const std::string& run_id,
                                             const ExportOptions& options) {
  Db& db = reader.db();
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db, run_id));
  if (!run) return UnknownRunError(run_id, reader.path());
  std::vector<ExportedTable> out;
  for (const TableSpec& spec : Tables()) {
    ExportedTable table{spec.name, {}, {}};
    for (const Column* c : ExportedColumns(spec, options)) {
      table.columns.push_back({c->name, KindName(c->kind)});
    }
    JO_ASSIGN_OR_RETURN(table.content, RenderTable(db, spec, run_id, options));
    out.push_back(std::move(table));
  }
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<std::string>> WriteExport(const std::vector<ExportedTable>& tables,
                                             const std::string& dir, ExportFormat format) {
  JO_RETURN_IF_ERROR(MakeDirs(dir));
  std::vector<std::string> paths;
  for (const ExportedTable& t : tables) {
    const std::string path = fmt::format("{}/{}.{}", dir, t.name, ExportExtension(format));
    JO_RETURN_IF_ERROR(WriteFileAtomic(path, t.content));
    paths.push_back(path);
  }
  return paths;
}

}  // namespace judgeopt::store
