#pragma once
// Executing a grid's runs: a bounded number of runs at once on their own threads (not on the
// WorkPool that carries each run's call waves), all sharing one client stack (cache, ledger and
// budget, rate limiters) and one run recorder. Finished runs are skipped without a call,
// unfinished ones resume exactly (optim::RunOptimization), and a budget refusal stops the grid
// cleanly: running runs end at their failing step (earlier steps stored), no new run starts.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/experiments/grid_plan.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/usage_tally.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::experiments {

/// What became of one run of the grid.
enum class GridRunStatus {
  kNotStarted,  // the grid stopped (budget) before its turn
  kSkipped,     // already finished before this invocation: no call made
  kFinished,    // finished in this invocation (fresh or resumed)
  kStopped,     // stopped by the budget at a step; the steps before it are stored
  kFailed,      // failed for another reason (message)
};

/// "not started (budget)", "skipped (already finished)", "finished", "stopped (budget)",
/// "failed".
const char* GridRunStatusName(GridRunStatus status);

/// One run's outcome. Counts are this invocation's, from the steps it stored. Plain value.
struct GridRunOutcome {
  GridRunStatus status = GridRunStatus::kNotStarted;
  std::string message;                   // why it failed or stopped
  int resumed_after_step = -1;           // last step stored before this invocation (-1: fresh)
  std::optional<double> final_spearman;  // "average" Spearman of the last test evaluation
  /// Calls sent to a model (cache hits apart), cache hits and dollars; no token counts.
  llm::UsageTally usage;
};

/// Told when runs start and end, and (through RunObserver) about each run's stages and steps.
/// Implementations must be thread-safe: runs report from their own threads at once.
class GridObserver : public optim::RunObserver {
 public:
  virtual void OnRunStart(std::size_t index, const GridRun& run) {}
  virtual void OnRunDone(std::size_t index, const GridRun& run, const GridRunOutcome& outcome) {}
};

/// What the runner borrows. Everything must outlive the runner's calls.
struct GridDeps {
  llm::ClientStack& stack;
  WorkPool& call_pool;  // each run's call waves
  optim::RunRecorder& recorder;
  GridObserver* observer = nullptr;
  std::string code_version;
};

/// Runs the runs of a planned grid. Owns the outcomes (one per run, by index). Run() is called
/// from one thread; it fans out to `parallel_runs` threads of its own.
///
/// Each run records through its own view of the recorder that never reuses another run's stored
/// evaluation (an evaluation of the same prompt is recomputed, from the response cache when it
/// was paid for), so what a run stores does not depend on which runs happen to run beside it:
/// every run's tables equal those of `judgeopt optimize` with the same config.
class GridRunner {
 public:
  GridRunner(const std::vector<GridCell>& cells, const std::vector<GridRun>& runs,
             int parallel_runs);

  /// Runs `which` (indices into the runs; all on `dataset`) in index order, at most
  /// `parallel_runs` at once, each with the ClientStack in `deps`. Runs whose turn comes after a
  /// budget stop (in this call or an earlier one) stay kNotStarted.
  void Run(const std::vector<std::size_t>& which, const data::Dataset& dataset, GridDeps& deps);

  const std::vector<GridRunOutcome>& outcomes() const { return outcomes_; }
  /// True once a run was refused by the budget.
  bool budget_stopped() const { return budget_stopped_.load(); }

 private:
  GridRunOutcome RunOne(const GridRun& run, const data::Dataset& dataset, GridDeps& deps);

  const std::vector<GridCell>& cells_;
  const std::vector<GridRun>& runs_;
  const int parallel_runs_;
  std::vector<GridRunOutcome> outcomes_;
  std::atomic<bool> budget_stopped_{false};
};

/// Counts of the outcomes by status, and whether the grid is complete. Plain value.
struct GridTotals {
  int finished = 0;
  int skipped = 0;
  int stopped = 0;
  int failed = 0;
  int not_started = 0;
  llm::UsageTally usage;  // summed over the outcomes
  /// Every run finished now or before.
  bool complete() const { return stopped == 0 && failed == 0 && not_started == 0; }
};

GridTotals Tally(const std::vector<GridRunOutcome>& outcomes);

}  // namespace judgeopt::experiments
