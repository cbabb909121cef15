#include "judgeopt/llm/reply_check.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "judgeopt/base/strings.h"

namespace judgeopt::llm {

ReplyOutcome OutcomeOf(const ChatResponse& reply) {
  if (Trim(reply.content).empty()) return ReplyOutcome::kEmpty;
  if (reply.finish_reason == "length") return ReplyOutcome::kCutOff;
  if (reply.finish_reason == "content_filter") return ReplyOutcome::kFiltered;
  return ReplyOutcome::kComplete;
}

std::string ReplyProblem(const ChatRequest& request, const ChatResponse& reply) {
  const std::string_view role = RoleName(request.role);
  const std::string& model = reply.model.empty() ? request.model : reply.model;
  switch (OutcomeOf(reply)) {
    case ReplyOutcome::kComplete:
      return "";
    case ReplyOutcome::kEmpty:
      return fmt::format("the {} reply of model '{}' is empty (finish_reason '{}')", role, model,
                         reply.finish_reason);
    case ReplyOutcome::kCutOff:
      return fmt::format(
          "the {} reply of model '{}' was cut off at max_tokens = {} (finish_reason 'length'); "
          "raise `max_tokens` under [llm.{}] in the config",
          role, model, request.max_tokens, role);
    case ReplyOutcome::kFiltered:
      return fmt::format(
          "the {} reply of model '{}' was withheld or cut by the provider's content filter "
          "(finish_reason 'content_filter')",
          role, model);
  }
  return "";
}

std::string CompleteText(const ChatRequest& request, const ChatResponse& reply) {
  if (IsComplete(reply)) return reply.content;
  // An empty reply is handled like any unparsable one; a cut-off or filtered one needs the user.
  if (IsCutShort(reply)) ReportCutShort(request, reply);
  return "";
}

std::string ReportCutShort(const ChatRequest& request, const ChatResponse& reply) {
  std::string problem = ReplyProblem(request, reply);
  spdlog::warn("{}: {}; the reply is not used", request.tag, problem);
  return problem;
}

std::string_view ProblemForModel(ReplyOutcome outcome) {
  switch (outcome) {
    case ReplyOutcome::kComplete:
      return "";
    case ReplyOutcome::kEmpty:
      return "empty reply";  // the words the reply parsers use
    case ReplyOutcome::kCutOff:
      return "it was cut off before it ended; keep the answer short";
    case ReplyOutcome::kFiltered:
      return "it was withheld by a content filter";
  }
  return "";
}

}  // namespace judgeopt::llm
