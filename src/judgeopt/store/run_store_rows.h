#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Internal to the run store (run_store*.cc, run_reader.cc, run_export.cc): binding rows and
// reading stored records back. Not a public API.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/store/sqlite.h"

namespace judgeopt::store::run_rows {

/// One value to bind: NULL, an integer, a real or text. Value type; text is not owned (the
/// referenced string must outlive the Bind call).
class Cell {
 public:
  Cell(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  Cell(int v) : kind_(kInt), i_(v) {}  // NOLINT
  Cell(int64_t v) : kind_(kInt), i_(v) {}  // NOLINT
  Cell(std::size_t v) : kind_(kInt), i_(static_cast<int64_t>(v)) {}  // NOLINT
  Cell(bool v) : kind_(kInt), i_(v ? 1 : 0) {}  // NOLINT
  Cell(double v) : kind_(kReal), d_(v) {}  // NOLINT
  Cell(std::string_view v) : kind_(kText), s_(v) {}  // NOLINT
  Cell(const std::string& v) : kind_(kText), s_(v) {}  // NOLINT
  Cell(const char* v) : kind_(kText), s_(v) {}  // NOLINT
  Cell(const std::optional<double>& v) : kind_(v ? kReal : kNull), d_(v.value_or(0)) {}  // NOLINT
  Cell(const std::optional<int>& v) : kind_(v ? kInt : kNull), i_(v.value_or(0)) {}  // NOLINT

  Status BindTo(Statement& stmt, int index) const;

 private:
  enum Kind { kNull, kInt, kReal, kText };
  Kind kind_ = kNull;
  int64_t i_ = 0;
  double d_ = 0;
  std::string_view s_;
};

/// Resets `stmt`, binds `cells` to parameters 1..n and runs it to completion.
Status RunWith(Statement& stmt, std::initializer_list<Cell> cells);
/// Resets `stmt` and binds `cells` (for queries read with Step()).
Status BindAll(Statement& stmt, std::initializer_list<Cell> cells);

std::optional<double> OptionalDouble(const Statement& stmt, int col);
std::optional<int> OptionalInt(const Statement& stmt, int col);

// JSON text of the list-valued columns (compact, numbers in shortest round-trip form).
std::string StringsToJson(const std::vector<std::string>& xs);
Result<std::vector<std::string>> StringsFromJson(const std::string& text, std::string_view what);
std::string PositionsToJson(const std::vector<std::size_t>& xs);
Result<std::vector<std::size_t>> PositionsFromJson(const std::string& text, std::string_view what);
std::string DoublesToJson(const std::vector<double>& xs);
Result<std::vector<double>> DoublesFromJson(const std::string& text, std::string_view what);
std::string ValuesToJson(const std::vector<std::optional<double>>& xs);
Result<std::vector<std::optional<double>>> ValuesFromJson(const std::string& text,
                                                          std::string_view what);

// Reading stored records (callers hold the connection exclusively).
/// The run's info and its status and message, or nullopt when unknown.
struct StoredRun {
  optim::RunInfo info;
  std::string status;
  std::string message;
};
Result<std::optional<StoredRun>> LoadRun(Db& db, const std::string& run_id);
/// Every run, in BeginRun order.
Result<std::vector<std::string>> RunIds(Db& db);
Result<std::optional<optim::EvaluationRecord>> LoadEvaluation(Db& db, const std::string& run_id,
                                                              int step, const std::string& split);
Result<std::optional<optim::StepRecord>> LoadStep(Db& db, const std::string& run_id, int step);
/// The steps-table columns of a step (no predictions, texts, evaluation or calls) into `out`;
/// false when the step is not stored.
Result<bool> LoadStepRow(Db& db, const std::string& run_id, int step, optim::StepRecord& out);
Result<std::vector<optim::MetricRow>> LoadMetrics(Db& db, const std::string& run_id, int step,
                                                  const std::string& split);
/// A step's decisions in the order recorded; none when the file predates table step_decisions
/// (schema version 2, read by a RunReader).
Result<std::vector<optim::DecisionRecord>> LoadDecisions(Db& db, const std::string& run_id,
                                                         int step);
/// True when the database has a table named `table`.
Result<bool> HasTable(Db& db, const std::string& table);
/// True when table `table` has a column named `column`.
Result<bool> HasColumn(Db& db, const std::string& table, const std::string& column);
/// `column` when table `table` has it, otherwise `fallback` (an SQL literal) AS `column`: lets a
/// reader select a column that an older, still readable schema version lacks.
Result<std::string> ColumnOr(Db& db, const std::string& table, const std::string& column,
                             std::string_view fallback);
/// The select list "total_tokens, cached_tokens, reasoning_tokens" of table calls, with the
/// fallbacks of a file older than schema version 5 (prompt + completion, 0, 0).
Result<std::string> UsageDetailColumns(Db& db);
/// The roles of RunInfo::simulated_roles as stored: comma-separated, "" for none.
std::string RolesToText(const std::vector<std::string>& roles);
std::vector<std::string> RolesFromText(const std::string& text);
/// The stored steps of a run, ascending.
Result<std::vector<int>> StepNumbers(Db& db, const std::string& run_id);

}  // namespace judgeopt::store::run_rows
