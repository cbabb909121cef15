#include "judgeopt/store/run_reader.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store {
namespace {

using run_rows::BindAll;

RoleUsage UsageRow(const Statement& s, int first_col) {
  RoleUsage u;
  u.role = s.ColumnText(first_col);
  u.calls = s.ColumnInt64(first_col + 1);
  u.cache_hits = s.ColumnInt64(first_col + 2);
  u.failed = s.ColumnInt64(first_col + 3);
  u.prompt_tokens = s.ColumnInt64(first_col + 4);
  u.completion_tokens = s.ColumnInt64(first_col + 5);
  u.usd = s.ColumnDouble(first_col + 6);
  u.cached_tokens = s.ColumnInt64(first_col + 7);
  u.reasoning_tokens = s.ColumnInt64(first_col + 8);
  return u;
}

// The per-role sums of table calls; a file older than schema version 5 has no cached or
// reasoning tokens (read as 0).
Result<std::string> UsageColumns(Db& db) {
  std::string out =
      "role, COUNT(*), SUM(cache_hit), SUM(error <> ''), SUM(prompt_tokens), "
      "SUM(completion_tokens), TOTAL(cost_usd)";
  for (const char* column : {"cached_tokens", "reasoning_tokens"}) {
    JO_ASSIGN_OR_RETURN(bool has, run_rows::HasColumn(db, "calls", column));
    out += has ? fmt::format(", SUM({})", column) : std::string(", 0");
  }
  return out;
}

// A step's test evaluation without its predictions.
Result<std::optional<EvaluationSummary>> TestEvaluation(Db& db, const std::string& run_id,
                                                         int step) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT prompt_fingerprint, reused_from_step FROM evaluations "
                                 "WHERE run_id = ? AND step = ? AND split = 'test'"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  JO_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<EvaluationSummary>();
  EvaluationSummary e;
  e.split = "test";
  e.prompt_fingerprint = s.ColumnText(0);
  e.reused_from_step = run_rows::OptionalInt(s, 1);
  JO_ASSIGN_OR_RETURN(e.metrics, run_rows::LoadMetrics(db, run_id, step, "test"));
  return std::optional<EvaluationSummary>(std::move(e));
}

}  // namespace

Error UnknownRunError(const std::string& run_id, const std::string& path) {
  return NotFound(fmt::format("unknown run id '{}' in {}; `judgeopt runs list` shows the "
                              "recorded runs",
                              run_id, path));
}

Result<RunReader> RunReader::Open(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return NotFound(fmt::format("no run store at {} (no run has been recorded there)", path));
  }
  OpenOptions options;
  options.read_only = true;
  JO_ASSIGN_OR_RETURN(Db db, OpenRunsDb(path, options));
  JO_ASSIGN_OR_RETURN(int version, db.UserVersion());
  const int latest = static_cast<int>(RunStoreMigrations().size());
  if (version < kOldestReadableRunStoreVersion || version > latest) {
    return IoError(fmt::format(
        "run store {}: schema version {} (this judgeopt reads versions {} to {}){}", path, version,
        kOldestReadableRunStoreVersion, latest,
        version > latest ? "; use a newer judgeopt" : "; open it for writing to migrate"));
  }
  return RunReader(std::move(db));
}

Result<RunReader> RunReader::OpenInWorkspace(const Workspace& workspace) {
  return Open(workspace.RunsPath().string());
}

Result<RunListing> RunReader::Listing(const std::string& run_id) {
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db_, run_id));
  if (!run) return UnknownRunError(run_id, path());
  RunListing out;
  out.info = std::move(run->info);
  out.status = std::move(run->status);
  out.message = std::move(run->message);
  JO_ASSIGN_OR_RETURN(Statement last, db_.Prepare("SELECT MAX(step) FROM steps WHERE run_id = ?"));
  JO_RETURN_IF_ERROR(BindAll(last, {run_id}));
  JO_ASSIGN_OR_RETURN(bool row, last.Step());
  if (row && !last.ColumnIsNull(0)) out.last_step = static_cast<int>(last.ColumnInt64(0));
  JO_ASSIGN_OR_RETURN(Statement eval,
                      db_.Prepare("SELECT e.step, m.spearman FROM evaluations e "
                                  "LEFT JOIN evaluation_metrics m ON m.run_id = e.run_id AND "
                                  "m.step = e.step AND m.split = e.split AND "
                                  "m.criterion = 'average' "
                                  "WHERE e.run_id = ? AND e.split = 'test' "
                                  "ORDER BY e.step DESC LIMIT 1"));
  JO_RETURN_IF_ERROR(BindAll(eval, {run_id}));
  JO_ASSIGN_OR_RETURN(row, eval.Step());
  if (row) {
    out.final_eval_step = static_cast<int>(eval.ColumnInt64(0));
    out.final_average_spearman = run_rows::OptionalDouble(eval, 1);
  }
  return out;
}

Result<std::vector<RunListing>> RunReader::ListRuns() {
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(std::vector<std::string> ids, run_rows::RunIds(db_));
  std::vector<RunListing> out;
  for (const std::string& id : ids) {
    JO_ASSIGN_OR_RETURN(RunListing listing, Listing(id));
    out.push_back(std::move(listing));
  }
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<std::pair<int, RoleUsage>>> RunReader::UsageByStep(const std::string& run_id) {
  JO_ASSIGN_OR_RETURN(const std::string columns, UsageColumns(db_));
  JO_ASSIGN_OR_RETURN(Statement s,
                      db_.Prepare(fmt::format("SELECT step, {} FROM calls WHERE run_id = ? "
                                              "GROUP BY step, role ORDER BY step, role",
                                              columns)));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id}));
  std::vector<std::pair<int, RoleUsage>> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.emplace_back(static_cast<int>(s.ColumnInt64(0)), UsageRow(s, 1));
  }
}

Result<RunDetail> RunReader::LoadRun(const std::string& run_id) {
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  RunDetail out;
  JO_ASSIGN_OR_RETURN(out.run, Listing(run_id));
  JO_ASSIGN_OR_RETURN(std::vector<int> steps, run_rows::StepNumbers(db_, run_id));
  std::map<int, std::size_t> index;
  for (int n : steps) {
    optim::StepRecord rec;
    JO_ASSIGN_OR_RETURN(bool found, run_rows::LoadStepRow(db_, run_id, n, rec));
    if (!found) continue;
    StepSummary s;
    s.step = n;
    s.gate = std::move(rec.gate);
    s.carried_gate_score = rec.carried_gate_score;
    s.incumbent_after = rec.incumbent_after.fingerprint;
    JO_ASSIGN_OR_RETURN(s.decisions, run_rows::LoadDecisions(db_, run_id, n));
    JO_ASSIGN_OR_RETURN(s.test, TestEvaluation(db_, run_id, n));
    index[n] = out.steps.size();
    out.steps.push_back(std::move(s));
  }
  JO_ASSIGN_OR_RETURN(auto usage, UsageByStep(run_id));
  std::map<std::string, RoleUsage> totals;
  for (auto& [step, u] : usage) {
    RoleUsage& t = totals[u.role];
    t.role = u.role;
    t += u;
    auto it = index.find(step);
    if (it != index.end()) out.steps[it->second].usage.push_back(std::move(u));
  }
  for (auto& [role, t] : totals) out.totals.push_back(std::move(t));
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<optim::StepRecord> RunReader::LoadStep(const std::string& run_id, int step) {
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(std::optional<optim::StepRecord> rec, run_rows::LoadStep(db_, run_id, step));
  JO_RETURN_IF_ERROR(tx.Commit());
  if (!rec) return NotFound(fmt::format("run {} has no step {} in {}", run_id, step, path()));
  return std::move(*rec);
}

}  // namespace judgeopt::store
