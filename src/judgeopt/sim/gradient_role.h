#pragma once
// The simulated gradient model. Separate prompts (one criterion): names up to
// `gradient_concepts_when_wrong` concepts its instruction lacks, attributed to that criterion.
// Combined prompts (several criteria): dilution — concepts drawn from the union of what the
// instructions lack, misattributed with a probability that rises with the number of criteria,
// and generic advice mixed in. Replies follow the protocol's 3-paragraph shape.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// What the critique in a separate gradient prompt says about the score.
enum class CritiqueVerdict { kUnknown, kCorrect, kTooHigh, kTooLow, kWrong };

/// Reads a loss critique (the loss role's wording: CORRECT / INCORRECT, over- / under-rated).
CritiqueVerdict ReadVerdict(std::string_view critique);

/// What a gradient reply says, before it is written out. Value type.
struct GradientPlan {
  ConceptIndex index;
  bool separate = true;                  // one criterion (S) or several (C)
  std::vector<AttributedConcept> named;  // concepts to add, with their attribution (-1: none)
  std::vector<ConceptRef> kept;          // concepts the reply says to keep (separate only)
  std::vector<std::string> generic;      // generic-advice sentences (combined only)
  CritiqueVerdict verdict = CritiqueVerdict::kUnknown;
  // Structured separate prompts only (structured_gradient.h):
  bool structured = false;             // the prompt asks for an edit list
  std::vector<ConceptRef> foreign;     // another criterion's concepts proposed as additions
  std::vector<ConceptRef> removals;    // another criterion's concepts proposed for removal
};

/// The gradient role. Borrows `world` and `options` (the owning SimClient outlives it);
/// immutable, thread-safe.
class GradientRole : public RoleHandler {
 public:
  GradientRole(const SimWorld& world, const SimOptions& options)
      : world_(world), options_(options) {}

  SimRole role() const override { return SimRole::kGradient; }
  bool Recognizes(std::string_view prompt) const override;
  Result<std::string> Reply(const SimCall& call) const override;

  /// What the reply to `call` names (no malformation).
  Result<GradientPlan> Plan(const SimCall& call) const;

 private:
  GradientPlan PlanSeparate(ConceptIndex index, std::string_view instruction,
                            std::string_view critique, uint64_t key) const;
  GradientPlan PlanCombined(ConceptIndex index, const std::vector<std::string>& instructions,
                            uint64_t key) const;

  const SimWorld& world_;
  const SimOptions& options_;
};

/// The reply text of a plan (3 paragraphs separated by blank lines).
std::string WriteGradient(const GradientPlan& plan);

}  // namespace judgeopt::sim
