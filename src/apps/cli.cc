#include "apps/cli.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <string_view>
#include <vector>

#include "apps/command.h"
#include "apps/commands.h"
#include "judgeopt/base/interrupt.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/base/version.h"
#include "judgeopt/optim/config/mode.h"
#include "apps/runs_cmd.h"

namespace judgeopt::apps {
namespace {

// The subcommands, in the order `judgeopt --help` lists them. `optimize` names every mode its
// --mode accepts (optim::ModeNames).
std::vector<CommandEntry> Commands() {
  return {
    {"optimize",
     "Optimize a judge prompt (modes " + Join(optim::ModeNames(), "/") +
         ", by TextGrad or OPRO); rerun to continue",
     &MakeOptimizeCommand},
    {"estimate", "Projected calls, tokens and dollars of `optimize`", &MakeEstimateCommand},
    {"check",
     "Preflight every role against its endpoint (at most 3 small calls per role): refusals with "
     "the config lines that fix them, usage, seeds, prices, latency, projected cost",
     &MakeCheckCommand},
    {"resume", "Continue a stored optimization run with the config it was started with",
     &MakeResumeCommand},
    {"grid", "Run a grid of optimizations in parallel; rerun to continue", &MakeGridCommand},
    {"runs", "List, show and export recorded optimization runs", &MakeRunsCommand},
    {"diagnose",
     "Score gradient specificity or feedback adherence of recorded runs (1-10 per step and "
     "criterion)",
     &MakeDiagnoseCommand},
    {"cherrypick",
     "Stitch single-task runs' best instructions into one prompt and measure the interference "
     "(Table 2)",
     &MakeCherrypickCommand},
    {"report",
     "Tables (Markdown, CSV), SVG charts and one self-contained report.html from recorded runs",
     &MakeReportCommand},
    {"eval", "Score a judge prompt on a labelled split and report per-criterion metrics",
     &MakeEvalCommand},
    {"prompt", "The judge's messages for one example, or every prompt a stored step sent",
     &MakePromptCommand},
    {"score", "Compute the metrics for a predictions file made elsewhere (CSV or JSONL)",
     &MakeScoreCommand},
    {"datasets", "List built-in datasets, where each was found, sizes and criteria",
     &MakeDatasetsCommand},
    {"cache", "Response cache of a workspace: `cache stats` or `cache clear`", &MakeCacheCommand},
    {"sim-server",
     "Serve the simulator as an OpenAI-compatible endpoint on 127.0.0.1 (with optional faults)",
     &MakeSimServerCommand},
  };
}

// Library warnings (a reply cut off at max_tokens, a cache write that failed) go to stderr as
// "judgeopt: warning: ...", never to stdout, where tables and `--json -` output are written.
void LogToStderr() {
  auto logger = spdlog::stderr_logger_mt("judgeopt");
  logger->set_pattern("judgeopt: %l: %v");
  spdlog::set_default_logger(std::move(logger));
}

// The commands that call models stop cleanly on SIGINT or SIGTERM: the first signal asks them to
// stop (no new call, transfers in flight aborted, the current step left unrecorded, the resume
// command printed); a second one ends the process at once.
constexpr std::string_view kStoppable[] = {"optimize", "resume", "grid", "eval",
                                           "diagnose", "cherrypick", "check"};

extern "C" void OnStopSignal(int signal_number) {
  if (InterruptSignal() != 0) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  RequestInterrupt(signal_number);
  constexpr char kMessage[] =
      "\njudgeopt: stopping: no new model calls; the current step is not recorded (send the "
      "signal again to quit at once)\n";
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
}

void InstallStopHandlers() {
  struct sigaction action = {};
  action.sa_handler = &OnStopSignal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM}) sigaction(signal_number, &action, nullptr);
}

// Runs `cmd`; after a stop signal, exits 128 + the signal's number (130 for SIGINT, 143 for
// SIGTERM), whatever the command returned.
int RunCommand(std::string_view name, Command& cmd, const GlobalOptions& global) {
  const bool stoppable =
      std::find(std::begin(kStoppable), std::end(kStoppable), name) != std::end(kStoppable);
  if (stoppable) InstallStopHandlers();
  const int rc = cmd.Run(global);
  if (const int signal_number = InterruptSignal(); stoppable && signal_number != 0) {
    std::fprintf(stderr, "judgeopt %s: stopped by %s\n", std::string(name).c_str(),
                 InterruptName(signal_number));
    return 128 + signal_number;
  }
  return rc;
}

}  // namespace

int Fail(const std::string& command, const std::string& message, int code) {
  std::fprintf(stderr, "judgeopt %s: error: %s\n", command.c_str(), message.c_str());
  return code;
}

int RunCli(int argc, char** argv) {
  LogToStderr();
  CLI::App app{"judgeopt: customize multi-criteria LLM judges with textual gradients"};
  app.set_version_flag("--version", VersionString());
  app.require_subcommand(1, 1);
  GlobalOptions global;
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> subs;
  for (const CommandEntry& entry : Commands()) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.help);
    sub->add_option("--data-dir", global.data_dir,
                    "Dataset directory (default: $JUDGEOPT_DATA, then ../shared/data)");
    sub->add_flag("-q,--quiet", global.quiet, "No progress display");
    auto cmd = entry.make();
    cmd->Setup(*sub);
    subs.emplace_back(sub, std::move(cmd));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [sub, cmd] : subs) {
    if (sub->parsed()) return RunCommand(sub->get_name(), *cmd, global);
  }
  return 2;
}

}  // namespace judgeopt::apps
