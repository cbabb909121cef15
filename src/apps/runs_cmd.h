#pragma once
// `judgeopt runs list|show|export`: the runs recorded in a workspace's run store.

#include <memory>

#include "apps/command.h"

namespace judgeopt::apps {

/// The `runs` command with its subcommands list, show and export (register it in cli.cc).
std::unique_ptr<Command> MakeRunsCommand();

}  // namespace judgeopt::apps
