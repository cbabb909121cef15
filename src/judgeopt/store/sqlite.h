#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// A thin RAII layer over the SQLite C API: connections, prepared statements with typed binds and
// columns, transactions, and schema migrations through `PRAGMA user_version`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace judgeopt::store {

/// A prepared statement. Owns its sqlite3_stmt (finalized on destruction); move-only. Bind
/// indexes are 1-based, column indexes 0-based (as in SQLite). Use from one thread at a time,
/// together with its connection.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, std::string sql) : stmt_(stmt), sql_(std::move(sql)) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Status Bind(int index, int64_t value);
  Status Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Status Bind(int index, double value);
  /// Binds text (copied by SQLite, so `value` may die after the call).
  Status Bind(int index, std::string_view value);
  Status Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Status BindNull(int index);

  /// Runs one step: true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  /// Steps until done, for statements that return no rows.
  Status Run();
  /// Resets to run again and clears the bindings.
  void Reset();

  int64_t ColumnInt64(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  bool ColumnIsNull(int col) const;
  int ColumnCount() const;

 private:
  Error Fail(std::string_view what, int rc) const;

  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

struct OpenOptions {
  /// How long a writer waits for another connection's lock before giving up (SQLITE_BUSY).
  int busy_timeout_ms = 10000;
  /// Journal mode WAL: readers never block the writer and vice versa (persisted in the file).
  bool wal = true;
  bool read_only = false;
  /// Create the file when missing (ignored when read_only).
  bool create = true;
  /// Tests only: caps the file at this many pages (`PRAGMA max_page_count`), so a write that
  /// would grow it fails as on a full disk (SQLITE_FULL). Unset: no cap.
  std::optional<int64_t> max_page_count = std::nullopt;
};

/// The phrase every error about a damaged file carries (SQLite's "file is not a database" or
/// "database disk image is malformed", or a failed integrity check).
inline constexpr std::string_view kDamagedFile = "the file is damaged";

/// True when `error` says that a database file is damaged (truncated, overwritten, not SQLite).
bool IsDamagedFileError(const Error& error);

/// One schema step: `sql` brings the database from `version - 1` to `version`.
struct Migration {
  int version = 0;
  std::string sql;
};

/// An open SQLite connection. Owns the sqlite3 handle (closed on destruction); move-only. A
/// connection is used from one thread at a time (callers that share one across threads guard it
/// with their own mutex). Several connections, in this process or others, may use one file at once.
class Db {
 public:
  static Result<Db> Open(const std::string& path, const OpenOptions& options = {});
  Db() = default;
  ~Db();
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  bool is_open() const { return db_ != nullptr; }
  const std::string& path() const { return path_; }

  /// Runs one or more SQL statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  /// Runs `sql` (one statement) and returns the first column of its first row, if any.
  Result<std::optional<int64_t>> QueryInt64(std::string_view sql);
  Result<std::string> QueryText(std::string_view sql);

  Result<int> UserVersion();
  /// SQLite's quick integrity check (`PRAGMA quick_check`, which reads every page): an error
  /// carrying kDamagedFile and the first problem found when the file is damaged.
  Status CheckIntact();
  Result<std::string> JournalMode();
  /// Applies, in one IMMEDIATE transaction, every migration whose version is above the file's
  /// `user_version`, then sets `user_version` to the last one. Migrations must be listed in
  /// increasing version order starting at 1. Running it again is a no-op. A file whose version is
  /// newer than the last migration is an error (written by a newer judgeopt).
  Status Migrate(const std::vector<Migration>& migrations);

  int64_t Changes() const;
  /// An error naming the database file and SQLite's message for `rc`.
  Error Fail(std::string_view what, int rc) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void Close();

  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A transaction on a Db: BEGIN on construction through Begin(), ROLLBACK on destruction unless
/// Commit() succeeded. Holds a non-owning pointer to the Db, which must outlive it. Move-only.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };
  /// kImmediate takes the write lock at once (waiting up to the busy timeout): use it for
  /// read-modify-write sequences so they never fail half-way with SQLITE_BUSY.
  static Result<Transaction> Begin(Db& db, Mode mode = Mode::kImmediate);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();
  Status Rollback();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;
};

}  // namespace judgeopt::store
