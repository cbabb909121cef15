#pragma once

#include <memory>

#include "apps/command.h"

namespace judgeopt::apps {

std::unique_ptr<Command> MakeOptimizeCommand();
std::unique_ptr<Command> MakeEstimateCommand();
std::unique_ptr<Command> MakeResumeCommand();
std::unique_ptr<Command> MakeGridCommand();
std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakePromptCommand();
std::unique_ptr<Command> MakeScoreCommand();
std::unique_ptr<Command> MakeDatasetsCommand();
std::unique_ptr<Command> MakeCacheCommand();
std::unique_ptr<Command> MakeSimServerCommand();
std::unique_ptr<Command> MakeDiagnoseCommand();
std::unique_ptr<Command> MakeCherrypickCommand();
std::unique_ptr<Command> MakeReportCommand();
std::unique_ptr<Command> MakeCheckCommand();

}  // namespace judgeopt::apps
