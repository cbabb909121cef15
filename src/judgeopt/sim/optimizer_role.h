#pragma once
// The simulated optimizer. It adds one sentence per concept the feedback names to the
// instruction of the criterion the concept is attributed to (unattributed concepts land on a
// hash-chosen criterion); concepts an instruction already mentions are not added again.
// Separate prompts get the plain new instruction, combined prompts the JSON object
// {"instructions": {...}} of every criterion, and owned-block prompts (criterion-owned blocks)
// are read like combined ones but get the JSON object of their owner's block alone.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// A criterion and its instruction, as the optimizer reads or writes it. Plain value.
struct SimInstruction {
  std::string criterion;
  std::string text;
};

/// The kinds of malformed optimizer (and OPRO) replies. Separate replies draw from the first
/// three (fence, prose, empty); JSON replies from all.
enum class OptimizerMalformation {
  kCodeFence, kProse, kEmpty, kMissingCriterion, kInvalidJson, kCount
};

/// `instructions` as one line of JSON, wrapped as {"instructions": {...}} when `wrap`.
std::string InstructionsJson(const std::vector<SimInstruction>& instructions, bool wrap);

/// The JSON reply damaged as `kind` says (the missing criterion is chosen by `key`).
std::string MalformJson(OptimizerMalformation kind, std::vector<SimInstruction> instructions,
                        bool wrap, uint64_t key);

/// The optimizer role. Borrows `world` and `options` (the owning SimClient outlives it);
/// immutable, thread-safe.
class OptimizerRole : public RoleHandler {
 public:
  OptimizerRole(const SimWorld& world, const SimOptions& options)
      : world_(world), options_(options) {}

  SimRole role() const override { return SimRole::kOptimizer; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// The rewritten instructions of every criterion of the prompt (the owner's alone for an
  /// owned-block prompt; no malformation).
  Result<std::vector<SimInstruction>> Rewrite(const SimCall& call) const;

 private:
  const SimWorld& world_;
  const SimOptions& options_;
};

}  // namespace judgeopt::sim
