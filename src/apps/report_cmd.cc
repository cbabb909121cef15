// judgeopt report RUN_OR_GROUP_OR_GRID... | --all --out DIR: Table 1, trajectories, Table 2,
// diagnostics and cost of recorded runs as Markdown, CSV, SVG and one self-contained
// report.html, from the run store alone (no model calls).

#include <cstdio>
#include <filesystem>

#include "apps/command.h"
#include "apps/commands.h"
#include "apps/common_flags.h"
#include "judgeopt/report/make_report.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

class ReportCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("RUN_OR_GROUP_OR_GRID", selection_.args,
                   "Run ids, group ids (the single-task runs of one configuration) or grid names");
    app.add_flag("--all", selection_.all, "Every run in the workspace");
    app.add_option("--out", out_dir_, "Output directory (default: report)");
    app.add_option("--workspace", workspace_,
                   "Directory holding .judgeopt/runs.db (default: the current directory)");
  }

  int Run(const GlobalOptions&) override {
    if (selection_.args.empty() && !selection_.all) {
      return Fail("report",
                  "name run ids, group ids or grid names, or pass --all (see `judgeopt runs list`)",
                  2);
    }
    store::Workspace workspace(workspace_);
    auto reader = store::RunReader::OpenInWorkspace(workspace);
    if (!reader.ok()) return Fail("report", reader.error().message);
    auto made = report::MakeReport(*reader, selection_, out_dir_);
    if (!made.ok()) return Fail("report", made.error().message);
    std::printf("report of %zu run(s) in %zu configuration(s): %zu files in %s\n", made->runs,
                made->configurations, made->files.size(), out_dir_.c_str());
    std::printf("open %s\n", (std::filesystem::path(out_dir_) / "report.html").string().c_str());
    if (made->simulated) std::printf("%s\n", kSimulatedNote);
    return 0;
  }

 private:
  report::RunSelection selection_;
  std::string out_dir_ = "report";
  std::string workspace_;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() { return std::make_unique<ReportCommand>(); }

}  // namespace judgeopt::apps
