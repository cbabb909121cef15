#pragma once
// The subcommand table: each subcommand is a Command with its own options, listed once in cli.cc.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace judgeopt::apps {

/// Options every subcommand accepts.
struct GlobalOptions {
  std::string data_dir;        // --data-dir: where datasets live (else JUDGEOPT_DATA, ../shared/data)
  bool quiet = false;           // --quiet: no progress display
};

/// One subcommand. Setup() declares its options on `app`; Run() executes after parsing and
/// returns the exit code. Errors go to stderr. Instances live for one CLI invocation.
class Command {
 public:
  virtual ~Command() = default;
  virtual void Setup(CLI::App& app) = 0;
  virtual int Run(const GlobalOptions& global) = 0;
};

struct CommandEntry {
  const char* name;
  std::string help;
  std::unique_ptr<Command> (*make)();
};

/// Prints "judgeopt <cmd>: error: <message>" to stderr and returns exit code 1 (2 for usage).
int Fail(const std::string& command, const std::string& message, int code = 1);

}  // namespace judgeopt::apps
