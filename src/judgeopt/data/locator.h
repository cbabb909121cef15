#pragma once
// Finding dataset files: the --data-dir flag, then the JUDGEOPT_DATA environment variable, then
// ../shared/data next to the repository root (found by walking up from the current directory and
// from the executable's directory).

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::data {

/// An ordered list of data roots to search. Built from explicit values so tests can inject them;
/// FromProcess() reads the environment and paths of the running process once. Value type;
/// immutable after construction; thread-safe.
class DataLocator {
 public:
  /// One place to look, in search order. `problem` says why it cannot be used (empty when usable).
  struct Candidate {
    std::string path;
    std::string origin;  // "--data-dir", "JUDGEOPT_DATA", "../shared/data next to <root>"
    std::string problem;
  };

  /// `data_dir` (the flag) and `env_value` (JUDGEOPT_DATA) are ignored when empty. Each of
  /// `search_starts` is walked upwards for a directory whose parent holds shared/data.
  DataLocator(std::string data_dir, std::string env_value, std::vector<std::string> search_starts);

  /// The flag's value, getenv("JUDGEOPT_DATA"), and as search starts the current directory and
  /// the directory of /proc/self/exe.
  static DataLocator FromProcess(const std::string& data_dir_flag);

  /// Every root in search order, with the unusable ones marked.
  const std::vector<Candidate>& candidates() const { return candidates_; }

  /// The first `<root>/<directory>` that holds `probe_file` (a root that itself holds
  /// `probe_file` is taken as the dataset folder too). NotFound lists every place it looked.
  Result<std::string> Find(std::string_view directory, std::string_view probe_file) const;

 private:
  std::vector<Candidate> candidates_;
};

}  // namespace judgeopt::data
