#pragma once
// The simulated loss model: reads the predictions and gold values a loss prompt (S or C, see
// docs/prompts.md) shows and states, per criterion, whether the score is correct, the difference
// and the direction (over- or under-rated).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// One criterion's values as a loss prompt shows them (nullopt: "missing" or not a number).
struct LossItem {
  std::string criterion;
  std::optional<double> prediction;
  std::optional<double> gold;
  bool numeric = true;  // false when a shown value is neither a number nor "missing"
};

/// The critique line for one criterion, e.g. "fluency: INCORRECT. The predicted score 3 is 2
/// below the ground truth 5 (difference: 2.00), so the sample was under-rated; the right score
/// is 5."
std::string LossCritique(const LossItem& item);

/// The loss role. Borrows `options` (the owning SimClient outlives it); immutable, thread-safe.
class LossRole : public RoleHandler {
 public:
  explicit LossRole(const SimOptions& options) : options_(options) {}

  SimRole role() const override { return SimRole::kLoss; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// The values the prompt shows, one item per criterion of its ROLE, in prompt order.
  static Result<std::vector<LossItem>> Read(std::string_view prompt);

 private:
  const SimOptions& options_;
};

}  // namespace judgeopt::sim
