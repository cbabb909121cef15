// judgeopt optimize: run (or continue) a TextGrad optimization of a judge prompt and print a
// per-step table. Rerunning the same command continues the same run from its last step.

#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "apps/optimize_flags.h"
#include "apps/optimize_progress.h"
#include "apps/stored_runs.h"
#include "judgeopt/base/files.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/base/version.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/optim/engine/run_evaluation.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_views.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

std::string Cell(const std::optional<double>& v) { return v ? FormatFixed(*v, 3) : "-"; }

// What a run's test evaluations show, for the closing lines of a simulated run.
struct Trajectory {
  std::optional<double> first, last, best;
  int best_step = 0, candidates = 0, rejected = 0;

  void Add(const optim::StepRecord& r) {
    if (r.step > 0) {
      ++candidates;
      rejected += r.gate.skipped || r.gate.accepted ? 0 : 1;
    }
    const optim::MetricRow* avg = r.test_eval ? optim::FindRow(*r.test_eval, "average") : nullptr;
    if (avg == nullptr || !avg->spearman) return;
    const double v = *avg->spearman;
    if (!first) first = v;
    last = v;
    if (!best || v > *best) best = v, best_step = r.step;
  }

  // Two sentences: what the trajectory shows, and that the simulator is calibrated to the study.
  void PrintSimulatedSummary() const {
    if (!first || !last) return;
    const char* reading = *last < *first - 0.02 ? "below where it started, as the study's "
                                                  "multi-criteria runs often ended"
                          : *best <= *first + 0.05 ? "within the narrow band in which the "
                                                     "study's real judge moved"
                                                   : "a larger gain than the study saw";
    std::printf("Simulated trajectory: average test Spearman %.3f -> %.3f (best %.3f at step %d; "
                "%d of %d candidates rejected by the gate), %s.\nThe simulator is calibrated to "
                "the study's findings with real LLMs (docs/simulator.md), so agreement with the "
                "study is by construction: only differences between methods carry information.\n",
                *first, *last, *best, best_step, rejected, candidates, reading);
  }
};

class OptimizeCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    flags_.Add(app);
    app.add_option("--out", out_dir_, "Write each run's final prompt (JSON) here");
    app.add_flag("--force", force_,
                 "Start even when the projected cost (`judgeopt estimate`) exceeds the budget");
  }

  int Run(const GlobalOptions& global) override {
    auto config = flags_.ResolveConfig();
    if (!config.ok()) return Fail("optimize", config.error().message);
    auto dataset = flags_.LoadData(*config, global);
    if (!dataset.ok()) return Fail("optimize", dataset.error().message);
    auto plans = optim::PlanRuns(*config, **dataset);
    if (!plans.ok()) return Fail("optimize", plans.error().message);
    const llm::Budget budget = flags_.Budget(*config);
    if (int rc = CheckBudget(*config, **dataset, budget); rc != 0) return rc;
    LlmFlags& llm = flags_.llm;
    llm.seed = config->seed;  // the simulator's seed follows the run's
    llm.max_usd = budget.max_usd;
    if (budget.max_calls) llm.max_calls = *budget.max_calls;
    if (!out_dir_.empty()) {  // refused before any paid call, not after them
      Status writable = CheckWritableDir(out_dir_);
      if (!writable.ok()) return Fail("optimize", "--out " + writable.error().message);
    }
    auto session = llm.Open(kLoopRoles, *dataset);
    if (!session.ok()) return Fail("optimize", session.error().message);
    config->llm = session->stack->config();
    store::Workspace ws(llm.workspace);
    auto runs = store::RunStore::OpenInWorkspace(ws);
    if (!runs.ok()) return Fail("optimize", runs.error().message);
    std::fprintf(stderr, "judgeopt optimize: %s, %s, gate %s, %d steps, backend %s%s\n",
                 (*dataset)->name.c_str(), optim::RunLabel(*config).c_str(),
                 EnumName(config->gate.metric).c_str(), config->steps,
                 session->BackendLabel(llm::Role::kJudge).c_str(),
                 session->SimBackend(llm::Role::kJudge) ? " (simulated)" : "");
    WorkPool pool(static_cast<std::size_t>(session->workers));
    OptimizeProgress progress(*session->stack, !global.quiet);
    optim::RunDeps deps{*session->stack, pool, **runs, &progress, VersionString()};
    std::vector<std::string> simulated_roles;  // over every run shown
    for (const optim::RunPlan& plan : *plans) {
      auto result = optim::RunOptimization(*config, **dataset, plan, deps);
      progress.Finish();
      if (!result.ok()) {
        return Fail("optimize", result.error().message +
                                    "\nEverything before this step is stored; rerun the same "
                                    "command (or `judgeopt resume " + plan.run_id +
                                    "`) to continue, paying nothing twice.");
      }
      int rc = Report(**runs, *config, plan, *result, simulated_roles);
      if (rc != 0) return rc;
    }
    PrintSimulatedNote(simulated_roles);
    return 0;
  }

 private:
  // Refuses to start when the projection's upper bound exceeds the budget, unless --force.
  int CheckBudget(const optim::OptimizeConfig& config, const data::Dataset& dataset,
                  const llm::Budget& budget) const {
    if (!budget.max_usd && !budget.max_calls) return 0;
    auto estimate = optim::EstimateRun(config, dataset);
    if (!estimate.ok()) return Fail("optimize", estimate.error().message);
    if (!optim::ExceedsBudget(*estimate, budget)) return 0;
    if (force_) {
      std::fprintf(
          stderr, "judgeopt optimize: projected %s; budget: %s; starting anyway (--force)\n",
          optim::DescribeProjection(*estimate).c_str(), optim::DescribeBudget(budget).c_str());
      return 0;
    }
    return Fail("optimize",
                optim::OverBudgetRefusal(*estimate, budget, optim::OverrideSpelling::kFlags));
  }

  // Prints the run's table, labelled from what the run store recorded about its replies (this
  // invocation's and earlier ones'); adds its simulated roles to `simulated_roles`.
  int Report(store::RunStore& runs, const optim::OptimizeConfig& config,
             const optim::RunPlan& plan, const optim::RunResult& result,
             std::vector<std::string>& simulated_roles) {
    auto info = runs.LoadInfo(plan.run_id);
    if (!info.ok()) return Fail("optimize", info.error().message);
    const bool simulated = *info && (*info)->simulated;
    if (simulated) AddRunSimulatedRoles(**info, simulated_roles);
    std::vector<std::string> header = {"step", "decision", "gate incumbent", "gate candidate"};
    for (const auto& c : plan.criteria) header.push_back(c);
    header.push_back("avg spearman");
    TextTable table(header);
    Trajectory trajectory;
    for (int s = 0; s <= config.steps; ++s) {
      auto step = runs.LoadStep(plan.run_id, s);
      if (!step.ok()) return Fail("optimize", step.error().message);
      if (!step->has_value()) continue;
      table.AddRow(Row(**step, plan));
      trajectory.Add(**step);
    }
    std::printf("run %s (%s)%s\n", plan.run_id.c_str(), plan.mode_label.c_str(),
                simulated ? (" [" + store::SimulatedLabel(**info) + "]").c_str() : "");
    if (result.resumed_after_step >= config.steps) {
      std::printf("already finished: shown from the run store, no model calls made\n");
    } else if (result.resumed_after_step >= 0) {
      std::printf("continued after step %d (earlier steps from the run store)\n",
                  result.resumed_after_step);
    }
    std::printf("test spearman per step:\n%s", table.Render().c_str());
    if (simulated) trajectory.PrintSimulatedSummary();
    if (!out_dir_.empty()) {
      const std::string path = out_dir_ + "/" + plan.run_id + ".prompt.json";
      Status st = MakeDirs(out_dir_);
      if (st.ok()) st = judge::SavePromptFile(path, result.final_prompt);
      if (!st.ok()) return Fail("optimize", st.error().message);
      std::printf("final prompt: %s\n", path.c_str());
    }
    return 0;
  }

  static std::vector<std::string> Row(const optim::StepRecord& r, const optim::RunPlan& plan) {
    std::vector<std::string> row = {std::to_string(r.step), optim::StepDecision(r),
                                    Cell(r.gate.incumbent_score), Cell(r.gate.candidate_score)};
    for (const auto& c : plan.criteria) {
      const optim::MetricRow* m = r.test_eval ? optim::FindRow(*r.test_eval, c) : nullptr;
      row.push_back(m ? Cell(m->spearman) : "-");
    }
    const optim::MetricRow* avg = r.test_eval ? optim::FindRow(*r.test_eval, "average") : nullptr;
    row.push_back(avg ? Cell(avg->spearman) : "-");
    return row;
  }

  OptimizeFlags flags_;
  std::string out_dir_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeOptimizeCommand() { return std::make_unique<OptimizeCommand>(); }

}  // namespace judgeopt::apps
