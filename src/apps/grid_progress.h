#pragma once
// The progress display of `judgeopt grid` (stderr): one line when a run starts and when it ends,
// and every `totals_every` the grid's totals (runs done, calls, cache hits, dollars). Plain lines
// on a terminal and in logs alike, because several runs report at once.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

#include "judgeopt/experiments/grid_runner.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/ledger.h"

namespace judgeopt::apps {

/// Prints grid progress. Borrows the current phase's stack (set_phase). Thread-safe: every
/// callback takes one mutex, so lines never interleave.
class GridProgress final : public experiments::GridObserver {
 public:
  GridProgress(std::size_t total_runs, bool enabled,
               std::chrono::seconds totals_every = std::chrono::seconds(15));

  /// The stack of the dataset phase now running and what earlier phases spent.
  void set_phase(const llm::ClientStack* stack, const llm::LedgerLine& spent_before);

  void OnRunStart(std::size_t index, const experiments::GridRun& run) override;
  void OnRunDone(std::size_t index, const experiments::GridRun& run,
                 const experiments::GridRunOutcome& outcome) override;
  void OnStepDone(const std::string& run_id, int step, int total, std::string_view decision,
                  std::optional<double> test_spearman) override;

 private:
  std::string TotalsLocked() const;

  const std::size_t total_runs_;
  const bool enabled_;
  const std::chrono::seconds totals_every_;
  std::mutex mu_;
  const llm::ClientStack* stack_ = nullptr;
  llm::LedgerLine spent_before_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point last_totals_;
};

/// Calls, cache hits and dollars of a ledger line: "calls 120 (cache hits 30), $0.0123".
std::string DescribeSpend(const llm::LedgerLine& line);

}  // namespace judgeopt::apps
