#pragma once

namespace judgeopt::apps {

/// Parses the command line, runs one subcommand, returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace judgeopt::apps
