#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

std::optional<Score> JudgedSample::PredictionFor(const std::string& criterion) const {
  for (const Prediction& p : predictions) {
    if (p.criterion == criterion) return p.value;
  }
  return std::nullopt;
}

}  // namespace judgeopt::prompts
