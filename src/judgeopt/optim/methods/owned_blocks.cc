#include "judgeopt/optim/methods/owned_blocks.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/parse.h"

namespace judgeopt::optim {

Result<OwnedReply> ParseOwnedReply(const RunContext& ctx, const judge::JudgePrompt& current,
                                   const std::string& owner, const std::string& reply) {
  prompts::CombinedParseOptions options;
  options.lenient = ctx.config.switches.lenient_optimizer_json;
  JO_ASSIGN_OR_RETURN(prompts::ParsedInstructions parsed,
                      prompts::ParseCombinedReply(reply, ctx.criteria, options));
  OwnedReply out;
  bool has_owner = false;
  for (prompts::Instruction& i : parsed.found) {
    if (i.criterion == owner) {
      out.text = std::move(i.text);
      has_owner = !Trim(out.text).empty();
      continue;
    }
    const std::string* now = current.Instruction(i.criterion);
    if (now != nullptr && Trim(*now) == Trim(i.text)) continue;
    out.ignored.push_back(std::move(i));
  }
  if (!has_owner) {
    return Error(ErrorCode::kParse,
                 fmt::format("the owned-block reply gives no instruction for '{}'", owner));
  }
  return out;
}

DecisionRecord OwnedBlockDecision(const std::string& owner, int candidate,
                                  const std::vector<prompts::Instruction>& ignored) {
  nlohmann::ordered_json payload = {{"owner", owner}, {"candidate", candidate}};
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::vector<std::string> names;
  for (const prompts::Instruction& i : ignored) {
    list.push_back({{"criterion", i.criterion}, {"text", i.text}});
    names.push_back("'" + i.criterion + "'");
  }
  payload["ignored"] = std::move(list);
  DecisionRecord d;
  d.kind = "owned_block";
  d.criterion = owner;
  d.summary =
      fmt::format("candidate {}: ignored the reply's rewrite of {} ('{}' owns only its own block)",
                  candidate, Join(names, ", "), owner);
  d.payload_json = payload.dump();
  return d;
}

}  // namespace judgeopt::optim
