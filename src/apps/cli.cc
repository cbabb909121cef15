#include "apps/cli.h"

#include <CLI/CLI.hpp>

namespace judgeopt::apps {

int RunCli(int argc, char** argv) {
  CLI::App app{"judgeopt: optimize multi-criteria LLM judges"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace judgeopt::apps
