#include "judgeopt/store/workspace.h"

#include <fmt/format.h>

#include <system_error>

#include "judgeopt/base/files.h"

namespace judgeopt::store {

Status Workspace::EnsureStateDir() const {
  std::error_code ec;
  const std::filesystem::path dir = StateDir();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return IoError(fmt::format("workspace {}: cannot create folder {}: {}", root_.string(),
                               dir.string(), ec.message()));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return IoError(
        fmt::format("workspace {}: {} exists and is not a folder", root_.string(), dir.string()));
  }
  if (Status writable = CheckWritableDir(dir.string()); !writable.ok()) {
    return IoError(fmt::format(
        "workspace {} is read-only: {}; judgeopt keeps its response cache and run store there, "
        "so it stops before any model call. Make the folder writable or pass --workspace with a "
        "writable folder",
        root_.string(), writable.error().message));
  }
  return Status::Ok();
}

}  // namespace judgeopt::store
