// judgeopt resume RUN_ID: continue a stored run with the exact config it was started with (the
// resolved config kept in the run store), by running `optimize` on it.

#include <cstdio>

#include "apps/commands.h"
#include "judgeopt/base/files.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

class ResumeCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("run_id", run_id_, "The run to continue (see `judgeopt runs list`)")
        ->required();
    app.add_option("--workspace", workspace_, "Workspace holding the run (default: .)");
    app.add_option("--max-usd", max_usd_, "Hard budget in dollars for this invocation");
    app.add_option("--max-calls", max_calls_, "Hard budget in model calls for this invocation");
    app.add_flag("--no-cache", no_cache_, "Do not read or write the response cache");
    app.add_option("--out", out_dir_, "Write the final prompt (JSON) here");
  }

  int Run(const GlobalOptions& global) override {
    const store::Workspace ws(workspace_);
    auto reader = store::RunReader::OpenInWorkspace(ws);
    if (!reader.ok()) return Fail("resume", reader.error().message);
    auto detail = reader->LoadRun(run_id_);
    if (!detail.ok()) return Fail("resume", detail.error().message);
    const store::RunListing& listing = detail->run;
    // The stored config (JSON) is itself a valid optimize config file.
    const std::string path = (ws.StateDir() / ("resume-" + run_id_ + ".json")).string();
    Status st = WriteFileAtomic(path, listing.info.config_json);
    if (!st.ok()) return Fail("resume", st.error().message);
    std::vector<std::string> args = {"--config", path, "--workspace", ws.root().string()};
    if (max_usd_) args.insert(args.end(), {"--max-usd", std::to_string(*max_usd_)});
    if (max_calls_) args.insert(args.end(), {"--max-calls", std::to_string(*max_calls_)});
    if (no_cache_) args.push_back("--no-cache");
    if (!out_dir_.empty()) args.insert(args.end(), {"--out", out_dir_});
    std::fprintf(stderr, "judgeopt resume: %s (status %s, last stored step %d)\n",
                 run_id_.c_str(), listing.status.c_str(), listing.last_step);
    std::unique_ptr<Command> optimize = MakeOptimizeCommand();
    CLI::App app{"optimize"};
    optimize->Setup(app);
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    try {
      app.parse(reversed);
    } catch (const CLI::ParseError& e) {
      return Fail("resume", std::string("internal: ") + e.what());
    }
    return optimize->Run(global);
  }

 private:
  std::string run_id_;
  std::string workspace_;
  std::optional<double> max_usd_;
  std::optional<long long> max_calls_;
  bool no_cache_ = false;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> MakeResumeCommand() { return std::make_unique<ResumeCommand>(); }

}  // namespace judgeopt::apps
