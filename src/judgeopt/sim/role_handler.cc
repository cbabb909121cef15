#include "judgeopt/sim/role_handler.h"

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/prompt_text.h"

namespace judgeopt::sim {
namespace {

constexpr std::size_t kQuoteChars = 80;

std::string FirstLine(std::string_view prompt) {
  std::string_view line = SplitLines(Trim(prompt)).front();
  std::string out(line.substr(0, kQuoteChars));
  if (line.size() > kQuoteChars) out += "...";
  return out;
}

}  // namespace

void RoleDispatcher::Add(std::unique_ptr<RoleHandler> handler) {
  handlers_.push_back(std::move(handler));
}

Result<const RoleHandler*> RoleDispatcher::Find(std::string_view prompt) const {
  for (const auto& h : handlers_) {
    if (h->Recognizes(prompt)) return h.get();
  }
  std::string known;
  for (const auto& h : handlers_) {
    if (!known.empty()) known += ", ";
    known += SimRoleName(h->role());
  }
  return Error(ErrorCode::kBadRequest,
               "sim: unrecognized prompt (layouts known: " + known +
                   "; a judge prompt has '## Instructions:', '## Sample:' and '## Response:' "
                   "sections, the other roles' prompts start with judgeopt's fixed opening "
                   "sentences, see docs/prompts.md); it begins: '" + FirstLine(prompt) + "'");
}

}  // namespace judgeopt::sim
