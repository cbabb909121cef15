#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Where a workspace keeps its SQLite files. The workspace is the current directory unless the
// user passes `--workspace DIR`; judgeopt's own files live in one hidden folder inside it:
//
//   <workspace>/.judgeopt/cache.db   response cache (see docs/cache.md)
//   <workspace>/.judgeopt/runs.db    run store (runs, steps, predictions, LLM calls)

#include <filesystem>
#include <string>

#include "judgeopt/base/result.h"

namespace judgeopt::store {

/// The paths of one workspace. Value type; creating it touches nothing on disk (call
/// EnsureStateDir() before opening a database for writing).
class Workspace {
 public:
  /// `root` "" means the current directory.
  explicit Workspace(std::filesystem::path root = {})
      : root_(root.empty() ? std::filesystem::path(".") : std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path StateDir() const { return root_ / ".judgeopt"; }
  std::filesystem::path CachePath() const { return StateDir() / "cache.db"; }
  std::filesystem::path RunsPath() const { return StateDir() / "runs.db"; }

  /// Creates `<root>/.judgeopt` (and `root` itself) when missing and proves it writable (a
  /// probe file, base/files.h CheckWritableDir), so that a read-only workspace is refused before
  /// any paid call; an error names the folder.
  Status EnsureStateDir() const;

 private:
  std::filesystem::path root_;
};

}  // namespace judgeopt::store
