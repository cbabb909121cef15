#include "judgeopt/data/locator.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace judgeopt::data {
namespace {

namespace fs = std::filesystem;

bool IsDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

fs::path Absolute(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? fs::path(p) : abs).lexically_normal();
}

DataLocator::Candidate Explicit(const std::string& value, const std::string& origin) {
  DataLocator::Candidate c{Absolute(value).string(), origin, ""};
  if (!IsDir(c.path)) c.problem = "no such directory";
  return c;
}

// Walks up from `start` to the first directory whose parent holds shared/data.
DataLocator::Candidate FromRepository(const std::string& start) {
  fs::path dir = Absolute(start);
  while (true) {
    fs::path parent = dir.parent_path();
    if (IsDir(parent / "shared" / "data")) {
      return {(parent / "shared" / "data").string(),
              fmt::format("../shared/data next to {}, found from {}", dir.string(), start), ""};
    }
    if (parent == dir || parent.empty()) break;
    dir = parent;
  }
  return {"", fmt::format("repository search from {}", start),
          "no directory above it has a sibling shared/data"};
}

std::string Describe(const DataLocator::Candidate& c) {
  std::string where = c.path.empty() ? c.origin : fmt::format("{} ({})", c.path, c.origin);
  return c.problem.empty() ? where : fmt::format("{}: {}", where, c.problem);
}

}  // namespace

DataLocator::DataLocator(std::string data_dir, std::string env_value,
                         std::vector<std::string> search_starts) {
  candidates_.push_back(data_dir.empty() ? Candidate{"", "--data-dir", "not given"}
                                         : Explicit(data_dir, "--data-dir"));
  candidates_.push_back(env_value.empty() ? Candidate{"", "JUDGEOPT_DATA", "not set"}
                                          : Explicit(env_value, "JUDGEOPT_DATA"));
  for (const auto& start : search_starts) {
    Candidate c = FromRepository(start);
    bool duplicate = false;
    for (const auto& seen : candidates_)
      duplicate = duplicate || (!c.path.empty() && seen.path == c.path);
    if (!duplicate) candidates_.push_back(std::move(c));
  }
}

DataLocator DataLocator::FromProcess(const std::string& data_dir_flag) {
  const char* env = std::getenv("JUDGEOPT_DATA");
  std::vector<std::string> starts;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) starts.push_back(cwd.string());
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path().string());
  return DataLocator(data_dir_flag, env ? env : "", std::move(starts));
}

Result<std::string> DataLocator::Find(std::string_view directory,
                                      std::string_view probe_file) const {
  std::string looked;
  for (const Candidate& c : candidates_) {
    if (!c.problem.empty()) {
      looked += "\n  - " + Describe(c);
      continue;
    }
    fs::path root(c.path);
    if (IsFile(root / directory / probe_file)) return (root / directory).string();
    if (IsFile(root / probe_file)) return root.string();
    looked += fmt::format("\n  - {} ({}): no {}/{}", c.path, c.origin, directory, probe_file);
  }
  return NotFound(fmt::format(
      "dataset folder '{}' not found; looked in:{}\nPass --data-dir or set JUDGEOPT_DATA to the "
      "folder that holds '{}/'.",
      directory, looked, directory));
}

}  // namespace judgeopt::data
