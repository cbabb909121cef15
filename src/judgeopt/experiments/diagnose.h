#pragma once
// The two diagnostics of recorded runs (reference-protocol §10.3-10.4, docs/diagnostics.md):
// gradient specificity (how focused a step's gradient text for a criterion is on that criterion)
// and feedback adherence (how well the step's candidate instruction follows that text). One
// diagnostic call per (run, step, criterion), all in one concurrent wave; scores 1-10, a reply
// without a valid score is a missing score (kept with its reply), not a failure. Also the
// summary tables (by mode, by mode and criterion, by step). Pure of storage: the caller reads the
// runs and keeps the rows (store/analysis_store.h).

#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "judgeopt/base/result.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/experiments/analysis_records.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::experiments {

/// Every diagnostic kind, in the order help lists them: kSpecificity, kAdherence. The one table
/// that `diagnose`'s help and check, IsDiagnosticKind and PlanDiagnostics read.
std::vector<std::string> DiagnosticKinds();

/// True for the kinds of DiagnosticKinds().
bool IsDiagnosticKind(const std::string& kind);

/// A recorded run as the diagnostics read it. Plain value.
struct DiagnosedRun {
  optim::RunInfo info;
  std::vector<optim::StepRecord> steps;  // as stored; step 0 (no gradient) is skipped
};

/// One diagnostic call to make. Plain value.
struct DiagnosticItem {
  std::string run_id;
  std::string mode;
  int step = 0;
  std::string criterion;
  std::string prompt;  // the diagnostic prompt (prompts/diagnostics.h)
};

/// (run_id, step, criterion) of a score already stored.
using DiagnosticKey = std::tuple<std::string, int, std::string>;

/// A stored prompt (judge::PromptToJsonText) as the JudgePrompt it was: its own preamble,
/// output-format switch and exactly the instructions it holds (a single-task run's prompt holds
/// one), in dataset order. Fails, naming the run and `what`, on bad JSON, an unknown criterion
/// or a fingerprint that does not match.
Result<judge::JudgePrompt> StoredPrompt(const optim::PromptRecord& record,
                                        const data::Dataset& dataset, const std::string& run_id,
                                        const std::string& what);

/// The text a criterion's diagnostics judge at one step: the gradients recorded under that
/// criterion and the joint ones ("*", what a Combined gradient stage writes for every
/// criterion: §10.3 scores that shared text once per criterion), in recorded order, joined by a
/// blank line.
std::string GradientTextFor(const optim::StepRecord& step, const std::string& criterion);

/// The calls of `kind` for `runs`, in run, step and criterion (prompt) order: one per
/// (run, step >= 1, run criterion) with a non-empty gradient text, not in `done`. Adherence also
/// needs the step's candidate (the pre-gate new instruction, so rejected candidates are scored
/// too) and incumbent_before; a step without one is skipped. `dataset` names every criterion in
/// the specificity prompt and reads the stored prompts; a stored prompt that does not parse is
/// an error naming the run and step.
Result<std::vector<DiagnosticItem>> PlanDiagnostics(const std::string& kind,
                                                    const std::vector<DiagnosedRun>& runs,
                                                    const data::Dataset& dataset,
                                                    const std::set<DiagnosticKey>& done);

/// How the diagnostic calls are made. Plain value.
struct DiagnosticCallSettings {
  llm::ChatRequest base;       // role, model, temperature, max_tokens, seed, extra body
  std::string endpoint_kind;   // for the request hash (llm::RequestKey)
};

/// What one diagnostic call gave: the row to store, or the call's error (nothing to store; a
/// rerun retries it). A reply without a valid score is a row with no score, not an error.
struct DiagnosticOutcome {
  std::optional<DiagnosticRow> row;
  std::optional<Error> error;  // "run <id> step <k> <criterion>: <why>"
};

/// Sends one request per item through `client` as one concurrent wave on `pool`; outcomes in
/// item order whatever the completion order.
std::vector<DiagnosticOutcome> ScoreDiagnostics(llm::LlmClient& client, WorkPool& pool,
                                                const std::string& kind,
                                                const std::vector<DiagnosticItem>& items,
                                                const DiagnosticCallSettings& settings);

/// Mean, sample standard deviation (n - 1; nullopt below two scores), scored count and missing
/// count of a set of diagnostic rows. Plain value.
struct ScoreStats {
  std::optional<double> mean;
  std::optional<double> stddev;
  int count = 0;
  int missing = 0;
};

/// The summaries of one kind's rows. Mode labels: "Single" for every "ST:<criterion>" run, the
/// run's mode otherwise; modes ordered Single, SSS, SSC, SCC, CCC, then others by name; criteria
/// in first-seen order. Plain value.
struct DiagnosticSummary {
  std::string kind;
  std::vector<std::string> modes;
  std::vector<std::string> criteria;
  std::vector<ScoreStats> by_mode;                    // aligned with modes
  std::vector<std::vector<ScoreStats>> by_criterion;  // [mode][criterion]
  std::vector<int> steps;                             // ascending
  std::vector<std::vector<ScoreStats>> by_step;       // [step][mode]
  /// The study's two groups (§10.3): separate gradients (Single, SSS, SSC) and combined
  /// gradients (SCC, CCC), means over the modes' means; the drop is 1 - combined / separate.
  std::optional<double> separate_mean;
  std::optional<double> combined_mean;
};

/// The mode label of a run mode ("ST:fluency" -> "Single").
std::string DiagnosticModeLabel(const std::string& run_mode);

/// Summarizes the rows of `kind` among `rows` (others are ignored).
DiagnosticSummary SummarizeDiagnostics(const std::vector<DiagnosticRow>& rows,
                                       const std::string& kind);

/// The three tables (and the group line) as text; "SIMULATED" in the title when `simulated`.
std::string RenderDiagnosticSummary(const DiagnosticSummary& summary, bool simulated);

/// The summary and the rows as JSON ({"kind", "simulated", "by_mode", "by_mode_criterion",
/// "by_step", "groups", "rows"}).
nlohmann::ordered_json DiagnosticSummaryToJson(const DiagnosticSummary& summary,
                                               const std::vector<DiagnosticRow>& rows,
                                               bool simulated);

}  // namespace judgeopt::experiments
