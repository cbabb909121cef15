#pragma once
// The simulated judge: reads a judge prompt, finds the sample's gold scores in the dataset, and
// answers with a JSON object of scores whose error follows the world model (docs/simulator.md):
// noise that falls with concept coverage, a leniency per criterion that calibration sentences
// shift, misattribution bias from other criteria's concepts, and interference from longer
// instructions of the other criteria (absent from a single-criterion prompt).

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/data/dataset.h"
#include "judgeopt/sim/judge_prompt_reader.h"
#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// How the judge scored one criterion in one call. Value type.
struct CriterionJudgement {
  std::string criterion;
  data::Scale scale;
  double gold = 0;                 // the dataset's gold, or the pseudo-gold
  bool gold_from_dataset = false;
  double coverage = 0;             // q_c: share of K_c the instruction mentions
  double interference = 1;         // factor on the noise sd (>= 1)
  double sd = 0;                   // noise sd in scale units, interference included
  double bias = 0;                 // b_c (misattribution)
  double noise = 0;                // the error e drawn for this call
  double value = 0;                // clamp(round(gold + bias + noise))
};

/// The judgement behind one judge reply, before any malformation.
struct JudgeReading {
  bool sample_known = false;  // the sample matched a dataset example
  bool sectioned = false;     // the prompt was in the sectioned layout (reply: score lines)
  std::vector<CriterionJudgement> criteria;  // in prompt order
};

/// The kinds of malformed judge replies, equally likely among malformed ones.
enum class JudgeMalformation {
  kCodeFence, kProse, kMissingCriterion, kOutOfRange, kInvalidJson, kEmpty, kCount
};

/// The judge role. Borrows `world` and `options` (the owning SimClient outlives it);
/// immutable, thread-safe.
class JudgeRole : public RoleHandler {
 public:
  JudgeRole(const SimWorld& world, const SimOptions& options) : world_(world), options_(options) {}

  SimRole role() const override { return SimRole::kJudge; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// The scores for a call and how they came about.
  Result<JudgeReading> Judge(const SimCall& call) const;

 private:
  struct Scored;  // a criterion's model, instruction and gold while judging
  std::vector<Scored> Prepare(const JudgePromptView& view, uint64_t sample_key,
                              const SampleGold* gold) const;
  CriterionJudgement Score(const std::vector<Scored>& all, std::size_t i, uint64_t sample_key,
                           const SimCall& call) const;
  /// The judge's own bias for a criterion (x span in [-leniency_max, leniency_max]).
  double Leniency(std::string_view lower_name, double span) const;
  double PseudoGold(const data::Scale& scale, std::string_view criterion,
                    uint64_t sample_key) const;

  const SimWorld& world_;
  const SimOptions& options_;
};

/// The reply for `reading`: a one-line JSON object of the scores, in prompt order.
std::string RenderScores(const std::vector<CriterionJudgement>& scores);

/// The reply to a sectioned prompt: one "<criterion>: <value>" line per criterion, in prompt
/// order.
std::string RenderScoreLines(const std::vector<CriterionJudgement>& scores);

}  // namespace judgeopt::sim
