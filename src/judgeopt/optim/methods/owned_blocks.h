#pragma once
// Criterion-owned instruction blocks (method option owned_blocks; docs/methods.md): the reply of
// one criterion's optimizer call counts for that criterion's block only. What a reply rewrote of
// other criteria's blocks is ignored and recorded as a decision of kind "owned_block".

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::optim {

/// One owned-block reply as used. Plain value.
struct OwnedReply {
  std::string text;  // the owner's new instruction
  /// Other criteria's blocks the reply rewrote (text differing from the current instruction, both
  /// trimmed), in prompt order; they are not applied.
  std::vector<prompts::Instruction> ignored;
};

/// Parses the JSON reply of `owner`'s owned-block call (ParseCombinedReply over the run's criteria
/// with the run's lenience). Fails (kParse) when the reply does not parse or gives no instruction
/// for `owner`; copies of other blocks left unchanged are dropped silently.
Result<OwnedReply> ParseOwnedReply(const RunContext& ctx, const judge::JudgePrompt& current,
                                   const std::string& owner, const std::string& reply);

/// The "owned_block" decision for a reply of `owner` (candidate `candidate`) whose rewrites of
/// `ignored` were dropped. Payload: {"owner", "candidate", "ignored": [{"criterion", "text"}]}.
DecisionRecord OwnedBlockDecision(const std::string& owner, int candidate,
                                  const std::vector<prompts::Instruction>& ignored);

}  // namespace judgeopt::optim
