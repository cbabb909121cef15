#include "judgeopt/base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace judgeopt {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return IoError(path + ": cannot write (" + std::strerror(errno) + ")");
  const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size() &&
                  std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return IoError(path + ": write failed (" + why + ")");
  }
  return Status::Ok();
}

Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(dir + ": cannot create directory (" + ec.message() + ")");
  return Status::Ok();
}

Status CheckWritableDir(const std::string& dir) {
  JO_RETURN_IF_ERROR(MakeDirs(dir));
  std::string probe = dir + "/.judgeopt-write-probe.XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return IoError(dir + ": not writable (" + std::strerror(errno) + ")");
  const bool wrote = ::write(fd, "x", 1) == 1;
  const std::string why = wrote ? "" : std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  if (!wrote) return IoError(dir + ": not writable (" + why + ")");
  return Status::Ok();
}

}  // namespace judgeopt
