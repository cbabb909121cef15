#include "judgeopt/experiments/grid_runner.h"

#include <algorithm>
#include <mutex>

#include "judgeopt/base/interrupt.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::experiments {
namespace {

// The recorder as one run of the grid sees it: everything forwarded (LoadStep included) except
// FindEvaluation, which finds nothing (see GridRunner), and the run's calls, cache hits and
// dollars tallied
// from the steps it stores. Borrows the inner recorder; thread-safe as the inner one is.
class RunView final : public optim::RunRecorder {
 public:
  explicit RunView(optim::RunRecorder& inner) : inner_(inner) {}

  Status BeginRun(const optim::RunInfo& info) override { return inner_.BeginRun(info); }
  Result<std::optional<optim::RunCheckpoint>> LoadCheckpoint(const std::string& id) override {
    return inner_.LoadCheckpoint(id);
  }
  Status RecordStep(const std::string& run_id, const optim::StepRecord& step) override {
    JO_RETURN_IF_ERROR(inner_.RecordStep(run_id, step));
    std::lock_guard<std::mutex> lock(mu_);
    for (const optim::CallRecord& c : step.calls) {
      if (c.cache_hit) {
        ++tally_.cache_hits;
      } else {
        ++tally_.calls;
        tally_.usd += c.cost_usd;
      }
    }
    return Status::Ok();
  }
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(const std::string&,
                                                                const std::string&,
                                                                const std::string&) override {
    return std::optional<optim::EvaluationRecord>();
  }
  Status FinishRun(const std::string& run_id, const std::string& status,
                   const std::string& message) override {
    return inner_.FinishRun(run_id, status, message);
  }
  // OPRO's trajectory on resume and the final selection from the Pareto archive read the
  // run's earlier steps.
  Result<std::optional<optim::StepRecord>> LoadStep(const std::string& run_id,
                                                    int step) override {
    return inner_.LoadStep(run_id, step);
  }

  // Copies the tally into `out.usage`.
  void TallyInto(GridRunOutcome& out) const {
    std::lock_guard<std::mutex> lock(mu_);
    out.usage = tally_;
  }

 private:
  optim::RunRecorder& inner_;
  mutable std::mutex mu_;
  llm::UsageTally tally_;
};

std::optional<double> AverageSpearman(const std::optional<optim::EvaluationRecord>& eval) {
  if (!eval) return std::nullopt;
  for (const optim::MetricRow& m : eval->metrics) {
    if (m.criterion == "average") return m.spearman;
  }
  return std::nullopt;
}

}  // namespace

const char* GridRunStatusName(GridRunStatus status) {
  switch (status) {
    case GridRunStatus::kNotStarted:
      return "not started (budget)";
    case GridRunStatus::kSkipped:
      return "skipped (already finished)";
    case GridRunStatus::kFinished:
      return "finished";
    case GridRunStatus::kStopped:
      return "stopped (budget)";
    case GridRunStatus::kFailed:
      return "failed";
  }
  return "?";
}

GridRunner::GridRunner(const std::vector<GridCell>& cells, const std::vector<GridRun>& runs,
                       int parallel_runs)
    : cells_(cells),
      runs_(runs),
      parallel_runs_(std::max(1, parallel_runs)),
      outcomes_(runs.size()) {}

void GridRunner::Run(const std::vector<std::size_t>& which, const data::Dataset& dataset,
                     GridDeps& deps) {
  const std::size_t threads = std::min<std::size_t>(which.size(), parallel_runs_);
  if (threads == 0) return;
  WorkPool run_threads(threads);
  run_threads.ParallelFor(which.size(), [&](std::size_t k) {
    const std::size_t index = which[k];
    if (budget_stopped_.load()) return;  // stays kNotStarted
    const GridRun& run = runs_[index];
    if (deps.observer != nullptr) deps.observer->OnRunStart(index, run);
    outcomes_[index] = RunOne(run, dataset, deps);
    if (deps.observer != nullptr) deps.observer->OnRunDone(index, run, outcomes_[index]);
  });
}

GridRunOutcome GridRunner::RunOne(const GridRun& run, const data::Dataset& dataset,
                                  GridDeps& deps) {
  const optim::OptimizeConfig& config = cells_[run.cell].config;
  GridRunOutcome out;
  auto checkpoint = deps.recorder.LoadCheckpoint(run.plan.run_id);
  if (!checkpoint.ok()) {
    out.status = GridRunStatus::kFailed;
    out.message = checkpoint.error().message;
    return out;
  }
  if (*checkpoint && (*checkpoint)->status == "finished" &&
      (*checkpoint)->last_step >= config.steps) {
    out.status = GridRunStatus::kSkipped;
    out.resumed_after_step = (*checkpoint)->last_step;
    out.final_spearman = AverageSpearman((*checkpoint)->last_test_eval);
    return out;
  }
  RunView view(deps.recorder);
  optim::RunDeps run_deps{deps.stack, deps.call_pool, view, deps.observer, deps.code_version};
  auto result = optim::RunOptimization(config, dataset, run.plan, run_deps);
  view.TallyInto(out);
  if (result.ok()) {
    out.status = GridRunStatus::kFinished;
    out.resumed_after_step = result->resumed_after_step;
    out.final_spearman = AverageSpearman(result->final_eval);
    return out;
  }
  out.message = result.error().message;
  // The budget or a request to stop (SIGINT/SIGTERM) ends the grid: no new run starts.
  const bool stop = result.error().code == ErrorCode::kBudgetExceeded || InterruptSignal() != 0;
  out.status = stop ? GridRunStatus::kStopped : GridRunStatus::kFailed;
  if (stop) budget_stopped_.store(true);
  return out;
}

GridTotals Tally(const std::vector<GridRunOutcome>& outcomes) {
  GridTotals t;
  for (const GridRunOutcome& o : outcomes) {
    switch (o.status) {
      case GridRunStatus::kNotStarted:
        ++t.not_started;
        break;
      case GridRunStatus::kSkipped:
        ++t.skipped;
        break;
      case GridRunStatus::kFinished:
        ++t.finished;
        break;
      case GridRunStatus::kStopped:
        ++t.stopped;
        break;
      case GridRunStatus::kFailed:
        ++t.failed;
        break;
    }
    t.usage += o.usage;
  }
  return t;
}

}  // namespace judgeopt::experiments
