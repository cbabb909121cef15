#pragma once
// The simulated diagnostic scorer (reference-protocol §10.3-10.4). Specificity: 1 + 9 x the share
// of the gradient's concepts that belong to the target criterion, minus a penalty per
// generic-advice sentence. Adherence: 1 + 9 x the share of the gradient's concepts of the target
// criterion that the new instruction mentions. Answers with one integer from 1 to 10. Conflict
// prompts (the conflict matrix of structured gradients) get a JSON list of pairwise verdicts
// (conflict_classifier.h).

#include <string>
#include <string_view>

#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// The kinds of malformed diagnostic replies.
enum class DiagnosticMalformation { kProse, kOutOfRange, kEmpty, kCount };

/// The diagnostic role. Borrows `world` and `options` (the owning SimClient outlives it);
/// immutable, thread-safe.
class DiagnosticRole : public RoleHandler {
 public:
  DiagnosticRole(const SimWorld& world, const SimOptions& options)
      : world_(world), options_(options) {}

  SimRole role() const override { return SimRole::kDiagnostic; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// The score (1-10) of a specificity or adherence prompt before any malformation.
  Result<int> Score(std::string_view prompt) const;

 private:
  Result<int> Specificity(std::string_view prompt) const;
  Result<int> Adherence(std::string_view prompt) const;

  const SimWorld& world_;
  const SimOptions& options_;
};

}  // namespace judgeopt::sim
