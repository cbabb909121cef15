#pragma once
// Small filesystem helpers shared by every writer: whole-file reads, atomic whole-file writes.

#include <string>
#include <string_view>

#include "judgeopt/base/result.h"

namespace judgeopt {

/// Reads a whole file; NotFound names the path.
Result<std::string> ReadFile(const std::string& path);

/// Writes `content` to `path` atomically: a temporary file in the same directory, flushed, then
/// renamed over `path`. A reader never sees a partial file; on failure nothing is left behind.
Status WriteFileAtomic(const std::string& path, std::string_view content);

/// Creates `dir` and its parents when missing.
Status MakeDirs(const std::string& dir);

/// Creates `dir` when missing, then proves it writable by creating (and removing) a small probe
/// file in it, which also catches a read-only mount and a full disk that permission bits do not
/// show (and works as root, which permission bits do not stop). An error names `dir` and why.
Status CheckWritableDir(const std::string& dir);

}  // namespace judgeopt
