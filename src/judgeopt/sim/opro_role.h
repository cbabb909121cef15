#pragma once
// The simulated OPRO proposer (reference-protocol §5): reads the scored instruction sets of the
// meta-prompt, takes the best-scoring ones, and proposes per criterion the best set's instruction
// plus the concepts of that criterion found in the other top sets plus one new concept. Answers
// with the one-line JSON object the meta-prompt's template asks for.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/sim/optimizer_role.h"
#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// One scored instruction set as the meta-prompt shows it. Plain value.
struct OproShownEntry {
  std::vector<SimInstruction> items;
  std::vector<double> scores;  // per item, as displayed
  double Mean() const;
};

/// The OPRO role. Borrows `world` and `options` (the owning SimClient outlives it); immutable,
/// thread-safe.
class OproRole : public RoleHandler {
 public:
  OproRole(const SimWorld& world, const SimOptions& options) : world_(world), options_(options) {}

  SimRole role() const override { return SimRole::kOpro; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// The entries the meta-prompt shows, in prompt order.
  static Result<std::vector<OproShownEntry>> ReadEntries(std::string_view prompt,
                                                         const std::vector<std::string>& criteria);
  /// The proposed instruction set (no malformation), in the template's criterion order.
  Result<std::vector<SimInstruction>> Propose(const SimCall& call) const;

 private:
  const SimWorld& world_;
  const SimOptions& options_;
};

}  // namespace judgeopt::sim
