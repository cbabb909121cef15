#include "judgeopt/sim/sim_options.h"

namespace judgeopt::sim {

std::string_view SimRoleName(SimRole role) {
  switch (role) {
    case SimRole::kJudge: return "judge";
    case SimRole::kLoss: return "loss";
    case SimRole::kGradient: return "gradient";
    case SimRole::kOptimizer: return "optimizer";
    case SimRole::kDiagnostic: return "diagnostic";
    case SimRole::kOpro: return "opro";
  }
  return "judge";
}

double MalformedShares::For(SimRole role) const {
  switch (role) {
    case SimRole::kJudge: return judge;
    case SimRole::kLoss: return loss;
    case SimRole::kGradient: return gradient;
    case SimRole::kOptimizer: return optimizer;
    case SimRole::kDiagnostic: return diagnostic;
    case SimRole::kOpro: return opro;
  }
  return 0.0;
}

void MalformedShares::SetAll(double share) {
  judge = loss = gradient = optimizer = diagnostic = opro = share;
}

}  // namespace judgeopt::sim
