#pragma once
// Score direction: the simulated judge's leniency and how text moves it (docs/simulator.md,
// "Judge bias"). A real LLM judge scores some criteria systematically too high or too low; a
// critique that says a score was under- or over-rated lets the gradient ask for higher or lower
// scores; the optimizer writes that into the instruction as a calibration sentence; the judge
// shifts its scores by every such sentence it reads, so repeated corrections overshoot. The
// phrases are the whole interface between the roles: "higher score" and "lower score".
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace judgeopt::sim {

/// +1 for "higher", -1 for "lower", 0 for neither.
using ScoreDirection = int;

/// Occurrences of "higher score" minus those of "lower score" in `lower` (ASCII-lowercased):
/// the net calibration a text asks for.
int NetDirection(std::string_view lower);

/// The gradient's request: a sentence asking that `subject` ("The instruction for 'fluency'",
/// "The instructions") lead the judge to higher (direction > 0) or lower scores.
std::string DirectionAdvice(std::string_view subject, ScoreDirection direction);

/// The calibration sentence the optimizer appends to an instruction; `strong` is the
/// overcorrecting variant, which asks twice.
std::string CalibrationSentence(ScoreDirection direction, bool strong);

}  // namespace judgeopt::sim
