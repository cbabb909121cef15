#include "judgeopt/store/workspace.h"

#include <fmt/format.h>

#include <system_error>

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
  return Status::Ok();
}

}  // namespace judgeopt::store
