#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The analysis tables of the run store (docs/results-schema.md, schema version 2): diagnostic
// scores (`judgeopt diagnose specificity|adherence`), cherry-pick results (`judgeopt
// cherrypick`) and the evaluations cherry-pick made outside any run (so a rerun makes no call).
// Reading works on any connection to a runs database, including RunReader::db() (read-only):
// a file written before version 2 simply has no rows.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/experiments/analysis_records.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

// The plain values stored here are defined with the experiments that make them.
using experiments::CherrypickCandidate;
using experiments::CherrypickResult;
using experiments::CherrypickRow;
using experiments::CherrypickValues;
using experiments::DiagnosticRow;
using experiments::kAdherence;
using experiments::kSpecificity;

/// Diagnostic rows of `run_ids` (every run when empty), optionally of one `kind` ("" = both),
/// ordered by run (as begun), kind, step and criterion (the run's prompt order). The mode comes
/// from the runs table. A database without the analysis tables gives no rows.
Result<std::vector<DiagnosticRow>> ListDiagnostics(Db& db,
                                                   const std::vector<std::string>& run_ids = {},
                                                   const std::string& kind = "");

/// Every stored cherry-pick result, in the order stored. A database without the analysis
/// tables gives none.
Result<std::vector<CherrypickResult>> ListCherrypicks(Db& db);

/// One cherry-pick result by id, or nullopt.
Result<std::optional<CherrypickResult>> LoadCherrypick(Db& db, const std::string& id);

/// Writer (and reader) of the analysis tables in a runs database. Owns one read-write
/// connection guarded by a mutex (plus a RunStore for evaluation lookups), so it is
/// thread-safe; other connections (RunStore, readers, other processes) may use the same file at
/// once. Held through the unique_ptr Open returns.
class AnalysisStore {
 public:
  /// Opens (creating and migrating when needed) the runs database at `path`.
  static Result<std::unique_ptr<AnalysisStore>> Open(const std::string& path);
  static Result<std::unique_ptr<AnalysisStore>> OpenInWorkspace(const Workspace& workspace);

  /// Stores `rows` in one transaction. A row whose (run, step, criterion, kind) is already
  /// stored is an error naming it (nothing is stored then). `mode` is not stored (read from
  /// the runs table).
  Status SaveDiagnostics(const std::vector<DiagnosticRow>& rows);
  /// The stored rows of `run_ids` (every run when empty) and `kind` ("" = both).
  Result<std::vector<DiagnosticRow>> ListDiagnostics(const std::vector<std::string>& run_ids,
                                                     const std::string& kind = "");

  /// Stores `result` in one transaction, replacing a stored result with the same id.
  Status SaveCherrypick(const CherrypickResult& result);
  Result<std::vector<CherrypickResult>> ListCherrypicks();
  Result<std::optional<CherrypickResult>> LoadCherrypick(const std::string& id);

  /// An evaluation cherry-pick stored (SaveEvaluation) with this fingerprint, split and settings
  /// key, else one of any run (RunStore::FindEvaluation's rule), else nullopt.
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(
      const std::string& prompt_fingerprint, const std::string& split,
      const std::string& settings_key);
  /// Stores an evaluation made outside any run (idempotent for the same key).
  Status SaveEvaluation(const optim::EvaluationRecord& evaluation);

  const std::string& path() const { return db_.path(); }

 private:
  AnalysisStore(Db db, std::unique_ptr<RunStore> runs)
      : db_(std::move(db)), runs_(std::move(runs)) {}

  std::mutex mu_;
  Db db_;
  std::unique_ptr<RunStore> runs_;  // for FindEvaluation over the runs' evaluations
};

}  // namespace judgeopt::store
