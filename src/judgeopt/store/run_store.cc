#include "judgeopt/store/run_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/optim/config/config_compare.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store {
namespace {

using run_rows::BindAll;
using run_rows::RunWith;

Status StorePrompt(Db& db, const optim::PromptRecord& p, std::string_view which) {
  if (p.fingerprint.empty()) {
    if (p.json.empty()) return Status::Ok();
    return InvalidArgument(fmt::format("{} prompt has JSON but no fingerprint", which));
  }
  JO_ASSIGN_OR_RETURN(Statement get, db.Prepare("SELECT json FROM prompts WHERE fingerprint = ?"));
  JO_RETURN_IF_ERROR(BindAll(get, {p.fingerprint}));
  JO_ASSIGN_OR_RETURN(bool row, get.Step());
  if (row) {
    if (get.ColumnText(0) == p.json) return Status::Ok();
    return InvalidArgument(fmt::format("{} prompt {} is already stored with different JSON", which,
                                       p.fingerprint));
  }
  JO_ASSIGN_OR_RETURN(Statement put, db.Prepare("INSERT INTO prompts VALUES (?, ?)"));
  return RunWith(put, {p.fingerprint, p.json});
}

Status StoreStepRow(Db& db, const std::string& run_id, const optim::StepRecord& s) {
  JO_ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT INTO steps VALUES "
                                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  const optim::GateRecord& g = s.gate;
  return RunWith(st, {run_id, s.step, run_rows::PositionsToJson(s.batch_positions),
                      s.incumbent_before.fingerprint, s.candidate.fingerprint,
                      s.incumbent_after.fingerprint, g.accepted, g.metric, g.skipped,
                      g.incumbent_score, g.candidate_score,
                      run_rows::DoublesToJson(g.candidate_batch_scores), g.chosen_candidate,
                      s.carried_gate_score});
}

Status StorePredictions(Db& db, const std::string& run_id, int step, const std::string& split,
                        const std::vector<optim::PredictionRecord>& preds) {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < preds.size(); ++i) {
    const optim::PredictionRecord& p = preds[i];
    JO_RETURN_IF_ERROR(RunWith(st, {run_id, step, split, i, p.position, p.example_id,
                                    run_rows::ValuesToJson(p.values), p.raw_reply, p.error}));
  }
  return Status::Ok();
}

Status StoreTexts(Db& db, const char* table, const std::string& run_id, int step,
                  const std::vector<optim::SampleText>& texts) {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare(fmt::format("INSERT INTO {} VALUES (?, ?, ?, ?, ?, ?)", table)));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const optim::SampleText& t = texts[i];
    JO_RETURN_IF_ERROR(RunWith(st, {run_id, step, i, t.criterion, t.sample, t.text}));
  }
  return Status::Ok();
}

Status StoreOptimizerCalls(Db& db, const std::string& run_id, int step,
                           const std::vector<optim::OptimizerCallRecord>& calls) {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("INSERT INTO optimizer_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const optim::OptimizerCallRecord& c = calls[i];
    JO_RETURN_IF_ERROR(RunWith(st, {run_id, step, i, c.criterion, c.candidate, c.meta_prompt,
                                    c.raw_reply, c.parsed_json, c.error}));
  }
  return Status::Ok();
}

Status StoreEvaluation(Db& db, const std::string& run_id, int step,
                       const optim::EvaluationRecord& e) {
  if (e.split.empty() || e.split == "batch") {
    return InvalidArgument(fmt::format("evaluation split '{}' is not a dataset split", e.split));
  }
  JO_ASSIGN_OR_RETURN(Statement ev,
                      db.Prepare("INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?)"));
  JO_RETURN_IF_ERROR(RunWith(ev, {run_id, step, e.split, e.prompt_fingerprint, e.settings_key,
                                  e.reused_from_step}));
  JO_ASSIGN_OR_RETURN(Statement mt, db.Prepare("INSERT INTO evaluation_metrics VALUES "
                                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < e.metrics.size(); ++i) {
    const optim::MetricRow& m = e.metrics[i];
    JO_RETURN_IF_ERROR(RunWith(mt, {run_id, step, e.split, i, m.criterion, m.spearman, m.kendall,
                                    m.pearson, m.mae, m.off_by_one, m.accuracy, m.n, m.missing}));
  }
  return StorePredictions(db, run_id, step, e.split, e.predictions);
}

Status StoreCalls(Db& db, const std::string& run_id, int step,
                  const std::vector<optim::CallRecord>& calls) {
  JO_ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT INTO calls VALUES "
                                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                               "?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const optim::CallRecord& c = calls[i];
    JO_RETURN_IF_ERROR(RunWith(st, {run_id, step, i, c.step, c.stage, c.role, c.request_hash,
                                    c.tag, c.latency_ms, c.prompt_tokens, c.completion_tokens,
                                    c.cost_usd, c.attempts, c.cache_hit, c.error,
                                    c.finish_reason, c.simulated, c.total_tokens,
                                    c.cached_tokens, c.reasoning_tokens}));
  }
  return Status::Ok();
}

// The step's decisions in order. A decision needs a kind; its payload is empty or JSON text.
Status StoreDecisions(Db& db, const std::string& run_id, int step,
                      const std::vector<optim::DecisionRecord>& decisions) {
  if (decisions.empty()) return Status::Ok();
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("INSERT INTO step_decisions VALUES (?, ?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const optim::DecisionRecord& d = decisions[i];
    if (d.kind.empty()) return InvalidArgument(fmt::format("decision {} has no kind", i));
    if (!d.payload_json.empty() && !nlohmann::json::accept(d.payload_json)) {
      return InvalidArgument(
          fmt::format("decision {} ({}): payload_json is not valid JSON", i, d.kind));
    }
    JO_RETURN_IF_ERROR(
        RunWith(st, {run_id, step, i, d.kind, d.criterion, d.summary, d.payload_json}));
  }
  return Status::Ok();
}

// Every row of one step; the caller's transaction makes it all or nothing.
Status StoreStep(Db& db, const std::string& run_id, const optim::StepRecord& s) {
  JO_RETURN_IF_ERROR(StoreStepRow(db, run_id, s));
  JO_RETURN_IF_ERROR(StorePrompt(db, s.incumbent_before, "incumbent_before"));
  JO_RETURN_IF_ERROR(StorePrompt(db, s.candidate, "candidate"));
  JO_RETURN_IF_ERROR(StorePrompt(db, s.incumbent_after, "incumbent_after"));
  if (s.test_eval) JO_RETURN_IF_ERROR(StoreEvaluation(db, run_id, s.step, *s.test_eval));
  JO_RETURN_IF_ERROR(StorePredictions(db, run_id, s.step, "batch", s.batch_predictions));
  JO_RETURN_IF_ERROR(StoreTexts(db, "losses", run_id, s.step, s.losses));
  JO_RETURN_IF_ERROR(StoreTexts(db, "gradients", run_id, s.step, s.gradients));
  JO_RETURN_IF_ERROR(StoreOptimizerCalls(db, run_id, s.step, s.optimizer_calls));
  JO_RETURN_IF_ERROR(StoreDecisions(db, run_id, s.step, s.decisions));
  return StoreCalls(db, run_id, s.step, s.calls);
}

Status InsertRun(Db& db, const optim::RunInfo& info) {
  JO_ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT INTO runs VALUES "
                                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', '', ?)"));
  const std::string roles = run_rows::RolesToText(info.simulated_roles);
  return RunWith(st, {info.run_id, info.group_id, info.config_json, info.code_version,
                      info.dataset, info.mode, info.algorithm,
                      run_rows::StringsToJson(info.criteria), info.steps, info.simulated,
                      roles});
}

// Keeps the run's label current: the roles of the step's calls that got simulated replies join
// the run's simulated_roles (docs/simulator.md, "The SIMULATED label").
Status UpdateSimulated(Db& db, optim::RunInfo info, const std::vector<optim::CallRecord>& calls) {
  if (!optim::AddSimulatedRoles(calls, info)) return Status::Ok();
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("UPDATE runs SET simulated = ?, simulated_roles = ? WHERE id = ?"));
  return RunWith(st, {info.simulated, run_rows::RolesToText(info.simulated_roles), info.run_id});
}

}  // namespace

Result<std::unique_ptr<RunStore>> RunStore::Open(const std::string& path,
                                                 const OpenOptions& options) {
  if (options.read_only) return InvalidArgument("run store " + path + ": opened read-only");
  JO_ASSIGN_OR_RETURN(Db db, OpenRunsDb(path, options));
  return std::unique_ptr<RunStore>(new RunStore(std::move(db)));
}

Result<std::unique_ptr<RunStore>> RunStore::OpenInWorkspace(const Workspace& workspace) {
  JO_RETURN_IF_ERROR(workspace.EnsureStateDir());
  return Open(workspace.RunsPath().string());
}

Status RunStore::BeginRun(const optim::RunInfo& info) {
  if (info.run_id.empty()) return InvalidArgument("run store: run_id is empty");
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> known,
                      run_rows::LoadRun(db_, info.run_id));
  if (!known) {
    JO_RETURN_IF_ERROR(InsertRun(db_, info));
    return tx.Commit();
  }
  if (Status same = optim::CheckSameResults(known->info.config_json, info.config_json);
      !same.ok()) {
    return InvalidArgument(fmt::format("run {}: already recorded in {}, and {}; use another run id",
                                       info.run_id, path(), same.error().message));
  }
  if (known->status != "failed") return tx.Commit();
  JO_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("UPDATE runs SET status = 'running', message = '' WHERE id = ?"));
  JO_RETURN_IF_ERROR(RunWith(st, {info.run_id}));
  return tx.Commit();
}

Result<std::optional<optim::RunCheckpoint>> RunStore::LoadCheckpoint(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mu_);
  // A read transaction: the checkpoint comes from one snapshot even while others write.
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db_, run_id));
  if (!run) return std::optional<optim::RunCheckpoint>();
  optim::RunCheckpoint cp;
  cp.status = run->status;
  JO_ASSIGN_OR_RETURN(std::vector<int> steps, run_rows::StepNumbers(db_, run_id));
  if (!steps.empty()) {
    JO_ASSIGN_OR_RETURN(std::optional<optim::StepRecord> last,
                        run_rows::LoadStep(db_, run_id, steps.back()));
    cp.last_step = last->step;
    cp.incumbent = last->incumbent_after;
    cp.carried_gate_score = last->carried_gate_score;
  }
  JO_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT MAX(step) FROM evaluations WHERE "
                                                "run_id = ? AND split = 'test'"));
  JO_RETURN_IF_ERROR(BindAll(st, {run_id}));
  JO_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row && !st.ColumnIsNull(0)) {
    const int step = static_cast<int>(st.ColumnInt64(0));
    JO_ASSIGN_OR_RETURN(cp.last_test_eval, run_rows::LoadEvaluation(db_, run_id, step, "test"));
    cp.last_test_eval_step = step;
  }
  JO_RETURN_IF_ERROR(tx.Commit());
  return std::optional<optim::RunCheckpoint>(std::move(cp));
}

Status RunStore::RecordStep(const std::string& run_id, const optim::StepRecord& step) {
  const std::string where = fmt::format("run {} step {}", run_id, step.step);
  if (step.step < 0) return InvalidArgument(where + ": the step number is negative");
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db_, run_id));
  if (!run) return NotFound(fmt::format("run {}: not begun in {}", run_id, path()));
  JO_ASSIGN_OR_RETURN(Statement has, db_.Prepare("SELECT 1 FROM steps WHERE run_id = ? AND "
                                                 "step = ?"));
  JO_RETURN_IF_ERROR(BindAll(has, {run_id, step.step}));
  JO_ASSIGN_OR_RETURN(bool exists, has.Step());
  if (exists) return InvalidArgument(where + ": already stored in " + path());
  Status stored = StoreStep(db_, run_id, step);
  if (stored.ok()) stored = UpdateSimulated(db_, run->info, step.calls);
  if (!stored.ok()) return stored.error().WithContext(where);
  return tx.Commit();
}

Result<std::optional<optim::RunInfo>> RunStore::LoadInfo(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db_, run_id));
  if (!run) return std::optional<optim::RunInfo>();
  return std::optional<optim::RunInfo>(std::move(run->info));
}

Result<std::optional<optim::EvaluationRecord>> RunStore::FindEvaluation(
    const std::string& prompt_fingerprint, const std::string& split,
    const std::string& settings_key) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("SELECT e.run_id, e.step FROM evaluations e "
                                  "JOIN runs r ON r.id = e.run_id "
                                  "WHERE e.prompt_fingerprint = ? AND e.split = ? AND "
                                  "e.settings_key = ? "
                                  "ORDER BY e.reused_from_step IS NOT NULL, r.rowid, e.step "
                                  "LIMIT 1"));
  JO_RETURN_IF_ERROR(BindAll(st, {prompt_fingerprint, split, settings_key}));
  JO_ASSIGN_OR_RETURN(bool row, st.Step());
  std::optional<optim::EvaluationRecord> out;
  if (row) {
    JO_ASSIGN_OR_RETURN(out, run_rows::LoadEvaluation(db_, st.ColumnText(0),
                                                      static_cast<int>(st.ColumnInt64(1)), split));
  }
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status RunStore::FinishRun(const std::string& run_id, const std::string& status,
                           const std::string& message) {
  if (status != "finished" && status != "failed") {
    return InvalidArgument(
        fmt::format("run {}: status '{}' is not 'finished' or 'failed'", run_id, status));
  }
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("UPDATE runs SET status = ?, message = ? WHERE id = ?"));
  JO_RETURN_IF_ERROR(RunWith(st, {status, message, run_id}));
  if (db_.Changes() == 0) return NotFound(fmt::format("run {}: not begun in {}", run_id, path()));
  return Status::Ok();
}

Result<std::optional<optim::StepRecord>> RunStore::LoadStep(const std::string& run_id, int step) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(std::optional<optim::StepRecord> out, run_rows::LoadStep(db_, run_id, step));
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace judgeopt::store
