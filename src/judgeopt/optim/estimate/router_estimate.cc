#include "judgeopt/optim/estimate/router_estimate.h"

#include <algorithm>

#include "judgeopt/prompts/diagnostics.h"

namespace judgeopt::optim {

void AddRouterAndOwnedBlockCalls(const OptimizeConfig& config, const RunShape& shape,
                                 CallCounts& counts) {
  const int64_t t = shape.criteria, b = shape.batch;
  if (config.method.name == Method::kRouter) {
    counts.gradient.max += t * b;
    counts.diagnostic += Bounds{t, t};
  }
  if (config.method.owned_blocks && config.mode.optimizer == Strategy::kCombined) {
    const int64_t k = config.num_candidates;
    counts.optimizer = {t * k, t * k * (1 + config.optimizer_retries)};
  }
}

double RouterSpecificityPromptTokens(const std::vector<std::string>& criteria, int batch,
                                     int64_t gradient_tokens) {
  if (criteria.empty()) return 0;
  const std::string one(static_cast<std::size_t>(std::max<int64_t>(gradient_tokens, 1)) * 4, 'x');
  std::vector<std::string> texts(static_cast<std::size_t>(std::max(batch, 1)), one);
  const std::string prompt = prompts::SpecificityPrompt(criteria.front(), criteria,
                                                        prompts::DiagnosticGradientText(texts));
  llm::ChatRequest r;
  r.messages.push_back({"user", prompt});
  return static_cast<double>(llm::ApproxPromptTokens(r));
}

}  // namespace judgeopt::optim
