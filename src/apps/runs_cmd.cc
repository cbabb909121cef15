// judgeopt runs list|show|export: the runs recorded in `<workspace>/.judgeopt/runs.db`.

#include "apps/runs_cmd.h"

#include <cstdio>
#include <filesystem>

#include "apps/common_flags.h"
#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_views.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

class RunsCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.require_subcommand(1, 1);
    list_ = app.add_subcommand("list", "Every recorded run: dataset, mode, steps, status, score");
    show_ = app.add_subcommand(
        "show",
        "One run per step: gate decision and scores, test metrics, the methods' decisions, calls "
        "per role");
    export_ = app.add_subcommand(
        "export", "Write one file per table of a run (CSV or JSONL, byte for byte reproducible)");
    for (CLI::App* sub : {list_, show_, export_}) {
      sub->add_option("--workspace", workspace_,
                      "Directory holding .judgeopt/runs.db (default: the current directory)");
    }
    for (CLI::App* sub : {show_, export_}) {
      sub->add_option("RUN_ID", run_id_, "Run id (see `judgeopt runs list`)")->required();
    }
    show_->add_flag("--json", json_, "Print the summary as JSON (decision payloads included)");
    show_->add_flag("--decisions", decision_payloads_,
                    "Also print each decision's payload (JSON) under the decisions table");
    export_->add_option("--format", format_, EnumChoiceText<store::ExportFormat>())
        ->required()
        ->check(CLI::IsMember(EnumChoices<store::ExportFormat>()));
    export_->add_option("--out", out_dir_, "Output directory (default: exports/RUN_ID)");
    export_->add_flag("--comparable", comparable_,
                      "Leave out call latency, attempts, cache hits and cost, the stored config, "
                      "and the ids and keys that hash the backend and model (what differs between "
                      "a resumed run and an uninterrupted one, or between two backends giving "
                      "the same replies)");
  }

  int Run(const GlobalOptions&) override {
    const std::string name = list_->parsed() ? "runs list" : show_->parsed() ? "runs show"
                                                                             : "runs export";
    store::Workspace workspace(workspace_);
    if (!std::filesystem::exists(workspace.RunsPath())) {
      if (list_->parsed()) {
        std::printf("no runs recorded in %s (no %s)\n", workspace.root().string().c_str(),
                    workspace.RunsPath().string().c_str());
        return 0;
      }
      return Fail(name, store::UnknownRunError(run_id_, workspace.RunsPath().string()).message);
    }
    auto reader = store::RunReader::OpenInWorkspace(workspace);
    if (!reader.ok()) return Fail(name, reader.error().message);
    if (list_->parsed()) return List(*reader);
    if (show_->parsed()) return Show(*reader);
    return Export(*reader);
  }

 private:
  int List(store::RunReader& reader) {
    auto runs = reader.ListRuns();
    if (!runs.ok()) return Fail("runs list", runs.error().message);
    if (runs->empty()) {
      std::printf("no runs recorded in %s\n", reader.path().c_str());
      return 0;
    }
    std::printf("%s\n", store::RenderRunList(*runs).c_str());
    for (const auto& r : *runs) {
      if (r.info.simulated) {
        std::printf("%s\n", kSimulatedNote);
        break;
      }
    }
    return 0;
  }

  int Show(store::RunReader& reader) {
    auto detail = reader.LoadRun(run_id_);
    if (!detail.ok()) return Fail("runs show", detail.error().message);
    if (json_) {
      std::printf("%s\n", store::RunDetailToJson(*detail).dump(2).c_str());
      return 0;
    }
    std::printf("%s", store::RenderRunDetail(*detail, decision_payloads_).c_str());
    if (detail->run.info.simulated) std::printf("\n%s\n", kSimulatedNote);
    return 0;
  }

  int Export(store::RunReader& reader) {
    auto format = store::ParseExportFormat(format_);
    if (!format.ok()) return Fail("runs export", format.error().message, 2);
    auto tables = store::ExportRun(reader, run_id_, {*format, comparable_});
    if (!tables.ok()) return Fail("runs export", tables.error().message);
    const std::string dir = out_dir_.empty() ? "exports/" + run_id_ : out_dir_;
    auto paths = store::WriteExport(*tables, dir, *format);
    if (!paths.ok()) return Fail("runs export", paths.error().message);
    for (const auto& p : *paths) std::printf("%s\n", p.c_str());
    return 0;
  }

  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* export_ = nullptr;
  std::string workspace_;
  std::string run_id_;
  bool json_ = false;
  bool decision_payloads_ = false;
  std::string format_;
  std::string out_dir_;
  bool comparable_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeRunsCommand() { return std::make_unique<RunsCommand>(); }

}  // namespace judgeopt::apps
