#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The SQLite implementation of the optim::RunRecorder port: `<workspace>/.judgeopt/runs.db`.
// Tables, columns and concurrency rules are documented in docs/results-schema.md; reading for
// reports and commands goes through store/run_reader.h.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

/// The run store's table schema, applied through `PRAGMA user_version`.
const std::vector<Migration>& RunStoreMigrations();

/// The oldest schema version a RunReader reads without migrating (version 3 only added
/// step_decisions, which such a file reads as empty).
inline constexpr int kOldestReadableRunStoreVersion = 2;

/// Opens (creating when missing, unless options say otherwise) and migrates a runs database.
/// Simultaneous first opens of one file from several connections are retried on SQLite lock
/// errors for up to the busy timeout.
Result<Db> OpenRunsDb(const std::string& path, const OpenOptions& options = {});

/// Run store in one SQLite file (WAL, busy timeout, BEGIN IMMEDIATE for every write). Owns one
/// connection guarded by a mutex, so it is thread-safe: several runs of a grid may share one
/// RunStore, and several RunStores (in this process or others) may write to one file at once.
/// Each RecordStep is one transaction: a step is stored whole or not at all.
class RunStore final : public optim::RunRecorder {
 public:
  static Result<std::unique_ptr<RunStore>> Open(const std::string& path,
                                                const OpenOptions& options = {});
  /// Creates the workspace state folder when needed and opens its runs.db.
  static Result<std::unique_ptr<RunStore>> OpenInWorkspace(const Workspace& workspace);

  /// A new run is stored with status "running". A known run is continued when its stored
  /// config_json decides the same results (optim::CheckSameResults: concurrency, budget,
  /// timeouts may differ; the stored config_json is kept): "failed" becomes "running" again,
  /// "finished" stays finished. Otherwise an error naming the run and the first differing key.
  Status BeginRun(const optim::RunInfo& info) override;
  Result<std::optional<optim::RunCheckpoint>> LoadCheckpoint(const std::string& run_id) override;
  /// Errors (and nothing stored): unknown run, negative step, step already stored, an evaluation
  /// on split "batch", a prompt fingerprint already stored with different JSON, SQLite failures.
  Status RecordStep(const std::string& run_id, const optim::StepRecord& step) override;
  /// Searches every run; prefers a computed evaluation (reused_from_step unset) over a reused
  /// one, then the earliest run (BeginRun order) and step.
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(
      const std::string& prompt_fingerprint, const std::string& split,
      const std::string& settings_key) override;
  /// `status` must be "finished" or "failed".
  Status FinishRun(const std::string& run_id, const std::string& status,
                   const std::string& message) override;

  /// The run's info as stored, or nullopt for an unknown run. Its `simulated` and
  /// `simulated_roles` are kept current by RecordStep: each step adds the roles of its calls that
  /// got simulated replies (optim::AddSimulatedRoles), in the step's transaction.
  Result<std::optional<optim::RunInfo>> LoadInfo(const std::string& run_id);
  /// The step record as stored (every field of what RecordStep was given), or nullopt.
  Result<std::optional<optim::StepRecord>> LoadStep(const std::string& run_id,
                                                    int step) override;

  const std::string& path() const { return db_.path(); }

 private:
  explicit RunStore(Db db) : db_(std::move(db)) {}

  std::mutex mu_;
  Db db_;
};

}  // namespace judgeopt::store
