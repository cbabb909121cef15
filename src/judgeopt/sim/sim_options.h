#pragma once
// The simulator's settings: its seed, the share of malformed replies per role, and every constant
// of its world model in one place. docs/simulator.md explains each rule and default.

#include <cstdint>
#include <string>
#include <string_view>

namespace judgeopt::sim {

/// The prompt layouts the simulator recognizes. It never reads ChatRequest::role: the role is
/// recognized from the text, as a model would have to.
enum class SimRole { kJudge, kLoss, kGradient, kOptimizer, kDiagnostic, kOpro };
std::string_view SimRoleName(SimRole role);  // "judge", "loss", ..., "opro"

/// The constants of the world model. Noise and bias are in units of the criterion's scale span
/// (max - min), so the same constants fit a 1-5 and a 0-3 scale. Defaults are calibrated to the
/// study's findings on SummEval (docs/simulator.md, "Calibration", records the achieved figures).
struct SimConstants {
  /// Judge noise sd (x span) when an instruction mentions none of its criterion's concepts.
  double noise_at_no_coverage = 0.66;
  /// Judge noise sd (x span) when it mentions all of them.
  double noise_at_full_coverage = 0.55;
  /// sd = full + (none - full) * (1 - q)^exponent, q = share of concepts mentioned.
  double coverage_exponent = 1.3;
  /// Per-call noise: an extra N(0, (temperature * this * sd)^2) that depends on the request seed
  /// and sample index; at temperature 0 the judge is exactly repeatable.
  double temperature_noise = 1.0;
  /// Interference: sd *= 1 + gain * x / (x + half_words), where x = max(0, mean word count of
  /// the other criteria's instructions - this instruction's word count).
  double interference_gain = 0.8;
  double interference_half_words = 40.0;
  /// Leniency: the judge's own bias per criterion, uniform in [-max, max] x span, fixed per
  /// (seed, criterion name).
  double leniency_max = 0.08;
  /// Each net "higher score" ("lower score") phrase in an instruction shifts its criterion's
  /// scores by +this (-this) x span (score_direction.h).
  double calibration_shift = 0.05;
  /// Misattribution: for each other criterion d with share m_d of its concepts mentioned in this
  /// criterion's instruction, bias += m_d * (pull * (gold_d - gold) + shift * span * sign_cd),
  /// sign_cd = +1 or -1, fixed per (seed, criterion pair).
  double misattribution_pull = 1.0;
  double misattribution_shift = 0.5;
  /// Decimals of a prediction on a non-integer scale.
  int continuous_decimals = 2;

  // ---- gradient role ----
  /// Gradient S: most missing concepts of its criterion it names when the critique says the
  /// score was wrong (or gives no verdict), and when it says the score was correct.
  int gradient_concepts_when_wrong = 2;
  int gradient_concepts_when_correct = 1;
  /// Gradient C: concepts named per gradient, drawn from the union of what every criterion's
  /// instruction lacks.
  int gradient_combined_concepts = 3;
  /// Gradient C: a named concept is misattributed with probability
  /// min(misattribution_max, per_extra_criterion * (criteria - 1)); a misattributed concept goes
  /// to no criterion with probability `unattributed_share`, else to a wrong one.
  double gradient_misattribution_per_extra_criterion = 0.2;
  double gradient_misattribution_max = 0.8;
  double gradient_unattributed_share = 0.5;
  /// Gradient C: generic-advice sentences per gradient = min(max, per_extra * (criteria - 1)).
  int gradient_generic_per_extra_criterion = 1;
  int gradient_generic_max = 3;
  /// Gradient S: probability that a gradient for a wrongly scored criterion also proposes one
  /// concept of another criterion of the dataset (over-reach; a conflicting edit).
  double gradient_overreach_share = 0.2;
  /// Generic-advice sentences of a gradient whose critique says nothing readable (empty or
  /// irrelevant loss text): it has nothing targeted to say.
  int gradient_generic_without_critique = 2;

  // ---- optimizer role: writing errors (optimizer_errors.h) ----
  /// Probability that a rewrite rewords one concept sentence of an instruction into a vaguer one
  /// without the concept: min(max, base + per_extra_criterion * (criteria rewritten - 1)).
  double optimizer_vague_base = 0.15;
  double optimizer_vague_per_extra_criterion = 0.1;
  double optimizer_vague_max = 0.6;
  /// Probability that a rewrite pads an instruction with a long sentence that adds no guidance:
  /// min(1, base + per_extra_criterion * (criteria rewritten - 1)).
  double optimizer_filler_base = 0.3;
  double optimizer_filler_per_extra_criterion = 0.1;
  /// Probability that a calibration sentence is written in its strong form, which asks twice
  /// (overcorrection): min(1, base + per_extra_criterion * (criteria rewritten - 1)).
  double optimizer_overcorrect_base = 0.2;
  double optimizer_overcorrect_per_extra_criterion = 0.1;
  /// Probability that one concept sentence added to an instruction is also written into another
  /// criterion's instruction (an edit that leaks): per_extra_criterion * (criteria rewritten - 1).
  double optimizer_leak_per_extra_criterion = 0.1;
  /// All optimizer error rates are quoted at temperature 0.7 and scaled by
  /// 1 - w + w * temperature / 0.7.
  double optimizer_error_temperature_weight = 0.5;

  // ---- diagnostic role ----
  /// Specificity = clamp(round(1 + 9 * share - penalty * distinct generic sentences), 1, 10).
  double specificity_generic_penalty = 0.25;
  /// Adherence when the gradient names no concept of the target criterion.
  int adherence_without_concepts = 5;

  // ---- OPRO role ----
  /// How many of the best-scoring trajectory entries are recombined.
  int opro_top_entries = 2;
};

/// Share in [0, 1] of replies that come back malformed, per recognized role.
struct MalformedShares {
  double judge = 0.02;
  double loss = 0.02;
  double gradient = 0.02;
  double optimizer = 0.02;
  double diagnostic = 0.02;
  double opro = 0.02;

  double For(SimRole role) const;
  void SetAll(double share);
};

/// Everything a SimClient is built with besides the dataset. Value type.
struct SimOptions {
  uint64_t seed = 0;
  MalformedShares malformed;
  SimConstants constants;
  /// Concept catalog as JSON text (the format of data/sim/concepts.json); empty = the catalog
  /// embedded in the library at build time.
  std::string concepts_json;
};

}  // namespace judgeopt::sim
