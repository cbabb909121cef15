// Reading stored runs, steps and evaluations back into the optim:: records.

#include <fmt/format.h>

#include "judgeopt/base/strings.h"
#include "judgeopt/store/run_store_rows.h"

namespace judgeopt::store::run_rows {
namespace {

Result<optim::PromptRecord> LoadPrompt(Db& db, const std::string& fingerprint) {
  optim::PromptRecord p;
  p.fingerprint = fingerprint;
  if (fingerprint.empty()) return p;
  JO_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT json FROM prompts WHERE fingerprint = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {fingerprint}));
  JO_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) {
    return NotFound(fmt::format("run store {}: prompt {} is referenced but not stored", db.path(),
                                fingerprint));
  }
  p.json = s.ColumnText(0);
  return p;
}

Result<std::vector<optim::PredictionRecord>> LoadPredictions(Db& db, const std::string& run_id,
                                                             int step, const std::string& split) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT position, example_id, values_json, raw_reply, error "
                                 "FROM predictions WHERE run_id = ? AND step = ? AND split = ? "
                                 "ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step, split}));
  std::vector<optim::PredictionRecord> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    optim::PredictionRecord p;
    p.position = static_cast<std::size_t>(s.ColumnInt64(0));
    p.example_id = s.ColumnText(1);
    JO_ASSIGN_OR_RETURN(p.values, ValuesFromJson(s.ColumnText(2), "predictions.values_json"));
    p.raw_reply = s.ColumnText(3);
    p.error = s.ColumnText(4);
    out.push_back(std::move(p));
  }
}

}  // namespace

Result<std::vector<optim::MetricRow>> LoadMetrics(Db& db, const std::string& run_id, int step,
                                                  const std::string& split) {
  JO_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT criterion, spearman, kendall, pearson, mae, "
                                              "off_by_one, accuracy, n, missing "
                                              "FROM evaluation_metrics WHERE run_id = ? AND "
                                              "step = ? AND split = ? ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step, split}));
  std::vector<optim::MetricRow> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    optim::MetricRow m;
    m.criterion = s.ColumnText(0);
    m.spearman = OptionalDouble(s, 1);
    m.kendall = OptionalDouble(s, 2);
    m.pearson = OptionalDouble(s, 3);
    m.mae = OptionalDouble(s, 4);
    m.off_by_one = OptionalDouble(s, 5);
    m.accuracy = OptionalDouble(s, 6);
    m.n = s.ColumnInt64(7);
    m.missing = s.ColumnInt64(8);
    out.push_back(std::move(m));
  }
}

namespace {

Result<std::vector<optim::SampleText>> LoadTexts(Db& db, const char* table,
                                                 const std::string& run_id, int step) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare(fmt::format("SELECT criterion, sample, text FROM {} WHERE "
                                             "run_id = ? AND step = ? ORDER BY ordinal",
                                             table)));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  std::vector<optim::SampleText> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({s.ColumnText(0), static_cast<int>(s.ColumnInt64(1)), s.ColumnText(2)});
  }
}

Result<std::vector<optim::OptimizerCallRecord>> LoadOptimizerCalls(Db& db,
                                                                   const std::string& run_id,
                                                                   int step) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT criterion, candidate, meta_prompt, raw_reply, "
                                 "parsed_json, error FROM optimizer_calls WHERE run_id = ? AND "
                                 "step = ? ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  std::vector<optim::OptimizerCallRecord> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({s.ColumnText(0), static_cast<int>(s.ColumnInt64(1)), s.ColumnText(2),
                   s.ColumnText(3), s.ColumnText(4), s.ColumnText(5)});
  }
}

Result<std::vector<optim::CallRecord>> LoadCalls(Db& db, const std::string& run_id, int step) {
  JO_ASSIGN_OR_RETURN(const std::string finish, ColumnOr(db, "calls", "finish_reason", "''"));
  JO_ASSIGN_OR_RETURN(const std::string simulated, ColumnOr(db, "calls", "simulated", "0"));
  JO_ASSIGN_OR_RETURN(const std::string details, UsageDetailColumns(db));
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT call_step, stage, role, request_hash, tag, latency_ms, "
                                 "prompt_tokens, completion_tokens, cost_usd, attempts, "
                                 "cache_hit, error, " + finish + ", " + simulated + ", " +
                                 details +
                                 " FROM calls WHERE run_id = ? AND step = ? ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  std::vector<optim::CallRecord> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    optim::CallRecord c;
    c.step = static_cast<int>(s.ColumnInt64(0));
    c.stage = s.ColumnText(1);
    c.role = s.ColumnText(2);
    c.request_hash = s.ColumnText(3);
    c.tag = s.ColumnText(4);
    c.latency_ms = s.ColumnDouble(5);
    c.prompt_tokens = s.ColumnInt64(6);
    c.completion_tokens = s.ColumnInt64(7);
    c.cost_usd = s.ColumnDouble(8);
    c.attempts = static_cast<int>(s.ColumnInt64(9));
    c.cache_hit = s.ColumnInt64(10) != 0;
    c.error = s.ColumnText(11);
    c.finish_reason = s.ColumnText(12);
    c.simulated = s.ColumnInt64(13) != 0;
    c.total_tokens = s.ColumnInt64(14);
    c.cached_tokens = s.ColumnInt64(15);
    c.reasoning_tokens = s.ColumnInt64(16);
    out.push_back(std::move(c));
  }
}

}  // namespace

Result<bool> HasTable(Db& db, const std::string& table) {
  JO_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                              "AND name = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {table}));
  return s.Step();
}

Result<bool> HasColumn(Db& db, const std::string& table, const std::string& column) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {table, column}));
  return s.Step();
}

Result<std::string> ColumnOr(Db& db, const std::string& table, const std::string& column,
                             std::string_view fallback) {
  JO_ASSIGN_OR_RETURN(bool has, HasColumn(db, table, column));
  return has ? column : std::string(fallback) + " AS " + column;
}

Result<std::string> UsageDetailColumns(Db& db) {
  JO_ASSIGN_OR_RETURN(std::string total,
                      ColumnOr(db, "calls", "total_tokens", "prompt_tokens + completion_tokens"));
  JO_ASSIGN_OR_RETURN(std::string cached, ColumnOr(db, "calls", "cached_tokens", "0"));
  JO_ASSIGN_OR_RETURN(std::string reasoning, ColumnOr(db, "calls", "reasoning_tokens", "0"));
  return total + ", " + cached + ", " + reasoning;
}

std::string RolesToText(const std::vector<std::string>& roles) { return Join(roles, ","); }

std::vector<std::string> RolesFromText(const std::string& text) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) out.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

Result<std::vector<optim::DecisionRecord>> LoadDecisions(Db& db, const std::string& run_id,
                                                         int step) {
  std::vector<optim::DecisionRecord> out;
  JO_ASSIGN_OR_RETURN(bool has_table, HasTable(db, "step_decisions"));
  if (!has_table) return out;  // a schema-2 file, opened by a reader
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT kind, criterion, summary, payload_json FROM "
                                 "step_decisions WHERE run_id = ? AND step = ? ORDER BY ordinal"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3)});
  }
}

Result<bool> LoadStepRow(Db& db, const std::string& run_id, int step, optim::StepRecord& out) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT batch_json, incumbent_before, candidate, "
                                 "incumbent_after, accepted, gate_metric, gate_skipped, "
                                 "gate_incumbent_score, gate_candidate_score, "
                                 "candidate_batch_scores_json, chosen_candidate, "
                                 "carried_gate_score FROM steps WHERE run_id = ? AND step = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step}));
  JO_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return false;
  out.step = step;
  JO_ASSIGN_OR_RETURN(out.batch_positions, PositionsFromJson(s.ColumnText(0), "steps.batch_json"));
  JO_ASSIGN_OR_RETURN(out.incumbent_before, LoadPrompt(db, s.ColumnText(1)));
  JO_ASSIGN_OR_RETURN(out.candidate, LoadPrompt(db, s.ColumnText(2)));
  JO_ASSIGN_OR_RETURN(out.incumbent_after, LoadPrompt(db, s.ColumnText(3)));
  out.gate.accepted = s.ColumnInt64(4) != 0;
  out.gate.metric = s.ColumnText(5);
  out.gate.skipped = s.ColumnInt64(6) != 0;
  out.gate.incumbent_score = OptionalDouble(s, 7);
  out.gate.candidate_score = OptionalDouble(s, 8);
  JO_ASSIGN_OR_RETURN(out.gate.candidate_batch_scores,
                      DoublesFromJson(s.ColumnText(9), "steps.candidate_batch_scores_json"));
  out.gate.chosen_candidate = static_cast<int>(s.ColumnInt64(10));
  out.carried_gate_score = OptionalDouble(s, 11);
  return true;
}

Result<std::optional<StoredRun>> LoadRun(Db& db, const std::string& run_id) {
  JO_ASSIGN_OR_RETURN(const std::string roles, ColumnOr(db, "runs", "simulated_roles", "''"));
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT group_id, config_json, code_version, dataset, mode, "
                                 "algorithm, criteria_json, steps, simulated, status, message, " +
                                 roles + " FROM runs WHERE id = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id}));
  JO_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<StoredRun>();
  StoredRun r;
  r.info.run_id = run_id;
  r.info.group_id = s.ColumnText(0);
  r.info.config_json = s.ColumnText(1);
  r.info.code_version = s.ColumnText(2);
  r.info.dataset = s.ColumnText(3);
  r.info.mode = s.ColumnText(4);
  r.info.algorithm = s.ColumnText(5);
  JO_ASSIGN_OR_RETURN(r.info.criteria, StringsFromJson(s.ColumnText(6), "runs.criteria_json"));
  r.info.steps = static_cast<int>(s.ColumnInt64(7));
  r.info.simulated = s.ColumnInt64(8) != 0;
  r.status = s.ColumnText(9);
  r.message = s.ColumnText(10);
  r.info.simulated_roles = RolesFromText(s.ColumnText(11));
  return std::optional<StoredRun>(std::move(r));
}

Result<std::vector<std::string>> RunIds(Db& db) {
  JO_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT id FROM runs ORDER BY rowid"));
  std::vector<std::string> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(s.ColumnText(0));
  }
}

Result<std::vector<int>> StepNumbers(Db& db, const std::string& run_id) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT step FROM steps WHERE run_id = ? ORDER BY step"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id}));
  std::vector<int> out;
  while (true) {
    JO_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(static_cast<int>(s.ColumnInt64(0)));
  }
}

Result<std::optional<optim::EvaluationRecord>> LoadEvaluation(Db& db, const std::string& run_id,
                                                              int step, const std::string& split) {
  JO_ASSIGN_OR_RETURN(Statement s,
                      db.Prepare("SELECT prompt_fingerprint, settings_key, reused_from_step "
                                 "FROM evaluations WHERE run_id = ? AND step = ? AND split = ?"));
  JO_RETURN_IF_ERROR(BindAll(s, {run_id, step, split}));
  JO_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<optim::EvaluationRecord>();
  optim::EvaluationRecord e;
  e.split = split;
  e.prompt_fingerprint = s.ColumnText(0);
  e.settings_key = s.ColumnText(1);
  e.reused_from_step = OptionalInt(s, 2);
  JO_ASSIGN_OR_RETURN(e.metrics, LoadMetrics(db, run_id, step, split));
  JO_ASSIGN_OR_RETURN(e.predictions, LoadPredictions(db, run_id, step, split));
  return std::optional<optim::EvaluationRecord>(std::move(e));
}

Result<std::optional<optim::StepRecord>> LoadStep(Db& db, const std::string& run_id, int step) {
  optim::StepRecord out;
  JO_ASSIGN_OR_RETURN(bool found, LoadStepRow(db, run_id, step, out));
  if (!found) return std::optional<optim::StepRecord>();
  JO_ASSIGN_OR_RETURN(out.batch_predictions, LoadPredictions(db, run_id, step, "batch"));
  JO_ASSIGN_OR_RETURN(out.losses, LoadTexts(db, "losses", run_id, step));
  JO_ASSIGN_OR_RETURN(out.gradients, LoadTexts(db, "gradients", run_id, step));
  JO_ASSIGN_OR_RETURN(out.optimizer_calls, LoadOptimizerCalls(db, run_id, step));
  JO_ASSIGN_OR_RETURN(Statement split, db.Prepare("SELECT split FROM evaluations WHERE "
                                                  "run_id = ? AND step = ? ORDER BY split"));
  JO_RETURN_IF_ERROR(BindAll(split, {run_id, step}));
  JO_ASSIGN_OR_RETURN(bool has_eval, split.Step());
  if (has_eval) {
    JO_ASSIGN_OR_RETURN(out.test_eval, LoadEvaluation(db, run_id, step, split.ColumnText(0)));
  }
  JO_ASSIGN_OR_RETURN(out.decisions, LoadDecisions(db, run_id, step));
  JO_ASSIGN_OR_RETURN(out.calls, LoadCalls(db, run_id, step));
  return std::optional<optim::StepRecord>(std::move(out));
}

}  // namespace judgeopt::store::run_rows
