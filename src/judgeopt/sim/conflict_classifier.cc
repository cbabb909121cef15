#include "judgeopt/sim/conflict_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"

namespace judgeopt::sim {
namespace {

constexpr std::string_view kKind = "conflicts";

// One listed edit as the classifier reads it.
struct ListedEdit {
  std::string id;
  bool adds = false;  // "add" or "rephrase": it puts words into its instruction
  std::vector<ConceptRef> concepts;
};

struct Side {
  std::string criterion;
  std::vector<std::string_view> lines;  // "<L><n>. <action>: <text> (reason: ...)"
};

// Reads "## Edits <letter> (<criterion>)" and its edit lines.
Result<Side> ReadSide(std::string_view prompt, char letter) {
  const std::string header = fmt::format("## Edits {} (", letter);
  const std::size_t at = FindAtLineStart(prompt, header);
  if (at == std::string_view::npos) {
    return MissingPart(SimRole::kDiagnostic, kKind, "'" + header + "<criterion>)' section");
  }
  const std::size_t body = NextLineStart(prompt, at);
  std::string_view title = prompt.substr(at + header.size(), body - at - header.size());
  title = Trim(title);
  if (!title.ends_with(")")) {
    return MissingPart(SimRole::kDiagnostic, kKind, "')' closing '" + header + "'");
  }
  Side side{std::string(title.substr(0, title.size() - 1)), {}};
  const std::string prefix(1, letter);
  for (std::string_view line : SplitLines(prompt.substr(body))) {
    if (line.starts_with("## ")) break;
    if (Trim(line).starts_with(prefix)) side.lines.push_back(Trim(line));
  }
  return side;
}

ListedEdit ReadEdit(const ConceptIndex& index, std::string_view line) {
  ListedEdit e;
  const std::size_t dot = line.find(". ");
  e.id = std::string(line.substr(0, dot));
  std::string_view rest = dot == std::string_view::npos ? "" : line.substr(dot + 2);
  const std::size_t colon = rest.find(':');
  const std::string_view action = Trim(rest.substr(0, colon));
  e.adds = action == "add" || action == "rephrase";
  std::string_view text = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  text = text.substr(0, text.find(" (reason: "));
  e.concepts = index.Mentioned(text);
  return e;
}

bool Claims(const ListedEdit& e, int other) {
  if (!e.adds) return false;
  return std::any_of(e.concepts.begin(), e.concepts.end(),
                     [&](ConceptRef r) { return r.criterion == other; });
}

bool Shares(const ListedEdit& a, const ListedEdit& b) {
  return std::any_of(a.concepts.begin(), a.concepts.end(), [&](ConceptRef r) {
    return std::find(b.concepts.begin(), b.concepts.end(), r) != b.concepts.end();
  });
}

nlohmann::ordered_json Verdict(const ListedEdit& a, const ListedEdit& b) {
  nlohmann::ordered_json j = {{"a", a.id}, {"b", b.id}};
  const bool a_claims = Claims(a, 1);
  const bool b_claims = Claims(b, 0);
  if (a_claims || b_claims) {
    j["verdict"] = "contradict";
    j["keep"] = a_claims && b_claims ? "neither" : a_claims ? b.id : a.id;
  } else {
    j["verdict"] = Shares(a, b) ? "agree" : "independent";
  }
  return j;
}

}  // namespace

Result<std::string> ClassifyEditPairs(const SimWorld& world, std::string_view prompt) {
  JO_ASSIGN_OR_RETURN(const Side a, ReadSide(prompt, 'A'));
  JO_ASSIGN_OR_RETURN(const Side b, ReadSide(prompt, 'B'));
  const ConceptIndex index(world, {a.criterion, b.criterion});
  std::vector<ListedEdit> left, right;
  for (std::string_view line : a.lines) left.push_back(ReadEdit(index, line));
  for (std::string_view line : b.lines) right.push_back(ReadEdit(index, line));
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ListedEdit& x : left) {
    for (const ListedEdit& y : right) out.push_back(Verdict(x, y));
  }
  return out.dump();
}

}  // namespace judgeopt::sim
