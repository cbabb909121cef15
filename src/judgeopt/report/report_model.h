#pragma once
// The report's numbers: runs grouped into configurations (dataset x algorithm x mode x gate),
// the seeds of each configuration aggregated step by step (mean, sample std, min, max), the
// study's hypervolume series (reference-protocol §8.4, §9, §10.2), the diagnostics by
// configuration and mode, and the cherry-pick tables. A pure function of a ReportInput: no I/O,
// deterministic, independent of the order of the input runs.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/report/conflicts.h"
#include "judgeopt/report/report_input.h"

namespace judgeopt::report {

/// Mean, sample standard deviation (ddof = 1; 0 with one value), min and max of n values.
/// Plain value; n == 0 means "no value".
struct Spread {
  double mean = 0;
  double std = 0;
  double min = 0;
  double max = 0;
  int n = 0;
};

/// The Spread of `values` (all zero with n == 0 when empty).
Spread SpreadOf(const std::vector<double>& values);

/// One seed of a configuration: a multi-criterion run, or the single-task runs of one group
/// (one per criterion). Plain value.
struct Seed {
  std::string label;                 // "seed 3" (or the group id when seeds repeat)
  std::vector<std::string> run_ids;  // ascending
};

/// One evaluated step of a configuration, aggregated over the seeds that evaluated it.
/// Per-criterion vectors follow Configuration::criteria. Plain value.
struct StepStats {
  int step = 0;
  std::vector<Spread> spearman;    // per criterion
  std::vector<Spread> off_by_one;  // per criterion
  Spread avg_spearman;             // the per-seed criterion average, over seeds
  Spread avg_off_by_one;
  /// The cumulative hypervolume of the per-criterion means up to this step (§9); absent for
  /// single-task configurations, more than kMaxHypervolumeDims criteria, or a step where some
  /// criterion has no value.
  std::optional<double> hv_spearman;
  std::optional<double> hv_off_by_one;
};

/// One configuration: the runs that share dataset, algorithm, mode and gate. Plain value.
struct Configuration {
  std::string dataset;
  std::string algorithm;
  std::string mode;   // "SSS", ..., or "ST" (single-task runs, criteria combined)
  std::string gate;   // "none", "mae", "off_by_one", "spearman"
  std::string label;  // "SSS, gate mae" (with dataset and algorithm where the report has several)
  std::string id;     // file-name safe: "summeval-textgrad-sss-mae"
  bool simulated = false;             // any of its runs was answered by the simulator
  std::vector<std::string> criteria;  // in prompt order (ST: the order runs name them)
  std::vector<Seed> seeds;
  std::vector<StepStats> steps;  // ascending step
  int best = -1;                 // index into steps: highest mean average Spearman, first on ties
  UsageTotals usage;             // summed over its runs
  int unfinished_runs = 0;       // runs not "finished"
  /// PromptHypervolume of each of its runs that has one, over those runs (n == 0: none, e.g. ST).
  Spread prompt_hv;
  /// The conflict_matrix decisions of its runs summed over runs and steps; absent when none of
  /// its runs stored a readable one.
  std::optional<ConflictHeatmap> conflicts;

  bool HasHypervolume() const;
  const StepStats* Initial() const { return steps.empty() ? nullptr : &steps.front(); }
  const StepStats* Best() const { return best < 0 ? nullptr : &steps[best]; }
  const StepStats* Final() const { return steps.empty() ? nullptr : &steps.back(); }
};

/// A diagnostic's scores in one cell (a configuration or a mode). Plain value.
struct DiagnosticCell {
  std::string label;  // configuration label or mode
  std::string mode;
  std::string gate;                   // "" for a mode cell (pooled over gates)
  Spread overall;                     // over every valid score of the cell
  std::vector<Spread> per_criterion;  // follows DiagnosticSummary::criteria
  int invalid = 0;                    // replies without a valid score (excluded)
};

/// One diagnostic (specificity or adherence) of one dataset and algorithm. Plain value.
struct DiagnosticSummary {
  std::string kind;  // experiments::kSpecificity or kAdherence
  std::string dataset;
  std::string algorithm;
  bool simulated = false;
  std::vector<std::string> criteria;
  std::vector<DiagnosticCell> by_configuration;  // configuration order
  std::vector<DiagnosticCell> by_mode;           // mode order, pooled over gates
  /// Pooled scores of the modes whose gradient stage is per-criterion (ST, SSS, SSC) and of
  /// those that combine it (SCC, CCC); n == 0 when the group has none.
  Spread per_criterion_group;
  Spread combined_group;
  /// round((1 - combined / per-criterion) * 100) of the group means; absent unless both exist.
  std::optional<int> drop_percent;
};

/// One run's own numbers (the per-run table). Plain value.
struct RunSummary {
  std::string run_id;
  std::string configuration;  // the label of its configuration
  std::string dataset;
  std::string algorithm;
  std::string mode;  // as stored ("ST:<criterion>" for a single-task run)
  std::string gate;
  int64_t seed = 0;
  std::string status;
  bool simulated = false;
  UsageTotals usage;
  int final_step = -1;  // its last test evaluation (-1: none)
  /// Its test Spearman at final_step per dataset criterion (ReportModel::criteria of its
  /// dataset); nullopt for a criterion the run does not score. Undefined coefficients count 0.
  std::vector<std::optional<double>> final_spearman = {};
  std::optional<double> final_average = {};  // over the criteria it scores
  std::optional<double> hypervolume = {};    // PromptHypervolume
};

/// Everything the renderers draw. Plain value.
struct ReportModel {
  bool simulated = false;                     // any selected run was answered by the simulator
  std::vector<std::string> run_ids;           // the selected runs, ascending
  std::vector<std::string> datasets;          // ascending
  std::vector<Configuration> configurations;  // dataset, algorithm, mode, gate order
  /// Each dataset's criteria (the order of its widest multi-criterion run), by dataset.
  std::map<std::string, std::vector<std::string>> criteria;
  std::vector<RunSummary> runs;  // configuration order, then seed order, then run id
  std::vector<DiagnosticSummary> specificity;
  std::vector<DiagnosticSummary> adherence;
  std::vector<experiments::CherrypickResult> cherrypicks;  // ordered by id
};

/// The rank of a mode by its base (the label before any "+option"): ST, SSS, SSC, SCC, CCC, SPC,
/// MGDA, ROUTER, then any other. Configurations are ordered by rank, then base, then the whole
/// label, so "SSS" comes first and its variants ("SSS+nagate", "SSS+per-criterion") follow it
/// alphabetically; unknown labels come last, alphabetically, and are never dropped.
int ModeRank(const std::string& mode);
/// The label before the first '+' ("MGDA" for "MGDA+owned+best-mean").
std::string ModeBase(const std::string& mode);

/// The exact hypervolume (metrics::Hypervolume) of the points given by every test evaluation of
/// `run`: per run criterion, its Spearman (undefined counts 0) clipped below at 0; reference
/// point the origin. nullopt for runs with fewer than 2 or more than kMaxHypervolumeDims
/// criteria, or without a test evaluation.
std::optional<double> PromptHypervolume(const ReportRun& run);
/// The configuration key order of gates: none, mae, off_by_one, spearman, then others.
int GateRank(const std::string& gate);
/// Lower-case letters and digits of `text`, other runs of characters as one '-' (file names).
std::string FileSafeId(const std::string& text);
/// "ST" for "ST:<criterion>", else the mode as stored.
std::string ConfigurationMode(const std::string& run_mode);

/// The `kind` diagnostics of `input` summarized per dataset and algorithm, in the order of
/// `configurations` (rows of runs outside them are ignored). Empty when there are none.
std::vector<DiagnosticSummary> SummarizeDiagnostics(
    const std::vector<Configuration>& configurations, const ReportInput& input,
    const std::string& kind);

/// Builds the model. An empty input is an error ("no runs selected"); so is a run id that
/// appears twice. Runs without any test evaluation still count (their configuration has no
/// steps).
Result<ReportModel> BuildReportModel(const ReportInput& input);

}  // namespace judgeopt::report
