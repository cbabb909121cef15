#include "judgeopt/store/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace judgeopt::store {
namespace {

std::string Abbreviate(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  std::string out(sql.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (sql.size() > kMax) out += "...";
  return out;
}

// What a failure with result code `rc` means for the user, after SQLite's own words: a damaged
// file, a full disk or a file that cannot be written ("" for the other codes).
std::string Meaning(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return fmt::format("; {} (truncated, overwritten or not an SQLite database)", kDamagedFile);
    case SQLITE_FULL:
      return "; the disk (or the file system holding the file) is full";
    case SQLITE_READONLY:
      return "; the file or its folder is read-only";
    default:
      return "";
  }
}

}  // namespace

// ---- Statement ----

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : stmt_(other.stmt_), sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    sql_ = std::move(other.sql_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Error Statement::Fail(std::string_view what, int rc) const {
  sqlite3* db = stmt_ != nullptr ? sqlite3_db_handle(stmt_) : nullptr;
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return IoError(fmt::format("sqlite {}: {} failed in '{}': {} (code {}){}",
                             file != nullptr ? file : "?", what, Abbreviate(sql_), detail, rc,
                             Meaning(rc)));
}

Status Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) return Fail(fmt::format("bind #{}", index), rc);
  return Status::Ok();
}

Status Statement::Bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) return Fail(fmt::format("bind #{}", index), rc);
  return Status::Ok();
}

Status Statement::Bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) return Fail(fmt::format("bind #{}", index), rc);
  return Status::Ok();
}

Status Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) return Fail(fmt::format("bind #{}", index), rc);
  return Status::Ok();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail("step", rc);
}

Status Statement::Run() {
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

std::string Statement::ColumnText(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  int n = sqlite3_column_bytes(stmt_, col);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
}

// ---- Db ----

Result<Db> Db::Open(const std::string& path, const OpenOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;  // one thread at a time per connection (see class comment)
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw, path);  // closes the handle on every path out, even when open failed
  if (rc != SQLITE_OK) {
    std::string detail = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return IoError(fmt::format("sqlite {}: cannot open: {}{}", path, detail, Meaning(rc)));
  }
  // SQLite quietly opens a file it may not write read-only; a writer would then fail only at its
  // first write, after the calls it meant to store were paid for.
  if (!options.read_only && sqlite3_db_readonly(raw, "main") == 1) {
    return IoError(fmt::format("sqlite {}: cannot open for writing: the file or its folder is "
                               "read-only",
                               path));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (options.max_page_count) {
    JO_RETURN_IF_ERROR(db.Exec(fmt::format("PRAGMA max_page_count = {}", *options.max_page_count)));
  }
  if (options.wal && !options.read_only) {
    JO_ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode=WAL"));
    if (mode != "wal") {
      return IoError(
          fmt::format("sqlite {}: cannot switch to WAL (journal mode is '{}')", path, mode));
    }
    // In WAL mode NORMAL is durable across application crashes; only an OS crash can lose the
    // last transactions, never corrupt the file.
    JO_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
  }
  return db;
}

Db::~Db() { Close(); }

void Db::Close() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Db::Db(Db&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) { other.db_ = nullptr; }

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Error Db::Fail(std::string_view what, int rc) const {
  std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return IoError(
      fmt::format("sqlite {}: {}: {} (code {}){}", path_, what, detail, rc, Meaning(rc)));
}

bool IsDamagedFileError(const Error& error) {
  return error.message.find(kDamagedFile) != std::string::npos;
}

Status Db::CheckIntact() {
  JO_ASSIGN_OR_RETURN(Statement check, Prepare("PRAGMA quick_check(1)"));
  JO_ASSIGN_OR_RETURN(bool row, check.Step());
  const std::string verdict = row ? check.ColumnText(0) : "no answer";
  if (verdict == "ok") return Status::Ok();
  return IoError(fmt::format("sqlite {}: {}: the integrity check says: {}", path_, kDamagedFile,
                             Abbreviate(verdict)));
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(fmt::format("exec '{}'", Abbreviate(sql)), rc);
  return Status::Ok();
}

Result<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return Fail(fmt::format("prepare '{}'", Abbreviate(sql)), rc);
  }
  return Statement(stmt, std::string(sql));
}

Result<std::optional<int64_t>> Db::QueryInt64(std::string_view sql) {
  JO_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  JO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt.ColumnInt64(0));
}

Result<std::string> Db::QueryText(std::string_view sql) {
  JO_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  JO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::string();
  return stmt.ColumnText(0);
}

Result<int> Db::UserVersion() {
  JO_ASSIGN_OR_RETURN(std::optional<int64_t> v, QueryInt64("PRAGMA user_version"));
  return static_cast<int>(v.value_or(0));
}

Result<std::string> Db::JournalMode() { return QueryText("PRAGMA journal_mode"); }

Status Db::Migrate(const std::vector<Migration>& migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return InternalError(fmt::format("sqlite {}: migration #{} has version {} (expected {})",
                                       path_, i, migrations[i].version, i + 1));
    }
  }
  const int latest = static_cast<int>(migrations.size());
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*this, Transaction::Mode::kImmediate));
  JO_ASSIGN_OR_RETURN(int current, UserVersion());
  if (current > latest) {
    return IoError(fmt::format(
        "sqlite {}: schema version {} is newer than this judgeopt knows ({}); use a newer "
        "judgeopt or another workspace",
        path_, current, latest));
  }
  if (current == latest) return tx.Rollback();
  for (int v = current + 1; v <= latest; ++v) {
    Status st = Exec(migrations[v - 1].sql);
    if (!st.ok()) return st.error().WithContext(fmt::format("migration to version {}", v));
  }
  JO_RETURN_IF_ERROR(Exec(fmt::format("PRAGMA user_version = {}", latest)));
  return tx.Commit();
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

// ---- Transaction ----

Result<Transaction> Transaction::Begin(Db& db, Mode mode) {
  JO_RETURN_IF_ERROR(db.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)Rollback();
}

Status Transaction::Commit() {
  if (db_ == nullptr) return InternalError("transaction already finished");
  Db* db = db_;
  Status st = db->Exec("COMMIT");
  if (!st.ok()) return st;  // still open: the destructor rolls back
  db_ = nullptr;
  return Status::Ok();
}

Status Transaction::Rollback() {
  if (db_ == nullptr) return Status::Ok();
  Db* db = db_;
  db_ = nullptr;
  return db->Exec("ROLLBACK");
}

}  // namespace judgeopt::store
