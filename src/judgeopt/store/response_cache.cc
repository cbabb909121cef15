#include "judgeopt/store/response_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "judgeopt/base/text_table.h"
#include "judgeopt/store/run_store_damage.h"

namespace judgeopt::store {
namespace {

constexpr char kGetSql[] =
    "SELECT content, finish_reason, response_model, prompt_tokens, completion_tokens, "
    "usage_estimated, latency_ms, cost_usd, simulated, total_tokens, cached_tokens, "
    "reasoning_tokens FROM responses WHERE key = ?1";

constexpr char kPutSql[] =
    "INSERT INTO responses (key, endpoint_kind, model, role, tag, prompt_bytes, content, "
    "finish_reason, response_model, prompt_tokens, completion_tokens, usage_estimated, "
    "latency_ms, cost_usd, created_unix, simulated, total_tokens, cached_tokens, "
    "reasoning_tokens) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19) "
    "ON CONFLICT(key) DO NOTHING";

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

Status BindPut(Statement& s, const std::string& key, const llm::CachedRequestSummary& request,
               const llm::ChatResponse& response) {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  JO_RETURN_IF_ERROR(s.Bind(1, key));
  JO_RETURN_IF_ERROR(s.Bind(2, request.endpoint_kind));
  JO_RETURN_IF_ERROR(s.Bind(3, request.model));
  JO_RETURN_IF_ERROR(s.Bind(4, request.role));
  JO_RETURN_IF_ERROR(s.Bind(5, request.tag));
  JO_RETURN_IF_ERROR(s.Bind(6, request.prompt_bytes));
  JO_RETURN_IF_ERROR(s.Bind(7, response.content));
  JO_RETURN_IF_ERROR(s.Bind(8, response.finish_reason));
  JO_RETURN_IF_ERROR(s.Bind(9, response.model));
  JO_RETURN_IF_ERROR(s.Bind(10, response.usage.prompt_tokens));
  JO_RETURN_IF_ERROR(s.Bind(11, response.usage.completion_tokens));
  JO_RETURN_IF_ERROR(s.Bind(12, response.usage.estimated ? 1 : 0));
  JO_RETURN_IF_ERROR(s.Bind(13, response.latency_ms));
  JO_RETURN_IF_ERROR(s.Bind(14, response.cost_usd));
  JO_RETURN_IF_ERROR(s.Bind(15, now));
  JO_RETURN_IF_ERROR(s.Bind(16, response.simulated ? 1 : 0));
  JO_RETURN_IF_ERROR(s.Bind(17, response.usage.total_tokens));
  JO_RETURN_IF_ERROR(s.Bind(18, response.usage.cached_tokens));
  return s.Bind(19, response.usage.reasoning_tokens);
}

}  // namespace

const std::vector<Migration>& ResponseCacheMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "CREATE TABLE responses ("
       "  key TEXT PRIMARY KEY NOT NULL,"
       "  endpoint_kind TEXT NOT NULL,"
       "  model TEXT NOT NULL,"
       "  role TEXT NOT NULL,"
       "  tag TEXT NOT NULL,"
       "  prompt_bytes INTEGER NOT NULL,"
       "  content TEXT NOT NULL,"
       "  finish_reason TEXT NOT NULL,"
       "  response_model TEXT NOT NULL,"
       "  prompt_tokens INTEGER NOT NULL,"
       "  completion_tokens INTEGER NOT NULL,"
       "  usage_estimated INTEGER NOT NULL,"
       "  latency_ms REAL NOT NULL,"
       "  cost_usd REAL NOT NULL,"
       "  created_unix INTEGER NOT NULL"
       ") WITHOUT ROWID;"
       "CREATE INDEX responses_by_model ON responses (model);"},
      // Whether the reply came from judgeopt's simulator, so a replayed reply keeps its label.
      // Entries written before this column by the in-process simulator are marked from their
      // endpoint kind; older replies of a sim-server cannot be told apart and stay unmarked.
      {2,
       "ALTER TABLE responses ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;"
       "UPDATE responses SET simulated = 1 WHERE endpoint_kind = 'sim';"},
      // The usage details of a reply (issue 16), so a replayed reply keeps them. Older entries
      // get prompt + completion as their total and no cached or reasoning tokens.
      {3,
       "ALTER TABLE responses ADD COLUMN total_tokens INTEGER NOT NULL DEFAULT 0;"
       "ALTER TABLE responses ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0;"
       "ALTER TABLE responses ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;"
       "UPDATE responses SET total_tokens = prompt_tokens + completion_tokens;"},
  };
  return kMigrations;
}

namespace {

// True for SQLite's "busy" and "locked" failures (primary codes 5 and 6 and their extended codes),
// which another connection's create / WAL switch / migration causes while a file is first made.
bool IsLockError(const Error& error) {
  const std::string& m = error.message;
  return m.find("database is locked") != std::string::npos ||
         m.find("database table is locked") != std::string::npos ||
         m.find("database schema is locked") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<SqliteResponseCache>> SqliteResponseCache::Open(const std::string& path,
                                                                       const OpenOptions& options) {
  // Several processes may create one cache file at the same moment. SQLite's busy handler does not
  // cover every step of that (the WAL switch and a lock upgrade can fail at once with
  // SQLITE_BUSY/LOCKED instead of waiting), so the whole open is retried on lock errors, with a
  // short growing pause, for up to about the busy timeout.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  for (int attempt = 1;; ++attempt) {
    Result<std::unique_ptr<SqliteResponseCache>> opened = OpenOnce(path, options);
    if (opened.ok()) return opened;
    if (!IsLockError(opened.error()) || std::chrono::steady_clock::now() >= deadline) {
      return WithCacheDamageAdvice(opened.error(), path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 50)));
  }
}

Result<std::unique_ptr<SqliteResponseCache>> SqliteResponseCache::OpenOnce(
    const std::string& path, const OpenOptions& options) {
  JO_ASSIGN_OR_RETURN(Db db, Db::Open(path, options));
  // The whole file is checked first, so a damaged cache is refused before any call is paid for.
  JO_RETURN_IF_ERROR(db.CheckIntact());
  JO_RETURN_IF_ERROR(db.Migrate(ResponseCacheMigrations()));
  JO_ASSIGN_OR_RETURN(Statement get, db.Prepare(kGetSql));
  JO_ASSIGN_OR_RETURN(Statement put, db.Prepare(kPutSql));
  return std::unique_ptr<SqliteResponseCache>(
      new SqliteResponseCache(std::move(db), std::move(get), std::move(put)));
}

Result<std::unique_ptr<SqliteResponseCache>> SqliteResponseCache::OpenInWorkspace(
    const Workspace& workspace) {
  JO_RETURN_IF_ERROR(workspace.EnsureStateDir());
  return Open(workspace.CachePath().string());
}

Result<std::optional<llm::ChatResponse>> SqliteResponseCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  get_.Reset();
  JO_RETURN_IF_ERROR(get_.Bind(1, key));
  Result<bool> row = get_.Step();
  if (!row.ok()) {
    get_.Reset();
    return WithCacheDamageAdvice(row.error(), db_.path());
  }
  if (!*row) {
    ++misses_;
    return std::optional<llm::ChatResponse>();
  }
  llm::ChatResponse r;
  r.content = get_.ColumnText(0);
  r.finish_reason = get_.ColumnText(1);
  r.model = get_.ColumnText(2);
  r.usage.prompt_tokens = get_.ColumnInt64(3);
  r.usage.completion_tokens = get_.ColumnInt64(4);
  r.usage.estimated = get_.ColumnInt64(5) != 0;
  r.latency_ms = get_.ColumnDouble(6);
  r.cost_usd = get_.ColumnDouble(7);
  r.simulated = get_.ColumnInt64(8) != 0;
  r.usage.total_tokens = get_.ColumnInt64(9);
  r.usage.cached_tokens = get_.ColumnInt64(10);
  r.usage.reasoning_tokens = get_.ColumnInt64(11);
  get_.Reset();  // ends the read transaction so it does not pin the WAL
  ++hits_;
  return std::optional<llm::ChatResponse>(std::move(r));
}

Status SqliteResponseCache::Put(const std::string& key, const llm::CachedRequestSummary& request,
                                const llm::ChatResponse& response) {
  std::lock_guard<std::mutex> lock(mu_);
  put_.Reset();
  Status st = BindPut(put_, key, request, response);
  if (st.ok()) st = put_.Run();
  if (st.ok() && db_.Changes() > 0) ++puts_;
  put_.Reset();
  if (!st.ok()) return WithCacheDamageAdvice(st.error(), db_.path());
  return st;
}

Status RemoveCacheFiles(const std::string& path) {
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) return IoError(fmt::format("{}: cannot remove ({})", file, ec.message()));
  }
  return Status::Ok();
}

Result<std::map<std::string, int64_t>> SqliteResponseCache::CountPerModel() {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db_.Prepare("SELECT model, COUNT(*) FROM responses GROUP BY model"));
  std::map<std::string, int64_t> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out[s.ColumnText(0)] = s.ColumnInt64(1);
  }
  return out;
}

Result<llm::CacheStats> SqliteResponseCache::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  llm::CacheStats stats;
  JO_ASSIGN_OR_RETURN(stats.entries_per_model, CountPerModel());
  for (const auto& [model, n] : stats.entries_per_model) stats.entries += n;
  stats.bytes = FileSize(db_.path()) + FileSize(db_.path() + "-wal");
  stats.hits = hits_;
  stats.misses = misses_;
  stats.puts = puts_;
  return stats;
}

Result<int64_t> SqliteResponseCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  JO_RETURN_IF_ERROR(db_.Exec("DELETE FROM responses"));
  const int64_t removed = db_.Changes();
  // Give the space back. Best effort: another process reading the file may keep VACUUM from
  // running, which leaves the (now empty) file at its old size but is otherwise harmless.
  (void)db_.Exec("VACUUM");
  (void)db_.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return removed;
}

std::string RenderCacheStats(const llm::CacheStats& stats, const std::string& path) {
  std::string out = fmt::format("response cache {}\n  entries: {}\n  size: {:.1f} MiB\n", path,
                                stats.entries, static_cast<double>(stats.bytes) / (1 << 20));
  if (stats.entries_per_model.empty()) return out;
  TextTable table({"model", "entries"});
  for (const auto& [model, n] : stats.entries_per_model) {
    table.AddRow({model.empty() ? "(none)" : model, std::to_string(n)});
  }
  return out + table.Render();
}

}  // namespace judgeopt::store
