// The run store's schema (docs/results-schema.md) and opening a runs database.

#include <algorithm>
#include <chrono>
#include <thread>

#include "judgeopt/store/run_store.h"
#include "judgeopt/store/run_store_damage.h"

namespace judgeopt::store {
namespace {

// Version 1. Every table but runs and prompts is keyed by (run_id, step, ...) and ordered rows
// of one list keep their list index in `ordinal`, so a step reads back exactly as recorded.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE runs (
  id TEXT PRIMARY KEY NOT NULL,
  group_id TEXT NOT NULL,
  config_json TEXT NOT NULL,
  code_version TEXT NOT NULL,
  dataset TEXT NOT NULL,
  mode TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  criteria_json TEXT NOT NULL,
  steps INTEGER NOT NULL,
  simulated INTEGER NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE TABLE prompts (
  fingerprint TEXT PRIMARY KEY NOT NULL,
  json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE steps (
  run_id TEXT NOT NULL REFERENCES runs(id),
  step INTEGER NOT NULL,
  batch_json TEXT NOT NULL,
  incumbent_before TEXT NOT NULL,
  candidate TEXT NOT NULL,
  incumbent_after TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  gate_metric TEXT NOT NULL,
  gate_skipped INTEGER NOT NULL,
  gate_incumbent_score REAL,
  gate_candidate_score REAL,
  candidate_batch_scores_json TEXT NOT NULL,
  chosen_candidate INTEGER NOT NULL,
  carried_gate_score REAL,
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE predictions (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  split TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  position INTEGER NOT NULL,
  example_id TEXT NOT NULL,
  values_json TEXT NOT NULL,
  raw_reply TEXT NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (run_id, step, split, ordinal)
) WITHOUT ROWID;
CREATE TABLE losses (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  sample INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (run_id, step, ordinal)
) WITHOUT ROWID;
CREATE TABLE gradients (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  sample INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (run_id, step, ordinal)
) WITHOUT ROWID;
CREATE TABLE optimizer_calls (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  candidate INTEGER NOT NULL,
  meta_prompt TEXT NOT NULL,
  raw_reply TEXT NOT NULL,
  parsed_json TEXT NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (run_id, step, ordinal)
) WITHOUT ROWID;
CREATE TABLE evaluations (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  split TEXT NOT NULL,
  prompt_fingerprint TEXT NOT NULL,
  settings_key TEXT NOT NULL,
  reused_from_step INTEGER,
  PRIMARY KEY (run_id, step, split)
) WITHOUT ROWID;
CREATE INDEX evaluations_by_prompt ON evaluations (prompt_fingerprint, split, settings_key);
CREATE TABLE evaluation_metrics (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  split TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  spearman REAL,
  kendall REAL,
  pearson REAL,
  mae REAL,
  off_by_one REAL,
  accuracy REAL,
  n INTEGER NOT NULL,
  missing INTEGER NOT NULL,
  PRIMARY KEY (run_id, step, split, ordinal)
) WITHOUT ROWID;
CREATE TABLE calls (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  call_step INTEGER NOT NULL,
  stage TEXT NOT NULL,
  role TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  tag TEXT NOT NULL,
  latency_ms REAL NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  attempts INTEGER NOT NULL,
  cache_hit INTEGER NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (run_id, step, ordinal)
) WITHOUT ROWID;
)sql";

// Version 2: the analysis tables (store/analysis_store.h). Diagnostic scores keyed by
// (run, step, criterion, kind); cherry-pick results with one row per criterion (and "average");
// evaluations cherry-pick made outside any run, kept for reuse.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE diagnostics (
  run_id TEXT NOT NULL REFERENCES runs(id),
  step INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  kind TEXT NOT NULL,
  score INTEGER,
  raw_reply TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  simulated INTEGER NOT NULL,
  PRIMARY KEY (run_id, step, criterion, kind)
) WITHOUT ROWID;
CREATE TABLE cherrypicks (
  id TEXT PRIMARY KEY NOT NULL,
  dataset TEXT NOT NULL,
  group_id TEXT NOT NULL,
  run_ids_json TEXT NOT NULL,
  pick_metric TEXT NOT NULL,
  pick_split TEXT NOT NULL,
  pick_samples INTEGER NOT NULL,
  simulated INTEGER NOT NULL,
  judge_model TEXT NOT NULL,
  initial_prompt TEXT NOT NULL,
  stitched_prompt TEXT NOT NULL
);
CREATE TABLE cherrypick_rows (
  cherrypick_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  source_run_id TEXT NOT NULL,
  source_step INTEGER NOT NULL,
  instruction TEXT NOT NULL,
  pick_score REAL,
  initial_spearman REAL,
  initial_off_by_one REAL,
  initial_mae REAL,
  initial_n INTEGER NOT NULL,
  initial_missing INTEGER NOT NULL,
  single_spearman REAL,
  single_off_by_one REAL,
  single_mae REAL,
  single_n INTEGER NOT NULL,
  single_missing INTEGER NOT NULL,
  stitched_spearman REAL,
  stitched_off_by_one REAL,
  stitched_mae REAL,
  stitched_n INTEGER NOT NULL,
  stitched_missing INTEGER NOT NULL,
  candidates_json TEXT NOT NULL,
  PRIMARY KEY (cherrypick_id, ordinal)
) WITHOUT ROWID;
CREATE TABLE cherrypick_evaluations (
  prompt_fingerprint TEXT NOT NULL,
  split TEXT NOT NULL,
  settings_key TEXT NOT NULL,
  record_json TEXT NOT NULL,
  PRIMARY KEY (prompt_fingerprint, split, settings_key)
) WITHOUT ROWID;
)sql";

// Version 3: the decisions the conflict-aware methods took in each step (optim::DecisionRecord),
// in decision order. A step of a plain run has none.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE step_decisions (
  run_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL,
  criterion TEXT NOT NULL,
  summary TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  PRIMARY KEY (run_id, step, ordinal)
) WITHOUT ROWID;
)sql";

// Version 4: honest labels and reply outcomes. Every call keeps the reply's finish_reason and
// whether the reply came from judgeopt's simulator; a run keeps which roles got simulated replies
// (comma-separated role names, "" = none). Older rows read as "" and 0.
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE calls ADD COLUMN finish_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN simulated_roles TEXT NOT NULL DEFAULT '';
)sql";

// Version 5: the usage details of every call (issue 16): the server's total_tokens, the prompt
// tokens served from its prompt cache and the hidden reasoning tokens. Older rows get prompt +
// completion as their total and 0 cached and reasoning tokens.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE calls ADD COLUMN total_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
UPDATE calls SET total_tokens = prompt_tokens + completion_tokens;
)sql";

// SQLite's "busy" and "locked" failures, which another connection creating the file, switching
// it to WAL or migrating it can cause without waiting for the busy handler.
bool IsLockError(const Error& error) {
  const std::string& m = error.message;
  return m.find("database is locked") != std::string::npos ||
         m.find("database table is locked") != std::string::npos ||
         m.find("database schema is locked") != std::string::npos;
}

// A writer first checks the whole file, so that a damaged one is refused (with the runs that can
// still be exported) before any call is paid for, not at the first step's write.
Result<Db> OpenOnce(const std::string& path, const OpenOptions& options) {
  Result<Db> db = Db::Open(path, options);
  if (options.read_only) return db;
  Status st = db.ok() ? db->CheckIntact() : Status(db.error());
  if (st.ok()) st = db->Migrate(RunStoreMigrations());
  if (!st.ok()) return WithRunsDamageAdvice(st.error(), path);
  return db;
}

}  // namespace

const std::vector<Migration>& RunStoreMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3}, {4, kSchemaV4}, {5, kSchemaV5}};
  return kMigrations;
}

Result<Db> OpenRunsDb(const std::string& path, const OpenOptions& options) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  for (int attempt = 1;; ++attempt) {
    Result<Db> opened = OpenOnce(path, options);
    if (opened.ok() || !IsLockError(opened.error()) ||
        std::chrono::steady_clock::now() >= deadline) {
      return opened;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 50)));
  }
}

}  // namespace judgeopt::store
