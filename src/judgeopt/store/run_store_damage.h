#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// What to do about a damaged database file (truncated, overwritten, not SQLite): for the run
// store, which runs can still be exported and how; for the response cache, the command that
// replaces it. Stateless functions; thread-safe.

#include <string>

#include "judgeopt/base/result.h"

namespace judgeopt::store {

/// The advice for the damaged runs database at `path`: each run that still exports whole (read
/// through RunReader and ExportRun, as `judgeopt runs export` does), the command that exports
/// it, and moving the file aside. Never fails: what cannot be read is said so.
std::string DamagedRunsAdvice(const std::string& path);

/// `error` with DamagedRunsAdvice(path) appended when it says the file is damaged
/// (IsDamagedFileError); otherwise `error` unchanged.
Error WithRunsDamageAdvice(Error error, const std::string& path);

/// `error` with the cache advice appended when it says the file at `path` (a workspace's
/// cache.db) is damaged: `judgeopt cache clear --workspace W`, or --no-cache.
Error WithCacheDamageAdvice(Error error, const std::string& path);

/// The workspace folder of a `<workspace>/.judgeopt/<file>` path ("." when it has none).
std::string WorkspaceOfStateFile(const std::string& path);

}  // namespace judgeopt::store
