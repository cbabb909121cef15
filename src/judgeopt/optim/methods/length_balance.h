#pragma once
// The length balance of criterion-owned blocks (method option max_length_ratio; docs/methods.md):
// no instruction may outgrow the others by more than the configured ratio. Lengths are words
// (whitespace-separated, as the simulator's interference rule counts them). An instruction longer
// than ratio x the mean length of the candidate's other instructions (as the optimizer wrote them)
// is cut back to its leading whole sentences within that cap; when even its first sentence is
// longer, the incumbent's instruction is kept instead.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// Whitespace-separated words of `text`.
int WordCount(std::string_view text);

/// The longest run of leading whole sentences of `text` with at most `max_words` words, trimmed;
/// nullopt when even the first sentence is longer. A sentence ends at '.', '!' or '?' followed by
/// whitespace or the end of the text, or at a line break; text after the last end counts as a
/// sentence.
std::optional<std::string> LeadingSentencesWithin(std::string_view text, double max_words);

/// Caps each candidate's instructions against the others (no-op when max_length_ratio is 0, for a
/// single criterion, or when the others are empty); every cut goes into `decisions` as kind
/// "length_cap" (candidate, cap, before/after words and characters, whether the incumbent's
/// instruction was kept).
Status ApplyLengthBalance(const RunContext& ctx, const judge::JudgePrompt& incumbent,
                          std::vector<judge::JudgePrompt>& candidates,
                          std::vector<DecisionRecord>& decisions);

}  // namespace judgeopt::optim
