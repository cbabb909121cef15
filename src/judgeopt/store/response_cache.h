#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The SQLite implementation of the llm::ResponseCache port: `<workspace>/.judgeopt/cache.db`.
// Table layout and concurrency rules are documented in docs/cache.md.

#include <memory>
#include <mutex>
#include <string>

#include "judgeopt/llm/cache.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

/// The cache file's table schema, applied through `PRAGMA user_version` (independent of
/// llm::kCacheKeySchemaVersion, which versions the keys).
const std::vector<Migration>& ResponseCacheMigrations();

/// Response cache in one SQLite file (WAL, busy timeout). Owns one connection, guarded by a mutex,
/// so it is thread-safe; several processes (several runs) may each open the same file at once.
/// Concurrent Puts of one key keep the first reply.
class SqliteResponseCache final : public llm::ResponseCache {
 public:
  /// Opens (creating when missing) and migrates the cache file at `path`. Safe when several
  /// processes or threads create the same new file at once: lock errors during creation, the WAL
  /// switch or the migration are retried for up to options.busy_timeout_ms.
  static Result<std::unique_ptr<SqliteResponseCache>> Open(const std::string& path,
                                                           const OpenOptions& options = {});
  /// Creates the workspace state folder when needed and opens its cache.db.
  static Result<std::unique_ptr<SqliteResponseCache>> OpenInWorkspace(const Workspace& workspace);

  Result<std::optional<llm::ChatResponse>> Get(const std::string& key) override;
  Status Put(const std::string& key, const llm::CachedRequestSummary& request,
             const llm::ChatResponse& response) override;
  /// Entries and entries per model from the file (all processes); bytes = database and WAL file
  /// sizes; hits, misses and puts = this object's own counts.
  Result<llm::CacheStats> Stats() override;
  /// Deletes every entry and compacts the file.
  Result<int64_t> Clear() override;

  const std::string& path() const { return db_.path(); }

 private:
  SqliteResponseCache(Db db, Statement get, Statement put)
      : db_(std::move(db)), get_(std::move(get)), put_(std::move(put)) {}
  static Result<std::unique_ptr<SqliteResponseCache>> OpenOnce(const std::string& path,
                                                               const OpenOptions& options);
  Result<std::map<std::string, int64_t>> CountPerModel();

  std::mutex mu_;
  Db db_;
  Statement get_;
  Statement put_;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
  int64_t puts_ = 0;
};

/// Deletes the cache file at `path` with its WAL and shared-memory files (`judgeopt cache clear`
/// on a damaged cache, which SQLite cannot empty). Missing files are fine; an error names the
/// file that stayed. No connection to it may be open.
Status RemoveCacheFiles(const std::string& path);

/// For `judgeopt cache stats`: the stats as a few lines of text (entries, size, per model).
std::string RenderCacheStats(const llm::CacheStats& stats, const std::string& path);

}  // namespace judgeopt::store
