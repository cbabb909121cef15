#pragma once
// What `judgeopt report` is built from: plain values read from the run store (report_source.h)
// or made by tests. Nothing here touches SQLite (the usage counts are plain llm::UsageTally
// values); the model (report_model.h) is a pure function of a ReportInput.

#include <cstdint>
#include <string>
#include <vector>

#include "judgeopt/experiments/analysis_records.h"
#include "judgeopt/llm/usage_tally.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::report {

/// One test evaluation of a run: the metric rows of the run's criteria (an "average" row, when
/// present, is ignored: the model averages itself). Plain value.
struct EvaluatedStep {
  int step = 0;
  std::vector<optim::MetricRow> metrics;
};

/// LLM usage summed over a run (or a configuration), every role together. Plain value.
using UsageTotals = llm::UsageTally;

/// One run as the report sees it. Plain value.
struct ReportRun {
  optim::RunInfo info;
  std::string status;                      // "running", "finished", "failed"
  std::string gate = "none";               // the resolved config's gate.metric
  int64_t seed = 0;                        // the resolved config's optimize.seed
  std::vector<EvaluatedStep> evaluations;  // test split, ascending step
  UsageTotals usage;
  /// The run's "conflict_matrix" decisions (docs/results-schema.md), in step order; empty for
  /// runs that stored none.
  std::vector<optim::DecisionRecord> conflict_matrices;
};

/// Everything a report is built from. Diagnostics and cherry-picks may be empty (the report then
/// says that none were recorded). Plain value.
struct ReportInput {
  std::vector<ReportRun> runs;
  std::vector<experiments::DiagnosticRow> diagnostics;     // of the selected runs
  std::vector<experiments::CherrypickResult> cherrypicks;  // built from the selected runs
};

}  // namespace judgeopt::report
