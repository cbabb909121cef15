#include "judgeopt/llm/types.h"

#include <algorithm>

namespace judgeopt::llm {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kJudge: return "judge";
    case Role::kLoss: return "loss";
    case Role::kGradient: return "gradient";
    case Role::kOptimizer: return "optimizer";
    case Role::kDiagnostic: return "diagnostic";
  }
  return "judge";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool Usage::ReasoningOutsideCompletion() const {
  return reasoning_tokens > 0 &&
         total_tokens == prompt_tokens + completion_tokens + reasoning_tokens;
}

int64_t Usage::BilledOutputTokens() const {
  return completion_tokens + (ReasoningOutsideCompletion() ? reasoning_tokens : 0);
}

int64_t Usage::BilledCachedTokens() const {
  return std::clamp<int64_t>(cached_tokens, 0, std::max<int64_t>(prompt_tokens, 0));
}

int64_t ApproxTokens(std::string_view text) {
  return static_cast<int64_t>((text.size() + 3) / 4);
}

int64_t ApproxPromptTokens(const ChatRequest& request) {
  int64_t total = 0;
  for (const auto& m : request.messages) total += ApproxTokens(m.content) + 4;
  return total;
}

}  // namespace judgeopt::llm
