#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Where a report's input comes from: the command line's run selectors resolved against the run
// store, and the selected runs read into a ReportInput (store/run_reader.h; no model calls).

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/report/report_input.h"
#include "judgeopt/store/run_reader.h"

namespace judgeopt::report {

/// What a selector rule may look at: every stored run, and the runs database (for names kept
/// in other tables, such as grids). Plain view; valid during one SelectRuns call.
struct SelectorContext {
  const std::vector<store::RunListing>& runs;
  store::Db& db;
};

/// One way a selector argument can name runs: the ids it names (empty: no match). Plain value.
struct SelectorRule {
  const char* kind;  // "run", "group", ... (for messages)
  Result<std::vector<std::string>> (*match)(const std::string& arg, const SelectorContext& ctx);
};

/// The run whose id is `arg`.
Result<std::vector<std::string>> MatchRunId(const std::string& arg, const SelectorContext& ctx);
/// Every run whose group id is `arg` (the single-task runs of one configuration and seed).
Result<std::vector<std::string>> MatchGroupId(const std::string& arg, const SelectorContext& ctx);

/// Every begun run of the grid named `arg` (table grid_runs, written by `judgeopt grid`).
Result<std::vector<std::string>> MatchGridName(const std::string& arg, const SelectorContext& ctx);

/// The rules tried for each argument, in order: run id, group id, grid name. Another kind of
/// name is one more function here.
std::vector<SelectorRule> DefaultSelectorRules();

/// What the command line selected. Plain value.
struct RunSelection {
  std::vector<std::string> args;  // run ids, group ids, grid names
  bool all = false;               // --all: every stored run
};

/// The selected run ids in the store's order (the order runs were begun), each once. Each
/// argument goes to the first rule that matches it; an argument no rule matches is kNotFound
/// naming it; selecting nothing (no argument and no --all, or --all on an empty store) is
/// kInvalidArgument.
Result<std::vector<std::string>> SelectRuns(const SelectorContext& ctx,
                                            const RunSelection& selection,
                                            const std::vector<SelectorRule>& rules);

/// The decision kind whose payloads the report draws as conflict heatmaps.
inline constexpr const char* kConflictMatrixKind = "conflict_matrix";

/// A run as the report reads it: info, status, gate and seed from the resolved config (the
/// steps' gate when the config lacks it), every test evaluation's metrics, the usage totals and
/// the steps' conflict_matrix decisions.
/// A config that is not JSON is an error naming the run.
Result<ReportRun> ReportRunFrom(const store::RunDetail& detail);

/// Reads `run_ids` from `reader`, with the diagnostic scores of those runs and the cherry-pick
/// results made only from them (a store without the analysis tables gives none).
Result<ReportInput> LoadReportInput(store::RunReader& reader,
                                    const std::vector<std::string>& run_ids);

}  // namespace judgeopt::report
