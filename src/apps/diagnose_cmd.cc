// judgeopt diagnose specificity|adherence RUN...: scores every (run, step, criterion) of recorded
// runs with the diagnostic role (reference-protocol §10.3-10.4, docs/diagnostics.md), keeps the
// scores in the run store (what is already scored is not asked again) and prints the tables.

#include <cstdio>
#include <set>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "apps/stored_runs.h"
#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/files.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/experiments/diagnose.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/store/analysis_store.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

constexpr llm::Role kRoles[] = {llm::Role::kDiagnostic};

class DiagnoseCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("kind", kind_,
                   ChoiceText(experiments::DiagnosticKinds()) +
                       " (specificity: the gradient's focus; adherence: the edit follows it)")
        ->required()
        ->check(CLI::IsMember(experiments::DiagnosticKinds()));
    app.add_option("runs", ids_, "Run ids, group ids or grid names (see `judgeopt runs list`)")->required();
    app.add_option("--json", json_path_, "Also write the tables and scores as JSON (- = stdout)");
    llm_.Add(app);
  }

  int Run(const GlobalOptions& global) override {
    const std::string name = "diagnose " + kind_;
    auto in = OpenAnalysis(store::Workspace(llm_.workspace), ids_, global, "judgeopt optimize");
    if (!in.ok()) return Fail(name, in.error().message);
    store::AnalysisStore& analysis = *in->analysis;
    std::vector<std::string> run_ids;
    std::vector<experiments::DiagnosedRun> diagnosed;
    std::vector<std::string> simulated_roles;  // of the runs diagnosed, then of the scores
    for (StoredRun& r : in->runs) {
      run_ids.push_back(r.info.run_id);
      AddRunSimulatedRoles(r.info, simulated_roles);
      diagnosed.push_back({r.info, std::move(r.steps)});
    }
    auto stored = analysis.ListDiagnostics(run_ids, kind_);
    if (!stored.ok()) return Fail(name, stored.error().message);
    std::set<experiments::DiagnosticKey> done;
    for (const auto& row : *stored) done.insert({row.run_id, row.step, row.criterion});
    auto items = experiments::PlanDiagnostics(kind_, diagnosed, *in->dataset, done);
    if (!items.ok()) return Fail(name, items.error().message);

    int failed = 0;
    if (!items->empty()) {
      failed = Score(name, *items, in->dataset, analysis);
      if (failed < 0) return 1;
    }
    std::fprintf(stderr, "judgeopt %s: %zu scored before, %zu asked now%s\n", name.c_str(),
                 done.size(), items->size(),
                 failed > 0 ? (", " + std::to_string(failed) + " failed").c_str() : "");
    auto rows = analysis.ListDiagnostics(run_ids, kind_);
    if (!rows.ok()) return Fail(name, rows.error().message);
    if (int rc = Print(name, *rows, simulated_roles); rc != 0) return rc;
    if (failed > 0) {
      return Fail(name,
                  std::to_string(failed) +
                      " calls failed (see above); their scores are not stored: rerun the same "
                      "command to ask only those again");
    }
    return 0;
  }

 private:
  // Makes the calls and stores what came back; returns the number of failed calls, or -1 after
  // reporting an error.
  int Score(const std::string& name, const std::vector<experiments::DiagnosticItem>& items,
            const std::shared_ptr<const data::Dataset>& dataset, store::AnalysisStore& analysis) {
    auto session = llm_.Open(kRoles, dataset);
    if (!session.ok()) {
      Fail(name, session.error().message);
      return -1;
    }
    const llm::Role role = llm::Role::kDiagnostic;
    experiments::DiagnosticCallSettings settings;
    settings.base = llm::MakeRequest(session->stack->config(), role);
    settings.base.model = session->ModelFor(role);
    settings.base.seed = llm_.seed;
    settings.endpoint_kind = std::string(session->stack->endpoint_kind(role));
    std::fprintf(stderr, "judgeopt %s: %zu calls to %s%s\n", name.c_str(), items.size(),
                 session->BackendLabel(role).c_str(),
                 session->SimBackend(role) ? " (simulated)" : "");
    WorkPool pool(static_cast<std::size_t>(session->workers));
    auto outcomes =
        experiments::ScoreDiagnostics(session->stack->For(role), pool, kind_, items, settings);
    std::vector<store::DiagnosticRow> rows;
    int failed = 0;
    for (auto& o : outcomes) {
      if (o.row) {
        rows.push_back(std::move(*o.row));
      } else {
        ++failed;
        std::fprintf(stderr, "judgeopt %s: %s\n", name.c_str(), o.error->message.c_str());
      }
    }
    Status st = analysis.SaveDiagnostics(rows);
    if (!st.ok()) {
      Fail(name, st.error().message);
      return -1;
    }
    return failed;
  }

  // SIMULATED when a score's reply was simulated (DiagnosticRow::simulated) or a diagnosed run
  // used simulated replies (`simulated_roles` holds that run's roles).
  int Print(const std::string& name, const std::vector<store::DiagnosticRow>& rows,
            std::vector<std::string> simulated_roles) {
    for (const auto& r : rows) {
      if (r.simulated) simulated_roles = optim::MergeRoleNames(simulated_roles, {"diagnostic"});
    }
    const bool simulated = !simulated_roles.empty();
    const auto summary = experiments::SummarizeDiagnostics(rows, kind_);
    if (json_path_ != "-") {
      std::printf("%s", experiments::RenderDiagnosticSummary(summary, simulated).c_str());
      PrintSimulatedNote(simulated_roles);
    }
    if (json_path_.empty()) return 0;
    const std::string text =
        experiments::DiagnosticSummaryToJson(summary, rows, simulated).dump(2) + "\n";
    if (json_path_ == "-") {
      std::printf("%s", text.c_str());
      return 0;
    }
    Status st = WriteFileAtomic(json_path_, text);
    return st.ok() ? 0 : Fail(name, st.error().message);
  }

  std::string kind_;
  std::vector<std::string> ids_;
  std::string json_path_;
  LlmFlags llm_;
};

}  // namespace

std::unique_ptr<Command> MakeDiagnoseCommand() { return std::make_unique<DiagnoseCommand>(); }

}  // namespace judgeopt::apps
