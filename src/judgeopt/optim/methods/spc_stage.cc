#include "judgeopt/optim/methods/spc_stage.h"

#include "judgeopt/optim/methods/conflict_matrix.h"
#include "judgeopt/optim/methods/edit_merge.h"
#include "judgeopt/optim/methods/pcgrad.h"

namespace judgeopt::optim {

Result<std::vector<SampleText>> ResolveConflicts(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<SampleText>& gradients,
                                                 std::vector<DecisionRecord>& decisions) {
  const MethodConfig& method = ctx.config.method;
  if (!method.structured_gradients) return gradients;
  const StepEdits edits = CollectEdits(ctx.criteria, gradients);
  for (DecisionRecord& d : EditsDecisions(edits)) decisions.push_back(std::move(d));
  std::set<EditKey> dropped;
  if (method.conflict_matrix || method.name == Method::kSpc) {
    JO_ASSIGN_OR_RETURN(const ConflictMatrix matrix, RunConflictMatrix(ctx, step, edits, prompt));
    decisions.push_back(MatrixDecision(matrix));
    if (method.name == Method::kSpc) {
      Projection projection = ProjectEdits(edits, matrix);
      decisions.push_back(PcgradDecision(edits, projection));
      dropped = std::move(projection.dropped);
    }
  }
  return RenderFeedback(edits, gradients, dropped);
}

}  // namespace judgeopt::optim
