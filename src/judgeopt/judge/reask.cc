#include "judgeopt/judge/reask.h"

#include "judgeopt/judge/render.h"

namespace judgeopt::judge {

bool NeedsReask(const ParsedReply& parsed, bool on_missing) {
  return parsed.Unparsable() || (on_missing && parsed.MissingCount() > 0);
}

std::string CorrectiveMessage(const ParsedReply& parsed,
                              const std::vector<const data::Criterion*>& criteria,
                              ReplyShape shape) {
  std::string out(kCorrectivePrefix);
  if (parsed.Unparsable()) {
    out += " (" + parsed.error_message + ").";
  } else {
    out += ": it gave no usable value for";
    std::string sep = " ";
    for (std::size_t i = 0; i < criteria.size() && i < parsed.values.size(); ++i) {
      if (parsed.values[i].value) continue;
      out += sep + criteria[i]->name + " (" + parsed.values[i].problem + ")";
      sep = "; ";
    }
    out += ".";
  }
  if (shape == ReplyShape::kScoreLines) {
    out +=
        " Answer again with one line per criterion and nothing else, written as \"<criterion>: "
        "<value>\" with one of the allowed values:";
    for (const auto* c : criteria) out += "\n" + c->name + ": " + ScaleFormat(c->scale);
    return out;
  }
  out +=
      " Answer again with one JSON object and nothing else, using exactly these keys and "
      "allowed values:\n{\n";
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    out += "  \"" + criteria[i]->name + "\": " + ScaleFormat(criteria[i]->scale);
    out += i + 1 < criteria.size() ? ",\n" : "\n";
  }
  out += "}";
  return out;
}

}  // namespace judgeopt::judge
