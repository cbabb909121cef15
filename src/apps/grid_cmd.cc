// judgeopt grid --config FILE: run the cross product a grid config names (datasets x algorithms x
// modes x gates x seeds) over a bounded number of parallel runs that share one response cache,
// one ledger and budget and one rate limiter per endpoint; finished runs are skipped, unfinished
// ones resume; a summary lists every run's outcome. --dry-run lists the cells and their
// projected calls without calling. See docs/grid.md.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "apps/grid_progress.h"
#include "apps/optimize_flags.h"
#include "apps/stored_runs.h"
#include "judgeopt/base/interrupt.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/base/version.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/experiments/grid_config.h"
#include "judgeopt/experiments/grid_plan.h"
#include "judgeopt/experiments/grid_runner.h"
#include "judgeopt/io/client_stack_factory.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/sim/seed_routed_sim.h"
#include "judgeopt/store/grid_store.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_views.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {
namespace {

using experiments::GridCell;
using experiments::GridRun;
using experiments::GridRunOutcome;
using experiments::GridRunStatus;
using DatasetMap = std::map<std::string, std::shared_ptr<const data::Dataset>>;

std::string Fixed(const std::optional<double>& v, int decimals) {
  return v ? FormatFixed(*v, decimals) : "-";
}

// What is left of `budget` after `spent`.
llm::Budget Remaining(const llm::Budget& budget, const llm::LedgerLine& spent) {
  llm::Budget left = budget;
  if (left.max_usd) left.max_usd = std::max(0.0, *left.max_usd - spent.usd);
  if (left.max_calls) left.max_calls = std::max<int64_t>(0, *left.max_calls - spent.calls);
  return left;
}

// The names of the datasets in the order the cells use them.
std::vector<std::string> DatasetOrder(const std::vector<GridCell>& cells) {
  std::vector<std::string> names;
  for (const GridCell& c : cells) {
    if (std::find(names.begin(), names.end(), c.dataset) == names.end()) {
      names.push_back(c.dataset);
    }
  }
  return names;
}

class GridCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app_ = &app;
    llm_.Add(app);
    app.add_flag("--dry-run", dry_run_,
                 "List the cells, their runs and projected calls; call nothing");
    app.add_option("--parallel-runs", parallel_runs_,
                   "Runs executing at once (overrides [grid] parallel_runs)")
        ->check(CLI::Range(1, 256));
    app.add_flag("--force", force_,
                 "Start even when the projected cost of the unfinished cells exceeds the budget");
  }

  int Run(const GlobalOptions& global) override {
    if (llm_.config_file.empty()) return Fail("grid", "--config FILE (a grid config) is required");
    if (app_->get_option("--seed")->count() > 0) {
      return Fail("grid", "--seed: a grid's seeds come from [grid] seeds in " + llm_.config_file);
    }
    quiet_ = global.quiet;
    if (int rc = Prepare(global); rc != 0) return rc;
    if (dry_run_) return DryRun();
    return Execute();
  }

 private:
  // Parses, expands, resolves the LLM config, loads the datasets and plans every run.
  int Prepare(const GlobalOptions& global) {
    auto grid = experiments::LoadGridConfig(llm_.config_file);
    if (!grid.ok()) return Fail("grid", grid.error().message);
    grid_ = std::move(*grid);
    if (parallel_runs_ > 0) grid_.grid.parallel_runs = parallel_runs_;
    auto cells = experiments::ExpandGrid(grid_);
    if (!cells.ok()) return Fail("grid", cells.error().message);
    cells_ = std::move(*cells);
    auto llm_config = llm_.ResolveConfig(kLoopRoles);
    if (!llm_config.ok()) return Fail("grid", llm_config.error().message);
    for (GridCell& cell : cells_) {
      cell.config.llm = *llm_config;
      Status st = optim::ValidateOptimizeConfig(cell.config);
      if (!st.ok()) return Fail("grid", st.error().message);
    }
    for (const GridCell& cell : cells_) {
      if (datasets_.count(cell.dataset) > 0) continue;
      data::LoadOptions options;
      options.protocol = EnumName(cell.config.protocol);
      options.version = cell.config.data_version;
      auto loaded =
          data::LoadDataset(cell.dataset, data::DataLocator::FromProcess(global.data_dir), options);
      if (!loaded.ok())
        return Fail("grid", "grid cell " + cell.label + ": " + loaded.error().message);
      datasets_[cell.dataset] = std::make_shared<const data::Dataset>(std::move(*loaded));
    }
    auto runs = experiments::PlanGridRuns(
        cells_,
        [this](const std::string& name) -> const data::Dataset& { return *datasets_.at(name); });
    if (!runs.ok()) return Fail("grid", runs.error().message);
    runs_ = std::move(*runs);
    budget_ = grid_.base.budget;
    if (llm_.max_usd) budget_.max_usd = llm_.max_usd;
    if (llm_.max_calls) budget_.max_calls = *llm_.max_calls;
    sim_backend_ = llm_config->role(llm::Role::kJudge).backend == llm::Backend::kSim;
    return 0;
  }

  // Per-run stored status ("finished", "at step k", "new") from the run store, when it exists.
  std::map<std::string, std::string> StoredStatus() const {
    std::map<std::string, std::string> out;
    auto reader = store::RunReader::OpenInWorkspace(store::Workspace(llm_.workspace));
    if (!reader.ok()) return out;
    auto listed = reader->ListRuns();
    if (!listed.ok()) return out;
    for (const store::RunListing& r : *listed) {
      out[r.info.run_id] =
          r.status == "finished" ? "finished" : fmt::format("at step {}", r.last_step);
    }
    return out;
  }

  int DryRun() {
    const auto stored = StoredStatus();
    TextTable table({"cell", "runs", "run id", "stored", "calls min", "calls max", "usd max"});
    optim::Bounds calls;
    double usd = 0;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      const GridCell& cell = cells_[i];
      auto estimate = optim::EstimateRun(cell.config, *datasets_.at(cell.dataset));
      if (!estimate.ok())
        return Fail("grid", "grid cell " + cell.label + ": " + estimate.error().message);
      std::vector<const GridRun*> mine;
      for (const GridRun& r : runs_) {
        if (r.cell == i) mine.push_back(&r);
      }
      int finished = 0;
      std::string status = "new";
      for (const GridRun* r : mine) {
        auto it = stored.find(r->plan.run_id);
        if (it == stored.end()) continue;
        status = it->second;
        if (it->second == "finished") ++finished;
      }
      if (mine.size() > 1) status = fmt::format("{}/{} finished", finished, mine.size());
      const std::string id =
          mine.size() == 1 ? mine[0]->plan.run_id : mine[0]->plan.group_id + "-<criterion>";
      table.AddRow({cell.label, std::to_string(mine.size()), id, status,
                    std::to_string(estimate->calls.min), std::to_string(estimate->calls.max),
                    FormatFixed(estimate->usd_max, 2)});
      calls += estimate->calls;
      usd += estimate->usd_max;
    }
    std::printf("grid %s (%s): %zu cells, %zu runs; --dry-run: nothing is called\n%s",
                grid_.grid.name.c_str(), grid_.origin.c_str(), cells_.size(), runs_.size(),
                table.Render().c_str());
    std::printf("projected for every cell from scratch: %lld-%lld calls, at most $%.2f%s\n",
                static_cast<long long>(calls.min), static_cast<long long>(calls.max), usd,
                sim_backend_ ? " (simulated backend: $0)" : "");
    std::printf("budget: %s; parallel runs: %d; seed scope: %s\n",
                optim::DescribeBudget(budget_).c_str(), grid_.grid.parallel_runs,
                experiments::SeedScopeName(grid_.grid.seed_scope));
    // Nothing is called: like `judgeopt estimate`, the note follows the configured backend.
    if (sim_backend_) std::printf("%s\n", kSimulatedNote);
    return 0;
  }

  // Refuses to start when the unfinished cells' projected upper bound exceeds the budget.
  int CheckBudget(store::RunStore& runs) const {
    if ((!budget_.max_usd && !budget_.max_calls) || force_) return 0;
    optim::CostEstimate total;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      bool open = false;
      for (const GridRun& r : runs_) {
        if (r.cell != i) continue;
        auto cp = runs.LoadCheckpoint(r.plan.run_id);
        open = open || !cp.ok() || !*cp || (*cp)->status != "finished";
      }
      if (!open) continue;
      auto estimate = optim::EstimateRun(cells_[i].config, *datasets_.at(cells_[i].dataset));
      if (!estimate.ok()) return Fail("grid", estimate.error().message);
      total.calls += estimate->calls;
      total.usd_max += estimate->usd_max;
      total.usd_min += estimate->usd_min;
    }
    if (!optim::ExceedsBudget(total, budget_)) return 0;
    return Fail("grid",
                fmt::format("the unfinished cells project to at most {} calls and ${:.2f}, above "
                            "the budget ({}). See `judgeopt grid --config {} --dry-run`; raise "
                            "[budget] or pass --max-usd / --max-calls, or add --force to start "
                            "anyway (the budget still stops the grid; a rerun continues).",
                            total.calls.max, total.usd_max, optim::DescribeBudget(budget_),
                            llm_.config_file));
  }

  Result<std::unique_ptr<llm::ClientStack>> OpenStack(
      const std::shared_ptr<const data::Dataset>& dataset, const llm::Budget& budget) const {
    JO_ASSIGN_OR_RETURN(llm::LlmConfig config, llm_.ResolveConfig(kLoopRoles));
    io::ClientStackOpenOptions options;
    options.workspace = llm_.workspace;
    options.no_cache = llm_.no_cache;
    options.roles.assign(std::begin(kLoopRoles), std::end(kLoopRoles));
    options.budget = budget;
    options.make_sim = [dataset]() -> Result<std::unique_ptr<llm::LlmClient>> {
      return std::unique_ptr<llm::LlmClient>(std::make_unique<sim::SeedRoutedSim>(dataset));
    };
    JO_ASSIGN_OR_RETURN(io::OpenedClientStack opened,
                        io::OpenClientStack(config, std::move(options)));
    return std::move(opened.stack);
  }

  // Threads for the call waves of all running runs: the judge endpoints' concurrency.
  int CallWorkers(const llm::ClientStack& stack) const {
    const llm::RoleConfig& judge = stack.config().role(llm::Role::kJudge);
    if (judge.backend != llm::Backend::kOpenAi) return llm_.concurrency > 0 ? llm_.concurrency : 8;
    int workers = 0;
    for (const auto& ep : judge.endpoints) workers += ep.max_concurrency;
    return std::max(1, workers);
  }

  int Execute() {
    const store::Workspace ws(llm_.workspace);
    auto run_store = store::RunStore::OpenInWorkspace(ws);
    if (!run_store.ok()) return Fail("grid", run_store.error().message);
    if (int rc = CheckBudget(**run_store); rc != 0) return rc;
    if (int rc = RecordMembership(ws); rc != 0) return rc;
    std::fprintf(stderr, "judgeopt grid %s: %zu cells, %zu runs, %d at once, %s%s\n",
                 grid_.grid.name.c_str(), cells_.size(), runs_.size(), grid_.grid.parallel_runs,
                 optim::DescribeBudget(budget_).c_str(), sim_backend_ ? " (simulated)" : "");
    experiments::GridRunner runner(cells_, runs_, grid_.grid.parallel_runs);
    GridProgress progress(runs_.size(), !quiet_);
    llm::LedgerLine spent;
    for (const std::string& name : DatasetOrder(cells_)) {
      std::vector<std::size_t> which;
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        if (cells_[runs_[i].cell].dataset == name) which.push_back(i);
      }
      if (runner.budget_stopped()) break;
      auto stack = OpenStack(datasets_.at(name), Remaining(budget_, spent));
      if (!stack.ok()) return Fail("grid", stack.error().message);
      for (GridCell& cell : cells_) {
        if (cell.dataset == name) cell.config.llm = (*stack)->config();
      }
      WorkPool call_pool(static_cast<std::size_t>(CallWorkers(**stack)));
      progress.set_phase(stack->get(), spent);
      experiments::GridDeps deps{**stack, call_pool, **run_store, &progress, VersionString()};
      runner.Run(which, *datasets_.at(name), deps);
      spent.Add((*stack)->ledger().total);
      progress.set_phase(nullptr, spent);
    }
    return Summary(runner, spent, **run_store);
  }

  int RecordMembership(const store::Workspace& ws) const {
    auto grids = store::GridStore::OpenInWorkspace(ws);
    if (!grids.ok()) return Fail("grid", grids.error().message);
    std::vector<store::GridMember> members;
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      members.push_back({runs_[i].plan.run_id, runs_[i].label, static_cast<int>(i)});
    }
    Status st = grids->SetMembers(grid_.grid.name, members);
    return st.ok() ? 0 : Fail("grid", st.error().message);
  }

  // The runs' labels as the run store recorded them (from the replies each run used); the
  // roles of every simulated run are added to `roles` ("(not recorded)" for an older store).
  std::vector<std::string> RunLabels(store::RunStore& runs, std::vector<std::string>& roles) const {
    std::vector<std::string> labels;
    for (const GridRun& r : runs_) {
      auto info = runs.LoadInfo(r.plan.run_id);
      const bool simulated = info.ok() && *info && (*info)->simulated;
      labels.push_back(simulated ? store::SimulatedLabel(**info) : "");
      if (simulated) AddRunSimulatedRoles(**info, roles);
    }
    return labels;
  }

  int Summary(const experiments::GridRunner& runner, const llm::LedgerLine& spent,
              store::RunStore& run_store) const {
    const auto& outcomes = runner.outcomes();
    std::vector<std::string> simulated_roles;
    const std::vector<std::string> labels = RunLabels(run_store, simulated_roles);
    TextTable table({"#", "run", "run id", "status", "avg test spearman", "calls", "cache hits",
                     "usd", "label"});
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      const GridRunOutcome& o = outcomes[i];
      table.AddRow({std::to_string(i + 1), runs_[i].label, runs_[i].plan.run_id,
                    experiments::GridRunStatusName(o.status), Fixed(o.final_spearman, 3),
                    std::to_string(o.usage.calls), std::to_string(o.usage.cache_hits),
                    FormatFixed(o.usage.usd, 4), labels[i]});
      if (!o.message.empty()) problems.push_back(runs_[i].label + ": " + o.message);
    }
    const experiments::GridTotals t = experiments::Tally(outcomes);
    std::printf("grid %s (%s): %zu runs%s\n%s", grid_.grid.name.c_str(), grid_.origin.c_str(),
                runs_.size(), simulated_roles.empty() ? "" : " [SIMULATED]",
                table.Render().c_str());
    for (const std::string& p : problems) std::printf("  %s\n", p.c_str());
    std::printf(
        "runs: %d finished, %d skipped (already finished), %d stopped (budget), "
        "%d failed, %d not started\n",
        t.finished, t.skipped, t.stopped, t.failed, t.not_started);
    std::printf("spent by this invocation: %s (the run columns count stored steps only)\n",
                DescribeSpend(spent).c_str());
    if (const int signal = InterruptSignal(); signal != 0) {
      std::printf("%s stopped the grid: no new run was started and every completed step is "
                  "stored. Rerun `judgeopt grid --config %s` to continue: finished runs are "
                  "skipped and the others continue from their last stored step.\n",
                  InterruptName(signal), llm_.config_file.c_str());
    } else if (runner.budget_stopped()) {
      std::printf(
          "The budget (%s) stopped the grid: no new run was started and every completed "
          "step is stored. Rerun `judgeopt grid --config %s` with a larger --max-usd / "
          "--max-calls to continue: finished runs are skipped and the others continue "
          "from their last stored step, paying nothing twice.\n",
          optim::DescribeBudget(budget_).c_str(), llm_.config_file.c_str());
    } else if (t.failed > 0) {
      std::printf(
          "Rerun the same command to retry the failed runs from their last stored "
          "step.\n");
    }
    PrintSimulatedNote(simulated_roles);
    return t.complete() ? 0 : 1;
  }

  CLI::App* app_ = nullptr;
  LlmFlags llm_;
  bool dry_run_ = false;
  bool force_ = false;
  bool quiet_ = false;
  int parallel_runs_ = 0;

  experiments::GridConfig grid_;
  std::vector<GridCell> cells_;
  std::vector<GridRun> runs_;
  DatasetMap datasets_;
  llm::Budget budget_;
  bool sim_backend_ = false;  // the judge is configured with the simulator (--dry-run's note)
};

}  // namespace

std::unique_ptr<Command> MakeGridCommand() { return std::make_unique<GridCommand>(); }

}  // namespace judgeopt::apps
