#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Reading the run store for reports and commands (`judgeopt runs list|show|export`): run
// listings and per-step summaries. Separate from the writer (store/run_store.h); never creates
// or changes the file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/llm/usage_tally.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

/// LLM usage of one role (within a step, or over a whole run): every recorded call counts in
/// `calls` (cache hits included), `failed` counts calls whose error is not empty. Adding another
/// RoleUsage (UsageTally's +=) leaves the role as it is. Plain value.
struct RoleUsage : llm::UsageTally {
  std::string role;
};

/// One run as listed. Plain value.
struct RunListing {
  optim::RunInfo info;
  std::string status;   // "running", "finished", "failed"
  std::string message;  // why it failed, or ""
  int last_step = -1;   // highest stored step (-1: none, 0: baseline only)
  /// The "average" Spearman of the run's last test evaluation, and the step that holds it.
  std::optional<double> final_average_spearman;
  int final_eval_step = -1;
};

/// A step's test evaluation without its predictions. Plain value.
struct EvaluationSummary {
  std::string split;
  std::string prompt_fingerprint;
  std::optional<int> reused_from_step;
  std::vector<optim::MetricRow> metrics;
};

/// What `runs show` prints for one step. Plain value.
struct StepSummary {
  int step = 0;
  optim::GateRecord gate;
  std::optional<double> carried_gate_score;
  std::string incumbent_after;  // fingerprint
  std::optional<EvaluationSummary> test;
  std::vector<RoleUsage> usage;  // by role name
  /// What the run's methods decided in this step, in decision order (empty for plain runs).
  std::vector<optim::DecisionRecord> decisions;
};

/// A run with every step summarized. Plain value.
struct RunDetail {
  RunListing run;
  std::vector<StepSummary> steps;  // ascending
  std::vector<RoleUsage> totals;   // by role name, over every stored step
};

/// Read-only access to a runs database. Owns one read-only connection; not thread-safe (use one
/// reader per thread). Move-only.
class RunReader {
 public:
  /// Opens an existing runs database; a missing file is kNotFound naming the path, a file written
  /// by a newer judgeopt, or older than kOldestReadableRunStoreVersion, is an error. A file of an
  /// older readable version is read as it is (what it lacks reads as empty: a version-2 file has
  /// no step decisions) and left unchanged.
  static Result<RunReader> Open(const std::string& path);
  static Result<RunReader> OpenInWorkspace(const Workspace& workspace);

  /// Every run, in the order they were begun.
  Result<std::vector<RunListing>> ListRuns();
  /// One run; an unknown id is kNotFound naming the run and the file.
  Result<RunDetail> LoadRun(const std::string& run_id);
  /// The run's stored step, as recorded; kNotFound when absent.
  Result<optim::StepRecord> LoadStep(const std::string& run_id, int step);

  /// The connection, for exports (store/run_export.h).
  Db& db() { return db_; }
  const std::string& path() const { return db_.path(); }

 private:
  explicit RunReader(Db db) : db_(std::move(db)) {}
  Result<RunListing> Listing(const std::string& run_id);
  Result<std::vector<std::pair<int, RoleUsage>>> UsageByStep(const std::string& run_id);

  Db db_;
};

/// The error for an unknown run id: names the run and the file and points to `runs list`.
Error UnknownRunError(const std::string& run_id, const std::string& path);

}  // namespace judgeopt::store
