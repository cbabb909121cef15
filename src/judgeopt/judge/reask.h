#pragma once
// Re-asking the judge after a reply that could not be used: when to do it and what to say.
// The re-ask conversation is [judge prompt (user), bad reply (assistant), corrective (user)],
// growing by one assistant/user pair per further re-ask.

#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/score_parser.h"

namespace judgeopt::judge {

/// True when `parsed` is unparsable (no JSON, invalid JSON), or, with `on_missing`, when any
/// criterion lacks a usable value.
bool NeedsReask(const ParsedReply& parsed, bool on_missing);

/// The corrective user message: what was wrong with the last reply, then the exact shape
/// wanted: the JSON object (keys and allowed values for `criteria`, in order), or with
/// ReplyShape::kScoreLines one "<criterion>: <allowed values>" line per criterion. Begins with
/// kCorrectivePrefix.
std::string CorrectiveMessage(const ParsedReply& parsed,
                              const std::vector<const data::Criterion*>& criteria,
                              ReplyShape shape = ReplyShape::kJsonObject);

/// How every corrective message begins (lets the simulator and logs recognise a re-ask).
inline constexpr std::string_view kCorrectivePrefix = "Your previous reply could not be used";

}  // namespace judgeopt::judge
