#include "judgeopt/optim/prompts/types.h"

namespace judgeopt::optim::prompts {

std::optional<Score> JudgedSample::PredictionFor(const std::string& criterion) const {
  for (const Prediction& p : predictions) {
    if (p.criterion == criterion) return p.value;
  }
  return std::nullopt;
}

}  // namespace judgeopt::optim::prompts
