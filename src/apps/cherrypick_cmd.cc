// judgeopt cherrypick RUN|GROUP...: the instruction-interference experiment (Table 2,
// reference-protocol §10.5, docs/diagnostics.md) on recorded single-task runs. Evaluations are
// looked up in the run store first and the ones made are kept there, so a rerun makes no call;
// the result is stored in the `cherrypicks` tables for reports.

#include <cstdio>
#include <optional>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "apps/stored_runs.h"
#include "judgeopt/base/files.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/experiments/cherrypick.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/store/analysis_store.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

constexpr llm::Role kRoles[] = {llm::Role::kJudge};

/// The AnalysisStore seen through the experiment's port. Borrows the store.
class StoreEvaluations final : public experiments::EvaluationStore {
 public:
  explicit StoreEvaluations(store::AnalysisStore& store) : store_(store) {}
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(const std::string& fingerprint,
                                                                const std::string& split,
                                                                const std::string& key) override {
    return store_.FindEvaluation(fingerprint, split, key);
  }
  Status SaveEvaluation(const optim::EvaluationRecord& e) override {
    return store_.SaveEvaluation(e);
  }

 private:
  store::AnalysisStore& store_;
};

class CherrypickCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app_ = &app;
    app.add_option("runs", ids_,
                   "Single-task run ids, or the group id their `optimize --mode ST` shares")
        ->required();
    app.add_option("--metric", options_.metric,
                   "Pick by " + EnumChoiceText<experiments::PickMetric>() + " (default spearman)")
        ->check(CLI::IsMember(EnumChoices<experiments::PickMetric>()));
    app.add_flag("--oracle", options_.oracle,
                 "Pick on the test set, as the study did (biases the single-task row upward)");
    app.add_option("--validation-samples", options_.validation_samples,
                   "Validation examples the picks are judged on (the first N; default 100)")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--test-samples", options_.test_samples,
                   "Evaluate on the first N test examples only (default: all; a cheap preview "
                   "that cannot reuse the runs' full-test evaluations)")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--json", json_path_, "Also write the result as JSON (- = stdout)");
    AddJudgeModeOption(app, judge_mode_);  // default: the runs' own
    llm_.Add(app);
  }

  int Run(const GlobalOptions& global) override {
    const std::string name = "cherrypick";
    const store::Workspace ws(llm_.workspace);
    auto in = OpenAnalysis(ws, ids_, global, "judgeopt optimize --mode ST");
    if (!in.ok()) return Fail(name, in.error().message);
    std::vector<StoredRun>& stored = in->runs;

    // The judge is configured as the runs were, unless --config names another [llm] table.
    if (llm_.config_file.empty()) {
      llm_.config_file = (ws.StateDir() / "cherrypick-llm.json").string();
      Status st = WriteFileAtomic(llm_.config_file, stored.front().info.config_json);
      if (!st.ok()) return Fail(name, st.error().message);
    }
    if (app_->get_option("--seed")->count() == 0) llm_.seed = stored.front().config.seed;
    auto session = llm_.Open(kRoles, in->dataset);
    if (!session.ok()) return Fail(name, session.error().message);

    std::optional<judge::JudgeMode> judge_mode;
    if (!judge_mode_.empty()) {
      auto parsed = ParseEnum<judge::JudgeMode>(judge_mode_, "--judge-mode");
      if (!parsed.ok()) return Fail(name, parsed.error().message);
      judge_mode = *parsed;
    }
    std::vector<experiments::SingleTaskRun> runs;
    std::vector<std::string> simulated_roles;  // of the runs picked from, then of the judge calls
    for (StoredRun& r : stored) {
      AddRunSimulatedRoles(r.info, simulated_roles);
      r.config.llm = session->stack->config();
      if (judge_mode) r.config.method.judge_mode = *judge_mode;
      runs.push_back({r.info, r.config, std::move(r.steps)});
    }
    WorkPool pool(static_cast<std::size_t>(session->workers));
    StoreEvaluations evaluations(*in->analysis);
    experiments::CherrypickDeps deps{session->stack->For(llm::Role::kJudge), pool, evaluations,
                                     !simulated_roles.empty()};
    auto outcome = experiments::RunCherrypick(*in->dataset, runs, options_, deps);
    if (!outcome.ok()) {
      return Fail(name, outcome.error().message +
                            "\nEvaluations finished before the failure are kept; rerun the same "
                            "command to continue.");
    }
    simulated_roles = optim::MergeRoleNames(simulated_roles, session->SimulatedRoles());
    outcome->result.simulated = !simulated_roles.empty();
    Status st = in->analysis->SaveCherrypick(outcome->result);
    if (!st.ok()) return Fail(name, st.error().message);
    std::fprintf(stderr,
                 "judgeopt cherrypick: %d evaluations made, %d found stored; judge %s%s, judge "
                 "mode %s\n",
                 outcome->evaluations_made, outcome->evaluations_reused,
                 session->BackendLabel(llm::Role::kJudge).c_str(),
                 session->SimBackend(llm::Role::kJudge) ? " (simulated)" : "",
                 EnumName(runs.front().config.method.judge_mode).c_str());
    return Print(name, outcome->result, simulated_roles);
  }

 private:
  int Print(const std::string& name, const experiments::CherrypickResult& result,
            const std::vector<std::string>& simulated_roles) {
    if (json_path_ != "-") {
      std::printf("%s", experiments::RenderCherrypick(result).c_str());
      PrintSimulatedNote(simulated_roles);
    }
    if (json_path_.empty()) return 0;
    const std::string text = experiments::CherrypickToJson(result).dump(2) + "\n";
    if (json_path_ == "-") {
      std::printf("%s", text.c_str());
      return 0;
    }
    Status st = WriteFileAtomic(json_path_, text);
    return st.ok() ? 0 : Fail(name, st.error().message);
  }

  CLI::App* app_ = nullptr;
  std::vector<std::string> ids_;
  experiments::CherrypickOptions options_;
  std::string json_path_;
  std::string judge_mode_;  // "" = the runs' method.judge_mode
  LlmFlags llm_;
};

}  // namespace

std::unique_ptr<Command> MakeCherrypickCommand() { return std::make_unique<CherrypickCommand>(); }

}  // namespace judgeopt::apps
