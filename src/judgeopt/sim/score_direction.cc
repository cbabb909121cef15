#include "judgeopt/sim/score_direction.h"

#include <fmt/format.h>

namespace judgeopt::sim {
namespace {

int Occurrences(std::string_view text, std::string_view phrase) {
  int n = 0;
  for (std::size_t at = text.find(phrase); at != std::string_view::npos;
       at = text.find(phrase, at + phrase.size())) {
    ++n;
  }
  return n;
}

}  // namespace

int NetDirection(std::string_view lower) {
  return Occurrences(lower, "higher score") - Occurrences(lower, "lower score");
}

std::string DirectionAdvice(std::string_view subject, ScoreDirection direction) {
  return fmt::format("{} should lead the judge to give {} scores where the text deserves them.",
                     subject, direction > 0 ? "higher" : "lower");
}

std::string CalibrationSentence(ScoreDirection direction, bool strong) {
  const char* way = direction > 0 ? "higher" : "lower";
  if (strong) {
    return fmt::format(
        "Clearly lean towards the {} score, and give a {} score than you first "
        "would.",
        way, way);
  }
  return fmt::format("When in doubt between two scores, choose the {} score.", way);
}

}  // namespace judgeopt::sim
