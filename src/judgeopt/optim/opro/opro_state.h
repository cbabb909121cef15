#pragma once
// OPRO's memory across steps (reference-protocol §5): every prompt's score on the batch, the
// trajectory entries a step contributes, and how they are stored so that a resumed run rebuilds
// exactly the trajectory an uninterrupted one had.
//
// A prompt's batch score is, per criterion, the accuracy of its predictions on the batch (exact
// matches among the examples with a usable prediction), kept as the counts "accuracy 2/3" in the
// step's `losses` (sample -1: the current prompt; sample k: candidate k). An entry's ranking key
// is the mean of those accuracies over the criteria with a usable prediction. Candidate k's
// instructions are the current prompt's with those of optimizer call k's `parsed_json`. The
// live step and the resume both build entries from these stored fields, through the same
// functions, so both see the same numbers to the last bit.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/prompts/opro.h"

namespace judgeopt::optim {

/// The `losses` sample index of the current prompt's score (candidates use their index).
inline constexpr int kOproCurrentSample = -1;

/// One criterion's accuracy on a batch. Plain value.
struct CriterionHits {
  std::string criterion;
  int correct = 0;  // predictions equal to the gold value
  int n = 0;        // examples with a usable prediction
  bool operator==(const CriterionHits&) const = default;
};

/// Hits per run criterion (ctx.criteria order) of `predictions` of the examples at `positions`.
std::vector<CriterionHits> BatchHits(const RunContext& ctx,
                                     const std::vector<std::size_t>& positions,
                                     const std::vector<judge::Prediction>& predictions);

/// One SampleText per criterion ("accuracy <correct>/<n>") for `sample`, appended to `out`.
void AppendHits(std::vector<SampleText>& out, int sample, const std::vector<CriterionHits>& hits);

/// The hits of `sample` read back from `losses`, in `criteria` order; an error names what is
/// missing or malformed.
Result<std::vector<CriterionHits>> HitsOf(const std::vector<SampleText>& losses, int sample,
                                          const std::vector<std::string>& criteria);

/// The mean accuracy over the criteria with a usable prediction (0 when none has one).
double MeanAccuracy(const std::vector<CriterionHits>& hits);

/// `current` with the instructions of `parsed_json` (a JSON object criterion -> instruction); a
/// criterion it lacks keeps the current instruction. Without preserve_output_format (paper) the
/// output-format block is dropped, as the study's rewritten templates do (§15.1).
Result<judge::JudgePrompt> OproCandidatePrompt(const OptimizeConfig& config,
                                               const judge::JudgePrompt& current,
                                               const std::string& parsed_json);

/// The trajectory entry of `prompt` scored `hits` (`criteria` order).
prompts::OproEntry OproEntryOf(const judge::JudgePrompt& prompt,
                               const std::vector<std::string>& criteria,
                               const std::vector<CriterionHits>& hits);

/// The entry of the step's current prompt (`current` = the step's incumbent_before).
Result<prompts::OproEntry> CurrentEntry(const std::vector<std::string>& criteria,
                                        const judge::JudgePrompt& current,
                                        const StepRecord& record);

/// The entries of the step's candidates that parsed, in candidate order.
Result<std::vector<prompts::OproEntry>> CandidateEntries(const OptimizeConfig& config,
                                                         const std::vector<std::string>& criteria,
                                                         const judge::JudgePrompt& current,
                                                         const StepRecord& record);

/// OPRO's state across the steps of one run: the trajectory (capacity opro.trajectory_size;
/// duplicates rejected with opro.dedupe_trajectory). Owned by the loop; not thread-safe.
class OproState {
 public:
  explicit OproState(const OptimizeConfig& config);

  prompts::OproTrajectory& trajectory() { return trajectory_; }
  const prompts::OproTrajectory& trajectory() const { return trajectory_; }

  /// Pushes what stored step `record` contributed: its current prompt, then its candidates.
  Status Replay(const RunContext& ctx, const StepRecord& record);

  /// Rebuilds the trajectory of a resumed run from its stored steps 1..last_step.
  Status Restore(const RunContext& ctx, RunRecorder& recorder, int last_step);

 private:
  prompts::OproTrajectory trajectory_;
};

}  // namespace judgeopt::optim
