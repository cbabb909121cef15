#include "judgeopt/store/analysis_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store {
namespace {

using nlohmann::ordered_json;
using run_rows::BindAll;
using run_rows::Cell;
using run_rows::OptionalDouble;
using run_rows::OptionalInt;
using run_rows::RunWith;

// True when `table` exists (a file of schema version 1 has no analysis tables).
Result<bool> HasTable(Db& db, const std::string& table) {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
  JO_RETURN_IF_ERROR(BindAll(st, {table}));
  return st.Step();
}

ordered_json OptionalJson(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

std::optional<double> OptionalFromJson(const ordered_json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

// --- evaluations kept for reuse, as one JSON document each ---

ordered_json MetricToJson(const optim::MetricRow& m) {
  return {{"criterion", m.criterion},
          {"spearman", OptionalJson(m.spearman)},
          {"kendall", OptionalJson(m.kendall)},
          {"pearson", OptionalJson(m.pearson)},
          {"mae", OptionalJson(m.mae)},
          {"off_by_one", OptionalJson(m.off_by_one)},
          {"accuracy", OptionalJson(m.accuracy)},
          {"n", m.n},
          {"missing", m.missing}};
}

optim::MetricRow MetricFromJson(const ordered_json& j) {
  optim::MetricRow m;
  m.criterion = j.at("criterion").get<std::string>();
  m.spearman = OptionalFromJson(j.at("spearman"));
  m.kendall = OptionalFromJson(j.at("kendall"));
  m.pearson = OptionalFromJson(j.at("pearson"));
  m.mae = OptionalFromJson(j.at("mae"));
  m.off_by_one = OptionalFromJson(j.at("off_by_one"));
  m.accuracy = OptionalFromJson(j.at("accuracy"));
  m.n = j.at("n").get<int64_t>();
  m.missing = j.at("missing").get<int64_t>();
  return m;
}

std::string EvaluationToJson(const optim::EvaluationRecord& e) {
  ordered_json metrics = ordered_json::array();
  for (const auto& m : e.metrics) metrics.push_back(MetricToJson(m));
  ordered_json preds = ordered_json::array();
  for (const auto& p : e.predictions) {
    ordered_json values = ordered_json::array();
    for (const auto& v : p.values) values.push_back(OptionalJson(v));
    preds.push_back({{"position", p.position},
                     {"example_id", p.example_id},
                     {"values", values},
                     {"raw_reply", p.raw_reply},
                     {"error", p.error}});
  }
  return ordered_json{{"metrics", metrics}, {"predictions", preds}}.dump();
}

Result<optim::EvaluationRecord> EvaluationFromJson(const std::string& text,
                                                   optim::EvaluationRecord base) {
  try {
    const ordered_json j = ordered_json::parse(text);
    for (const auto& m : j.at("metrics")) base.metrics.push_back(MetricFromJson(m));
    for (const auto& p : j.at("predictions")) {
      optim::PredictionRecord r;
      r.position = p.at("position").get<std::size_t>();
      r.example_id = p.at("example_id").get<std::string>();
      for (const auto& v : p.at("values")) r.values.push_back(OptionalFromJson(v));
      r.raw_reply = p.at("raw_reply").get<std::string>();
      r.error = p.at("error").get<std::string>();
      base.predictions.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return IoError(fmt::format("cherrypick_evaluations: stored evaluation of prompt {} on {}: {}",
                               base.prompt_fingerprint, base.split, e.what()));
  }
  return base;
}

// --- diagnostics ---

Status InsertDiagnostic(Statement& st, const DiagnosticRow& r) {
  return RunWith(st, {r.run_id, r.step, r.criterion, r.kind, r.score, r.raw_reply, r.request_hash,
                      r.model, r.simulated});
}

// Position of `criterion` in a run's criteria (unknown ones last).
std::size_t CriterionOrder(const std::vector<std::string>& criteria, const std::string& c) {
  return static_cast<std::size_t>(std::find(criteria.begin(), criteria.end(), c) -
                                  criteria.begin());
}

// --- cherry-picks ---

ordered_json CandidatesToJson(const std::vector<CherrypickCandidate>& cs) {
  ordered_json out = ordered_json::array();
  for (const auto& c : cs) {
    out.push_back({{"run_id", c.run_id},
                   {"step", c.step},
                   {"prompt_fingerprint", c.prompt_fingerprint},
                   {"score", OptionalJson(c.score)}});
  }
  return out;
}

Result<std::vector<CherrypickCandidate>> CandidatesFromJson(const std::string& text,
                                                            const std::string& id) {
  std::vector<CherrypickCandidate> out;
  try {
    for (const auto& j : ordered_json::parse(text)) {
      out.push_back({j.at("run_id").get<std::string>(), j.at("step").get<int>(),
                     j.at("prompt_fingerprint").get<std::string>(),
                     OptionalFromJson(j.at("score"))});
    }
  } catch (const std::exception& e) {
    return IoError(fmt::format("cherrypick {}: candidates_json: {}", id, e.what()));
  }
  return out;
}

Status StorePromptIfNew(Db& db, const optim::PromptRecord& p) {
  if (p.fingerprint.empty()) return Status::Ok();
  JO_ASSIGN_OR_RETURN(Statement st, db.Prepare("INSERT OR IGNORE INTO prompts VALUES (?, ?)"));
  return RunWith(st, {p.fingerprint, p.json});
}

Result<optim::PromptRecord> LoadPrompt(Db& db, const std::string& fingerprint) {
  optim::PromptRecord p{fingerprint, ""};
  if (fingerprint.empty()) return p;
  JO_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT json FROM prompts WHERE fingerprint = ?"));
  JO_RETURN_IF_ERROR(BindAll(st, {fingerprint}));
  JO_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) p.json = st.ColumnText(0);
  return p;
}

Status InsertCherrypickRow(Statement& st, const std::string& id, std::size_t ordinal,
                           const CherrypickRow& r) {
  const std::string candidates = CandidatesToJson(r.candidates).dump();
  const CherrypickValues& a = r.initial;
  const CherrypickValues& b = r.single;
  const CherrypickValues& c = r.stitched;
  return RunWith(st, {id,
                      ordinal,
                      r.criterion,
                      r.source_run_id,
                      r.source_step,
                      r.instruction,
                      r.pick_score,
                      a.spearman,
                      a.off_by_one,
                      a.mae,
                      a.n,
                      a.missing,
                      b.spearman,
                      b.off_by_one,
                      b.mae,
                      b.n,
                      b.missing,
                      c.spearman,
                      c.off_by_one,
                      c.mae,
                      c.n,
                      c.missing,
                      candidates});
}

Status StoreCherrypick(Db& db, const CherrypickResult& r) {
  JO_RETURN_IF_ERROR(StorePromptIfNew(db, r.initial_prompt));
  JO_RETURN_IF_ERROR(StorePromptIfNew(db, r.stitched_prompt));
  JO_ASSIGN_OR_RETURN(Statement del, db.Prepare("DELETE FROM cherrypick_rows WHERE "
                                                "cherrypick_id = ?"));
  JO_RETURN_IF_ERROR(RunWith(del, {r.id}));
  JO_ASSIGN_OR_RETURN(Statement del2, db.Prepare("DELETE FROM cherrypicks WHERE id = ?"));
  JO_RETURN_IF_ERROR(RunWith(del2, {r.id}));
  JO_ASSIGN_OR_RETURN(Statement head, db.Prepare("INSERT INTO cherrypicks VALUES "
                                                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  JO_RETURN_IF_ERROR(
      RunWith(head, {r.id, r.dataset, r.group_id, run_rows::StringsToJson(r.run_ids), r.pick_metric,
                     r.pick_split, r.pick_samples, r.simulated, r.judge_model,
                     r.initial_prompt.fingerprint, r.stitched_prompt.fingerprint}));
  JO_ASSIGN_OR_RETURN(Statement row,
                      db.Prepare("INSERT INTO cherrypick_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    JO_RETURN_IF_ERROR(InsertCherrypickRow(row, r.id, i, r.rows[i]));
  }
  return Status::Ok();
}

CherrypickValues ValuesAt(const Statement& st, int col) {
  CherrypickValues v;
  v.spearman = OptionalDouble(st, col);
  v.off_by_one = OptionalDouble(st, col + 1);
  v.mae = OptionalDouble(st, col + 2);
  v.n = st.ColumnInt64(col + 3);
  v.missing = st.ColumnInt64(col + 4);
  return v;
}

Result<std::vector<CherrypickRow>> LoadCherrypickRows(Db& db, const std::string& id) {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("SELECT criterion, source_run_id, source_step, instruction, "
                                 "pick_score, initial_spearman, initial_off_by_one, initial_mae, "
                                 "initial_n, initial_missing, single_spearman, single_off_by_one, "
                                 "single_mae, single_n, single_missing, stitched_spearman, "
                                 "stitched_off_by_one, stitched_mae, stitched_n, "
                                 "stitched_missing, candidates_json FROM cherrypick_rows "
                                 "WHERE cherrypick_id = ? ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(st, {id}));
  std::vector<CherrypickRow> rows;
  for (;;) {
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    CherrypickRow r;
    r.criterion = st.ColumnText(0);
    r.source_run_id = st.ColumnText(1);
    r.source_step = static_cast<int>(st.ColumnInt64(2));
    r.instruction = st.ColumnText(3);
    r.pick_score = OptionalDouble(st, 4);
    r.initial = ValuesAt(st, 5);
    r.single = ValuesAt(st, 10);
    r.stitched = ValuesAt(st, 15);
    JO_ASSIGN_OR_RETURN(r.candidates, CandidatesFromJson(st.ColumnText(20), id));
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<std::vector<CherrypickResult>> LoadCherrypicksWhere(Db& db, const std::string& id) {
  std::vector<CherrypickResult> out;
  JO_ASSIGN_OR_RETURN(bool has, HasTable(db, "cherrypicks"));
  if (!has) return out;
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("SELECT id, dataset, group_id, run_ids_json, pick_metric, "
                                 "pick_split, pick_samples, simulated, judge_model, "
                                 "initial_prompt, stitched_prompt FROM cherrypicks "
                                 "WHERE ? = '' OR id = ? ORDER BY rowid"));
  JO_RETURN_IF_ERROR(BindAll(st, {id, id}));
  for (;;) {
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    CherrypickResult r;
    r.id = st.ColumnText(0);
    r.dataset = st.ColumnText(1);
    r.group_id = st.ColumnText(2);
    JO_ASSIGN_OR_RETURN(r.run_ids,
                        run_rows::StringsFromJson(st.ColumnText(3), "cherrypicks.run_ids_json"));
    r.pick_metric = st.ColumnText(4);
    r.pick_split = st.ColumnText(5);
    r.pick_samples = static_cast<int>(st.ColumnInt64(6));
    r.simulated = st.ColumnInt64(7) != 0;
    r.judge_model = st.ColumnText(8);
    JO_ASSIGN_OR_RETURN(r.initial_prompt, LoadPrompt(db, st.ColumnText(9)));
    JO_ASSIGN_OR_RETURN(r.stitched_prompt, LoadPrompt(db, st.ColumnText(10)));
    JO_ASSIGN_OR_RETURN(r.rows, LoadCherrypickRows(db, r.id));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::vector<DiagnosticRow>> ListDiagnostics(Db& db, const std::vector<std::string>& run_ids,
                                                   const std::string& kind) {
  std::vector<DiagnosticRow> out;
  JO_ASSIGN_OR_RETURN(bool has, HasTable(db, "diagnostics"));
  if (!has) return out;
  std::vector<std::string> ids = run_ids;
  if (ids.empty()) {
    JO_ASSIGN_OR_RETURN(ids, run_rows::RunIds(db));
  }
  JO_ASSIGN_OR_RETURN(Statement st,
                      db.Prepare("SELECT step, criterion, kind, score, raw_reply, request_hash, "
                                 "model, simulated FROM diagnostics WHERE run_id = ? AND "
                                 "(? = '' OR kind = ?) ORDER BY kind, step"));
  for (const std::string& id : ids) {
    JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db, id));
    if (!run) return UnknownRunError(id, db.path());
    JO_RETURN_IF_ERROR(BindAll(st, {id, kind, kind}));
    std::vector<DiagnosticRow> rows;
    for (;;) {
      JO_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      DiagnosticRow r;
      r.run_id = id;
      r.mode = run->info.mode;
      r.step = static_cast<int>(st.ColumnInt64(0));
      r.criterion = st.ColumnText(1);
      r.kind = st.ColumnText(2);
      r.score = OptionalInt(st, 3);
      r.raw_reply = st.ColumnText(4);
      r.request_hash = st.ColumnText(5);
      r.model = st.ColumnText(6);
      r.simulated = st.ColumnInt64(7) != 0;
      rows.push_back(std::move(r));
    }
    const auto& criteria = run->info.criteria;
    std::stable_sort(rows.begin(), rows.end(), [&](const DiagnosticRow& a, const DiagnosticRow& b) {
      return std::make_tuple(a.kind, a.step, CriterionOrder(criteria, a.criterion), a.criterion) <
             std::make_tuple(b.kind, b.step, CriterionOrder(criteria, b.criterion), b.criterion);
    });
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

Result<std::vector<CherrypickResult>> ListCherrypicks(Db& db) {
  return LoadCherrypicksWhere(db, "");
}

Result<std::optional<CherrypickResult>> LoadCherrypick(Db& db, const std::string& id) {
  if (id.empty()) return std::optional<CherrypickResult>();
  JO_ASSIGN_OR_RETURN(auto found, LoadCherrypicksWhere(db, id));
  if (found.empty()) return std::optional<CherrypickResult>();
  return std::optional<CherrypickResult>(std::move(found.front()));
}

Result<std::unique_ptr<AnalysisStore>> AnalysisStore::Open(const std::string& path) {
  JO_ASSIGN_OR_RETURN(Db db, OpenRunsDb(path));
  JO_ASSIGN_OR_RETURN(std::unique_ptr<RunStore> runs, RunStore::Open(path));
  return std::unique_ptr<AnalysisStore>(new AnalysisStore(std::move(db), std::move(runs)));
}

Result<std::unique_ptr<AnalysisStore>> AnalysisStore::OpenInWorkspace(const Workspace& workspace) {
  JO_RETURN_IF_ERROR(workspace.EnsureStateDir());
  return Open(workspace.RunsPath().string());
}

Status AnalysisStore::SaveDiagnostics(const std::vector<DiagnosticRow>& rows) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  JO_ASSIGN_OR_RETURN(Statement has, db_.Prepare("SELECT 1 FROM diagnostics WHERE run_id = ? "
                                                 "AND step = ? AND criterion = ? AND kind = ?"));
  JO_ASSIGN_OR_RETURN(Statement put,
                      db_.Prepare("INSERT INTO diagnostics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const DiagnosticRow& r : rows) {
    JO_ASSIGN_OR_RETURN(std::optional<run_rows::StoredRun> run, run_rows::LoadRun(db_, r.run_id));
    if (!run) return UnknownRunError(r.run_id, path());
    JO_RETURN_IF_ERROR(BindAll(has, {r.run_id, r.step, r.criterion, r.kind}));
    JO_ASSIGN_OR_RETURN(bool exists, has.Step());
    if (exists) {
      return InvalidArgument(
          fmt::format("{} of run {} step {} criterion {} is already stored in {}", r.kind, r.run_id,
                      r.step, r.criterion, path()));
    }
    JO_RETURN_IF_ERROR(InsertDiagnostic(put, r));
  }
  return tx.Commit();
}

Result<std::vector<DiagnosticRow>> AnalysisStore::ListDiagnostics(
    const std::vector<std::string>& run_ids, const std::string& kind) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(auto rows, store::ListDiagnostics(db_, run_ids, kind));
  JO_RETURN_IF_ERROR(tx.Commit());
  return rows;
}

Status AnalysisStore::SaveCherrypick(const CherrypickResult& result) {
  if (result.id.empty()) return InvalidArgument("cherrypick result: id is empty");
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  Status stored = StoreCherrypick(db_, result);
  if (!stored.ok()) return stored.error().WithContext("cherrypick " + result.id);
  return tx.Commit();
}

Result<std::vector<CherrypickResult>> AnalysisStore::ListCherrypicks() {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(auto out, store::ListCherrypicks(db_));
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::optional<CherrypickResult>> AnalysisStore::LoadCherrypick(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_, Transaction::Mode::kDeferred));
  JO_ASSIGN_OR_RETURN(auto out, store::LoadCherrypick(db_, id));
  JO_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::optional<optim::EvaluationRecord>> AnalysisStore::FindEvaluation(
    const std::string& prompt_fingerprint, const std::string& split,
    const std::string& settings_key) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    JO_ASSIGN_OR_RETURN(Statement st,
                        db_.Prepare("SELECT record_json FROM cherrypick_evaluations WHERE "
                                    "prompt_fingerprint = ? AND split = ? AND settings_key = ?"));
    JO_RETURN_IF_ERROR(BindAll(st, {prompt_fingerprint, split, settings_key}));
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      optim::EvaluationRecord base;
      base.split = split;
      base.prompt_fingerprint = prompt_fingerprint;
      base.settings_key = settings_key;
      JO_ASSIGN_OR_RETURN(auto e, EvaluationFromJson(st.ColumnText(0), std::move(base)));
      return std::optional<optim::EvaluationRecord>(std::move(e));
    }
  }
  // Evaluations of any run: the run store's own lookup, on its own connection.
  return runs_->FindEvaluation(prompt_fingerprint, split, settings_key);
}

Status AnalysisStore::SaveEvaluation(const optim::EvaluationRecord& e) {
  if (e.split.empty() || e.prompt_fingerprint.empty()) {
    return InvalidArgument("cherrypick evaluation: split or prompt fingerprint is empty");
  }
  std::lock_guard<std::mutex> lock(mu_);
  JO_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT OR IGNORE INTO cherrypick_evaluations "
                                                "VALUES (?, ?, ?, ?)"));
  return RunWith(st, {e.prompt_fingerprint, e.split, e.settings_key, EvaluationToJson(e)});
}

}  // namespace judgeopt::store
