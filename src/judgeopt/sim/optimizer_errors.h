#pragma once
// The simulated optimizer's writing errors (docs/simulator.md, "Optimizer: writing errors"): a
// rewrite follows its feedback but sometimes rewords a part that worked into something vaguer
// (a concept sentence becomes a sentence with no concept) and sometimes pads the instruction
// with a long sentence that says nothing new (verbosity growth). Their rates rise with the
// number of criteria the call rewrites and with the temperature. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "judgeopt/sim/sim_options.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// Probabilities of the errors for one rewritten instruction. Value type.
struct WritingErrorRates {
  double vague = 0;        // one concept sentence reworded without its concept
  double filler = 0;       // one padding sentence appended
  double overcorrect = 0;  // a calibration sentence written in its strong form
  double leak = 0;         // one added concept sentence also written into another instruction
};

/// The rates for an optimizer call that rewrites `criteria` instructions at `temperature`:
/// base + per_extra_criterion * (criteria - 1), capped, times (1 - w + w * temperature / 0.7)
/// with w = `optimizer_error_temperature_weight` (the rates are quoted at the study's 0.7).
/// A one-instruction rewrite never leaks.
WritingErrorRates ErrorRates(const SimConstants& k, int criteria, double temperature);

/// `text` after the writing errors drawn from `key`: with probability `rates.vague` one sentence
/// that mentions a concept of `own` is replaced by a vaguer sentence with no concept; with
/// probability `rates.filler` a padding sentence is appended. Neither mentions a shipped concept.
std::string WithWritingErrors(std::string_view text, const CriterionModel& own,
                              const WritingErrorRates& rates, uint64_t key);

}  // namespace judgeopt::sim
