#pragma once
// The simulated gradient model. It reads the loss critique in OBJECTIVE_FUNCTION: which criteria
// were scored wrong and in which direction. Separate prompts (one criterion): names up to
// `gradient_concepts_when_wrong` concepts its instruction lacks, asks for higher or lower scores
// when the critique says under- or over-rated, and sometimes over-reaches into another
// criterion's concept. Combined prompts (several criteria): dilution — concepts drawn from what
// the wrongly scored criteria's instructions lack, misattributed with a probability that rises
// with the number of criteria, and generic advice mixed in. A critique that says nothing
// readable gives generic advice only. Replies follow the protocol's 3-paragraph shape.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// What the critique in a separate gradient prompt says about the score.
enum class CritiqueVerdict { kUnknown, kCorrect, kTooHigh, kTooLow, kWrong };

/// Reads a loss critique (the loss role's wording: CORRECT / INCORRECT, over- / under-rated;
/// also "too high" / "too low").
CritiqueVerdict ReadVerdict(std::string_view critique);

/// The verdict per criterion of a combined gradient's objective: from a line "<c>: ..." (a joint
/// critique), else from the block "Feedback for <c>:" (separate critiques); kUnknown when
/// neither says anything.
std::vector<CritiqueVerdict> ReadCriterionVerdicts(std::string_view objective,
                                                   const std::vector<std::string>& criteria);

/// A request for higher (+1) or lower (-1) scores of `criterion`, attributed to a criterion
/// (-1: none) as concepts are.
struct AttributedDirection {
  int criterion = -1;
  int attributed_to = -1;
  int direction = 0;
};

/// What a gradient reply says, before it is written out. Value type.
struct GradientPlan {
  GradientPlan(ConceptIndex i, bool is_separate) : index(std::move(i)), separate(is_separate) {}

  ConceptIndex index;
  bool separate = true;                  // one criterion (S) or several (C)
  std::vector<AttributedConcept> named;  // concepts to add, with their attribution (-1: none)
  std::vector<ConceptRef> kept;          // concepts the reply says to keep
  std::vector<std::string> generic;      // generic-advice sentences
  std::vector<AttributedDirection> directions;  // requests for higher or lower scores
  CritiqueVerdict verdict = CritiqueVerdict::kUnknown;
  std::vector<ConceptRef> foreign;  // separate: another criterion's concepts (over-reach)
  // Structured separate prompts only (structured_gradient.h):
  bool structured = false;             // the prompt asks for an edit list
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
                            std::string_view critique, uint64_t key) const;
  void AddOverreach(GradientPlan& plan, std::string_view instruction, uint64_t key) const;
  void AddGeneric(GradientPlan& plan, int count, uint64_t key) const;
  void AddKept(GradientPlan& plan, const std::vector<std::string>& instructions,
               uint64_t key) const;
  /// Who the n-th attribution of `stream` goes to: `criterion`, or a wrong one / none (-1).
  int Attribute(int criterion, int criteria, uint64_t stream, std::size_t n) const;

  const SimWorld& world_;
  const SimOptions& options_;
};

/// The reply text of a plan (3 paragraphs separated by blank lines).
std::string WriteGradient(const GradientPlan& plan);

}  // namespace judgeopt::sim
