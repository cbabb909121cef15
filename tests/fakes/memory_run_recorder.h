#pragma once
// An in-memory RunRecorder for tests of the optimization loop: the same contract as the SQLite
// run store (store/run_store.h), with nothing written to disk.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// A RunRecorder that keeps every run in memory. Owns copies of everything recorded.
/// Thread-safe (one mutex guards all state). Semantics shared with store::RunStore:
///  - BeginRun of a known run whose config decides the same results (CheckSameResults)
///    continues it: a "failed" run becomes "running" again, a "finished" run stays finished;
///    a config that changes the results is an error.
///  - RecordStep rejects unknown runs, negative steps and steps already stored, and adds the
///    roles of the step's simulated calls to the run's info (AddSimulatedRoles).
///  - LoadCheckpoint reports the highest stored step and the latest stored test evaluation.
///  - FindEvaluation searches every run (runs in BeginRun order, steps ascending) and prefers an
///    evaluation that was computed (reused_from_step unset) over one that was itself reused.
class MemoryRunRecorder final : public RunRecorder {
 public:
  /// Called (under the lock) before a step is stored; a non-OK status makes RecordStep fail and
  /// store nothing. Lets tests simulate a store failure at a chosen step.
  using RecordHook = std::function<Status(const std::string& run_id, const StepRecord& step)>;

  Status BeginRun(const RunInfo& info) override;
  Result<std::optional<RunCheckpoint>> LoadCheckpoint(const std::string& run_id) override;
  Status RecordStep(const std::string& run_id, const StepRecord& step) override;
  Result<std::optional<EvaluationRecord>> FindEvaluation(const std::string& prompt_fingerprint,
                                                         const std::string& split,
                                                         const std::string& settings_key) override;
  Status FinishRun(const std::string& run_id, const std::string& status,
                   const std::string& message) override;
  /// A copy of the stored step; nullopt for an unknown run or step.
  Result<std::optional<StepRecord>> LoadStep(const std::string& run_id, int step) override;

  void set_record_hook(RecordHook hook);

  // Inspection for tests (copies, taken under the lock).
  /// The run ids in BeginRun order.
  std::vector<std::string> RunIds() const;
  std::optional<RunInfo> Info(const std::string& run_id) const;
  /// The stored steps of a run, ascending; empty for an unknown run.
  std::vector<StepRecord> Steps(const std::string& run_id) const;
  /// "running", "finished" or "failed"; "" for an unknown run.
  std::string RunStatus(const std::string& run_id) const;
  std::string RunMessage(const std::string& run_id) const;

 private:
  struct Run {
    RunInfo info;
    std::string status = "running";
    std::string message;
    std::map<int, StepRecord> steps;
  };

  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, Run> runs_;
  RecordHook hook_;
};

}  // namespace judgeopt::optim
