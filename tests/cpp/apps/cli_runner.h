#pragma once
// Running the real judgeopt executable from tests: exit code, stdout and stderr.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace judgeopt::testing {

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
  return r;
}

}  // namespace judgeopt::testing
