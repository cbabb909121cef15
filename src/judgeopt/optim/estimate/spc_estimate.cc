#include "judgeopt/optim/estimate/spc_estimate.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/optim/methods/conflict_matrix.h"
#include "judgeopt/prompts/conflict_prompt.h"

namespace judgeopt::optim {
namespace {

constexpr double kTokensPerVerdict = 12;  // {"a": "A1", "b": "B1", "verdict": "independent"}
constexpr int kEditsPerGradient = 2;

prompts::ConflictSide PlaceholderSide(const judge::JudgePrompt& prompt, const std::string& c,
                                      int edits) {
  prompts::ConflictSide side{c, prompt.Instruction(c) ? *prompt.Instruction(c) : "", {}};
  for (int i = 0; i < edits; ++i) {
    side.edits.push_back({c, prompts::EditAction::kAdd,
                          fmt::format("Ask the judge to check placeholder aspect {} of {}.", i, c),
                          "The judge had no guidance on this."});
  }
  return side;
}

}  // namespace

void AddConflictMatrixCalls(const OptimizeConfig& config, const RunShape& shape,
                            CallCounts& counts) {
  if (!config.method.conflict_matrix || config.algorithm == Algorithm::kOpro) return;
  const int64_t t = shape.criteria;
  counts.diagnostic += Bounds{0, t * (t - 1) / 2};
}

ConflictCallSize EstimateConflictCall(const judge::JudgePrompt& prompt,
                                      const std::vector<std::string>& criteria, int batch) {
  if (criteria.size() < 2) return {};
  const int edits = kEditsPerGradient * std::max(batch, 1);
  const std::string text = prompts::ConflictPrompt(PlaceholderSide(prompt, criteria[0], edits),
                                                   PlaceholderSide(prompt, criteria[1], edits));
  const int pairs = edits * edits;
  return {static_cast<double>(text.size()) / 4.0 + 4.0,
          std::min<double>(kTokensPerVerdict * pairs, ConflictReplyTokens(pairs))};
}

}  // namespace judgeopt::optim
