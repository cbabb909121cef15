#pragma once
// What a delivered reply means for its caller: usable text, or a model outcome (empty, cut off at
// max_tokens, withheld by a content filter) that the caller treats exactly like a reply it cannot
// parse. One decision for every backend: the in-process simulator, the HTTP client and the cache
// all hand their ChatResponse to the same functions. Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// How a reply ended, as far as its caller is concerned.
enum class ReplyOutcome {
  kComplete,  // text that ended on its own (finish_reason "stop", "", or another value)
  kEmpty,     // no text (empty, null or whitespace only), whatever finish_reason says
  kCutOff,    // finish_reason "length": the reply hit max_tokens before it ended
  kFiltered,  // finish_reason "content_filter": the provider withheld or cut the reply
};

/// The outcome of `reply`. Empty text wins over the finish_reason.
ReplyOutcome OutcomeOf(const ChatResponse& reply);

/// True for ReplyOutcome::kComplete: the text may be parsed, used and cached.
inline bool IsComplete(const ChatResponse& reply) {
  return OutcomeOf(reply) == ReplyOutcome::kComplete;
}

/// True for kCutOff and kFiltered: there is text, but it did not end on its own, so it must not be
/// parsed or used as if whole. (An empty reply goes to the caller's parser, which already knows
/// what to do with "".)
inline bool IsCutShort(const ChatResponse& reply) {
  const ReplyOutcome outcome = OutcomeOf(reply);
  return outcome == ReplyOutcome::kCutOff || outcome == ReplyOutcome::kFiltered;
}

/// "" for a complete reply; otherwise what went wrong, for errors, warnings and logs: names the
/// role and the model, and for a cut-off reply the role's max_tokens and how to raise it
/// (`max_tokens` under `[llm.<role>]` in the config).
std::string ReplyProblem(const ChatRequest& request, const ChatResponse& reply);

/// ReplyProblem(request, reply), also logged as a warning with the request's tag: for a reply
/// that was cut off or filtered (IsCutShort), which the user must hear about.
std::string ReportCutShort(const ChatRequest& request, const ChatResponse& reply);

/// The reply's text when it is complete; otherwise "", with a warning on the log naming the
/// problem (ReplyProblem) and the request's tag when it was cut off or filtered. Callers treat "" like a reply they cannot parse:
/// the loss and gradient stages drop it, a diagnostic score becomes missing.
std::string CompleteText(const ChatRequest& request, const ChatResponse& reply);

/// The same problem told to the model itself (the judge's corrective message): short, without
/// settings advice. "" for kComplete.
std::string_view ProblemForModel(ReplyOutcome outcome);

}  // namespace judgeopt::llm
