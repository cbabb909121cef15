#pragma once
// Running the real judgeopt executable from tests: exit code, stdout and stderr. A sanitizer
// report in the child's stderr fails the calling test, whatever exit code the test expects
// (`make test TSAN=1` or SANITIZE=1 build the executable with the same sanitizer).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::testing {

/// Whether `err`, a child's stderr, holds a report of ThreadSanitizer, AddressSanitizer,
/// LeakSanitizer or UndefinedBehaviorSanitizer.
inline bool HasSanitizerReport(std::string_view err) {
  for (std::string_view tool : {"ThreadSanitizer: ", "AddressSanitizer: ", "LeakSanitizer: ",
                                "UndefinedBehaviorSanitizer: "}) {
    if (err.find(tool) != std::string_view::npos) return true;
  }
  return false;
}

/// Fails the current test with `err` when it holds a sanitizer report.
inline void ExpectNoSanitizerReport(std::string_view err, std::string_view command) {
  if (HasSanitizerReport(err)) {
    ADD_FAILURE() << "judgeopt " << command << " reported a sanitizer finding:\n" << err;
  }
}

struct CliRun {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

/// Runs `judgeopt <args>` through the shell, with `env` ("A=1 B=2") put before the command.
inline CliRun RunJudgeopt(const std::string& args, const std::string& env = "") {
  const std::string err_path = std::filesystem::temp_directory_path() /
                               ("jo_cli_err_" + std::to_string(getpid()));
  const std::string cmd = env + " " + JUDGEOPT_BINARY + " " + args + " 2>" + err_path;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof(buf), p)) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_path);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(err_path);
  ExpectNoSanitizerReport(r.err, args);
  return r;
}

/// A `judgeopt optimize` run in a fresh folder: `root` holds the config and the workspace
/// (root/ws), `run_id` is the id the command printed, `error` its output when it failed.
struct OptimizedRun {
  std::filesystem::path root;
  std::string run_id;
  std::string error;
  std::string Workspace() const { return (root / "ws").string(); }
};

/// Writes `config_toml` to <temp>/<name>_<pid>/exp.toml and runs `judgeopt optimize --quiet` on
/// it with `data_dir`.
inline OptimizedRun OptimizeInTempDir(const std::string& name, const std::string& config_toml,
                                      const std::string& data_dir) {
  OptimizedRun run;
  run.root = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(run.root);
  std::filesystem::create_directories(run.root);
  std::ofstream(run.root / "exp.toml") << config_toml;
  auto r = RunJudgeopt("optimize --config " + (run.root / "exp.toml").string() +
                       " --workspace " + run.Workspace() + " --data-dir " + data_dir + " --quiet");
  run.error = r.code == 0 ? "" : r.err + r.out;
  const auto at = r.out.find("run ");
  if (at != std::string::npos) {
    run.run_id = r.out.substr(at + 4, r.out.find(' ', at + 4) - at - 4);
  }
  return run;
}

/// A judgeopt child started by SpawnJudgeopt: its pid (to signal it), the file its stderr goes
/// to, and its arguments.
struct SpawnedJudgeopt {
  pid_t pid = -1;
  std::filesystem::path err;
  bool remove_err = false;  // a temporary file of SpawnJudgeopt's own
  std::string args;
};

/// Where a spawned child without an `err` file of its test's writes its stderr.
inline std::filesystem::path SpawnedErrPath(pid_t child) {
  return std::filesystem::temp_directory_path() / ("jo_cli_spawn_err_" + std::to_string(child));
}

/// Starts `judgeopt <args>` without a shell (stdout to `out`) and returns at once, so that a test
/// can signal the child; WaitJudgeopt collects it. Its stderr goes to `err`, or without one to a
/// temporary file that WaitJudgeopt reads for sanitizer reports and removes.
inline SpawnedJudgeopt SpawnJudgeopt(const std::vector<std::string>& args,
                                     const std::filesystem::path& out,
                                     const std::filesystem::path& err = {}) {
  SpawnedJudgeopt child;
  child.pid = fork();
  if (child.pid != 0) {
    child.remove_err = err.empty();
    child.err = err.empty() ? SpawnedErrPath(child.pid) : err;
    for (const auto& a : args) child.args += (child.args.empty() ? "" : " ") + a;
    return child;
  }
  const std::filesystem::path err_path = err.empty() ? SpawnedErrPath(getpid()) : err;
  const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fd, 1);
  dup2(err_fd, 2);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(JUDGEOPT_BINARY));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(JUDGEOPT_BINARY, argv.data());
  _exit(127);
}

/// Waits for a SpawnJudgeopt child: its exit code, or minus the signal that ended it. A sanitizer
/// report in its stderr fails the test.
inline int WaitJudgeopt(const SpawnedJudgeopt& child) {
  int status = 0;
  waitpid(child.pid, &status, 0);
  std::string err;
  {
    std::ifstream in(child.err);
    err.assign(std::istreambuf_iterator<char>(in), {});
  }
  ExpectNoSanitizerReport(err, child.args);
  if (child.remove_err) std::filesystem::remove(child.err);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace judgeopt::testing
