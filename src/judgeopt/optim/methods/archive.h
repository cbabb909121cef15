#pragma once
// The Pareto archive of a run (docs/methods.md): every prompt a run with a conflict-aware option
// (RecordsArchive) scores on the validation
// examples (the gate's incumbent and candidate; MGDA's candidates under mgda_eval "validation")
// is recorded as an "archive" decision with its per-criterion scores (ScoringMetric,
// direction-normalized: larger is better). With method.select other than "last", the last step
// chooses the run's final prompt from the archive of every step:
//   best-mean  the highest mean over criteria;
//   max-min    the highest smallest criterion score (ties: higher mean);
//   knee       among the non-dominated points, the one closest (Euclidean) to the ideal point
//              after min-max normalizing each criterion over the non-dominated set (a criterion
//              on which they all agree normalizes to 1) (ties: higher mean).
// Remaining ties go to the point archived first. A prompt scored several times (the incumbent
// is rescored every step) is one point: the mean of its scores per criterion. Only points with
// a score for every criterion take part. The hypervolume of the non-dominated set is stored
// with the choice, against the reference point of the metric's worst values: -(scale max -
// scale min) for "mae", 0 for "off_by_one", -1 for "spearman".

#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// True when a run keeps the archive: any conflict-aware method option or the noise-aware gate
/// is set (plain runs record no decisions, as before these methods existed).
bool RecordsArchive(const OptimizeConfig& config);

/// The "archive" decision of `prompt` scored on validation: payload {"fingerprint", "prompt"
/// (its stored JSON), "scores": {criterion: value or null}, "source"}; `scores` aligned with
/// `criteria`. `source` names who scored it: "gate/incumbent", "gate/candidate",
/// "mgda/<candidate label>".
DecisionRecord ArchiveDecision(const std::vector<std::string>& criteria,
                               const judge::JudgePrompt& prompt,
                               const std::vector<std::optional<double>>& scores,
                               const std::string& source);

/// One prompt of the archive. Plain value.
struct ArchivePoint {
  std::string fingerprint;
  std::string prompt_json;
  std::vector<double> scores;  // per criterion: the mean over the times it was scored
  int times = 0;               // archive decisions merged into this point
  int first_step = 0;
  std::string first_source;
};

/// The archive of `steps` (their "archive" decisions in step, then decision order): one point
/// per fingerprint in order of first appearance, criteria in `criteria` order. A point lacking a
/// score for some criterion is left out and counted in `incomplete`. Fails on a malformed
/// payload (naming the step).
Result<std::vector<ArchivePoint>> CollectArchive(const std::vector<const StepRecord*>& steps,
                                                 const std::vector<std::string>& criteria,
                                                 int* incomplete = nullptr);

/// The index of the chosen point under `rule` (best-mean, max-min, knee); nullopt for an empty
/// set or kLast (which keeps the last incumbent instead of choosing).
std::optional<std::size_t> SelectPoint(const std::vector<std::vector<double>>& points,
                                       FinalSelect rule);

/// The hypervolume reference point of ctx's criteria under `metric` (see above).
std::vector<double> ArchiveReference(const RunContext& ctx, GateMetric metric);

/// At the run's last step (step == config.steps) with method.select other than "last": loads
/// steps 1..step-1 from `recorder`, chooses from their archive and `record`'s, appends a "select"
/// decision (payload {"rule", "metric", "points", "incomplete", "front": [fingerprints],
/// "reference", "hypervolume", "chosen": {"fingerprint", "scores", "first_step", "source"},
/// "previous"}) and sets `incumbent` to the chosen prompt. Does nothing otherwise, or (beyond
/// the decision) when the archive has no complete point.
Status SelectFinalPrompt(RunContext& ctx, RunRecorder& recorder, int step,
                         judge::JudgePrompt& incumbent, StepRecord& record);

}  // namespace judgeopt::optim
