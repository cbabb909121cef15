#include "judgeopt/llm/types.h"

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

int64_t ApproxTokens(std::string_view text) {
  return static_cast<int64_t>((text.size() + 3) / 4);
}

int64_t ApproxPromptTokens(const ChatRequest& request) {
  int64_t total = 0;
  for (const auto& m : request.messages) total += ApproxTokens(m.content) + 4;
  return total;
}

}  // namespace judgeopt::llm
