#pragma once
// Test helpers for the report: runs as plain ReportRun values, and tiny runs written through
// store::RunStore (test evaluations and calls only) so the report reads them back like any run.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cpp/data/temp_dir.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/report/report_input.h"
#include "judgeopt/store/analysis_store.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::report::testing {

using data::testing::TempDir;

/// One criterion's test Spearman and OffByOne.
struct Score {
  std::string criterion;
  std::optional<double> spearman;
  std::optional<double> off_by_one;
};

inline std::vector<optim::MetricRow> Rows(const std::vector<Score>& scores) {
  std::vector<optim::MetricRow> rows;
  for (const Score& s : scores) {
    optim::MetricRow r;
    r.criterion = s.criterion;
    r.spearman = s.spearman;
    r.off_by_one = s.off_by_one;
    r.n = 20;
    rows.push_back(r);
  }
  return rows;
}

inline std::string ConfigJson(const std::string& gate, int64_t seed) {
  return fmt::format(R"({{"optimize":{{"seed":{}}},"gate":{{"metric":"{}"}}}})", seed, gate);
}

/// A run of `mode` ("SSS", "ST:fluency", ...) with no evaluations yet.
inline ReportRun MakeRun(const std::string& id, const std::string& mode, const std::string& gate,
                         int64_t seed, std::vector<std::string> criteria,
                         const std::string& group = "") {
  ReportRun r;
  r.info.run_id = id;
  r.info.group_id = group.empty() ? id : group;
  r.info.config_json = ConfigJson(gate, seed);
  r.info.dataset = "summeval";
  r.info.mode = mode;
  r.info.algorithm = "textgrad";
  r.info.criteria = std::move(criteria);
  r.info.steps = 2;
  r.info.simulated = true;
  r.status = "finished";
  r.gate = gate;
  r.seed = seed;
  return r;
}

inline void AddEval(ReportRun& run, int step, const std::vector<Score>& scores) {
  run.evaluations.push_back({step, Rows(scores)});
}

/// Writes `run` (its info, evaluations as steps with test metrics plus an "average" row, and
/// `calls_per_step` calls of 0.001 dollars each; its conflict_matrices as decisions of its last
/// evaluated step) through a RunStore, then finishes it.
inline void StoreRun(store::RunStore& runs, const ReportRun& run, int calls_per_step = 3) {
  ASSERT_TRUE(runs.BeginRun(run.info).ok());
  for (const EvaluatedStep& e : run.evaluations) {
    optim::StepRecord s;
    s.step = e.step;
    s.incumbent_after = {fmt::format("fp-{}-{}", run.info.run_id, e.step), "{}"};
    s.gate.metric = run.gate;
    optim::EvaluationRecord eval;
    eval.split = "test";
    eval.prompt_fingerprint = s.incumbent_after.fingerprint;
    eval.settings_key = "k";
    eval.metrics = e.metrics;
    optim::MetricRow avg;
    avg.criterion = "average";
    eval.metrics.push_back(avg);
    s.test_eval = std::move(eval);
    if (&e == &run.evaluations.back()) s.decisions = run.conflict_matrices;
    for (int i = 0; i < calls_per_step; ++i) {
      optim::CallRecord c;
      c.step = e.step;
      c.stage = "eval";
      c.role = i == 0 ? "judge" : "gradient";
      c.request_hash = fmt::format("{}-{}-{}", run.info.run_id, e.step, i);
      c.prompt_tokens = 100;
      c.completion_tokens = 10;
      c.cost_usd = 0.001;
      c.cache_hit = i == 2;
      s.calls.push_back(c);
    }
    Status st = runs.RecordStep(run.info.run_id, s);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  ASSERT_TRUE(runs.FinishRun(run.info.run_id, run.status, "").ok());
}

/// A small study: SSS and CCC with gate mae (two seeds each), and one ST group of two criteria,
/// evaluated at steps 0..2.
inline std::vector<ReportRun> SmallStudy() {
  std::vector<ReportRun> runs;
  for (int seed : {1, 2}) {
    for (const char* mode : {"SSS", "CCC"}) {
      ReportRun r =
          MakeRun(fmt::format("{}-s{}", mode, seed), mode, "mae", seed, {"fluency", "coherence"});
      for (int step = 0; step <= 2; ++step) {
        const double base = 0.2 + 0.05 * step + 0.01 * seed + (mode[0] == 'C' ? 0.02 : 0);
        AddEval(r, step, {{"fluency", base, 0.6 + 0.01 * step}, {"coherence", base - 0.1, 0.5}});
      }
      runs.push_back(std::move(r));
    }
  }
  for (const char* c : {"fluency", "coherence"}) {
    ReportRun r =
        MakeRun(fmt::format("st-g1-{}", c), fmt::format("ST:{}", c), "mae", 1, {c}, "st-g1");
    for (int step = 0; step <= 2; ++step) AddEval(r, step, {{c, 0.3 + 0.02 * step, 0.7}});
    runs.push_back(std::move(r));
  }
  return runs;
}

/// An SPC run (gate mae, seed 1) on SmallStudy's criteria, evaluated at steps 0..2, with two
/// conflict_matrix decisions: fluency-coherence edit pairs agree 1 + 2, independent 2 + 1,
/// contradict 1 + 3 (share 4 / 10 in all).
inline ReportRun ConflictRun() {
  ReportRun r = MakeRun("SPC-s1", "SPC", "mae", 1, {"fluency", "coherence"});
  for (int step = 0; step <= 2; ++step) {
    AddEval(r, step, {{"fluency", 0.25 + 0.04 * step, 0.6}, {"coherence", 0.2 + 0.02 * step, 0.5}});
  }
  for (const auto& [agree, independent, contradict] : {std::tuple{1, 2, 1}, std::tuple{2, 1, 3}}) {
    r.conflict_matrices.push_back(
        {"conflict_matrix", "",
         fmt::format("{} contradict, {} agree, {} independent", contradict, agree, independent),
         fmt::format(R"({{"criteria":["fluency","coherence"],"pairs":[{{"a":"fluency",)"
                     R"("b":"coherence","agree":{},"independent":{},"contradict":{}}}]}})",
                     agree, independent, contradict)});
  }
  return r;
}

/// A cherry-pick made from SmallStudy's ST group: every criterion 0.3 initial, 0.35 alone and
/// 0.2 stitched.
inline experiments::CherrypickResult SampleCherrypick() {
  experiments::CherrypickResult r;
  r.id = "cp-1";
  r.dataset = "summeval";
  r.group_id = "st-g1";
  r.run_ids = {"st-g1-fluency", "st-g1-coherence"};
  r.pick_metric = "spearman";
  r.pick_split = "validation";
  r.pick_samples = 50;
  r.simulated = true;
  r.judge_model = "judgeopt-sim";
  r.initial_prompt = {"fp-initial", "{}"};
  r.stitched_prompt = {"fp-stitched", "{}"};
  for (const char* c : {"fluency", "coherence", "average"}) {
    experiments::CherrypickRow row;
    row.criterion = c;
    row.initial.spearman = 0.3;
    row.single.spearman = 0.35;
    row.stitched.spearman = 0.2;
    if (row.criterion != "average") {
      row.source_run_id = std::string("st-g1-") + c;
      row.source_step = 2;
      row.instruction = "Rate <strictly> & well";
      row.candidates.resize(3);
    }
    r.rows.push_back(row);
  }
  return r;
}

/// Specificity and adherence scores at step 1 of SmallStudy's SSS-s1 and CCC-s1 runs (both
/// criteria) and of st-g1-fluency: specificity 9 for per-criterion gradients, 4 for CCC.
inline std::vector<experiments::DiagnosticRow> SampleDiagnostics() {
  std::vector<experiments::DiagnosticRow> out;
  for (const char* kind : {experiments::kSpecificity, experiments::kAdherence}) {
    for (const char* run : {"SSS-s1", "CCC-s1", "st-g1-fluency"}) {
      for (const char* c : {"fluency", "coherence"}) {
        if (run[0] == 's' && std::string(c) != "fluency") continue;
        experiments::DiagnosticRow d;
        d.run_id = run;
        d.kind = kind;
        d.step = 1;
        d.criterion = c;
        d.score = std::string(kind) == experiments::kAdherence ? 8 : run[0] == 'C' ? 4 : 9;
        d.raw_reply = std::to_string(*d.score);
        d.request_hash = fmt::format("{}-{}-{}", kind, run, c);
        d.model = "judgeopt-sim";
        d.simulated = true;
        out.push_back(d);
      }
    }
  }
  return out;
}

/// Stores SampleDiagnostics and SampleCherrypick in the runs database at `path`.
inline void StoreAnalyses(const std::string& path) {
  auto analyses = store::AnalysisStore::Open(path);
  ASSERT_TRUE(analyses.ok()) << analyses.error().message;
  Status st = (*analyses)->SaveDiagnostics(SampleDiagnostics());
  ASSERT_TRUE(st.ok()) << st.error().message;
  st = (*analyses)->SaveCherrypick(SampleCherrypick());
  ASSERT_TRUE(st.ok()) << st.error().message;
}

}  // namespace judgeopt::report::testing
