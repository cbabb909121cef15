#include "judgeopt/prompts/conflict_prompt.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/lenient_json.h"

namespace judgeopt::prompts {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kTask =
    "The judge scores each text on several criteria, and each criterion has its own instruction "
    "in the judge's prompt. Feedback on two criteria was turned into edits of their "
    "instructions: list A for criterion '{}', list B for criterion '{}'. Classify every pair made "
    "of one edit from A and one edit from B:\n"
    "- \"agree\": both push the judge the same way, or one supports the other;\n"
    "- \"independent\": they touch different things and both can be applied;\n"
    "- \"contradict\": applying one works against the other: one removes or rewords away what "
    "the other needs, or one makes its own criterion's instruction ask about something that "
    "belongs to the other criterion.\n"
    "For a contradiction, add \"keep\" with the id of the edit that should survive (the one that "
    "serves its own criterion without taking over the other's), or \"neither\" when both should "
    "go.";

constexpr std::string_view kAnswer =
    "Answer with a JSON list only, one object per pair ({} objects, starting with A1-B1), for "
    "example:\n"
    "[{{\"a\": \"A1\", \"b\": \"B1\", \"verdict\": \"contradict\", \"keep\": \"B1\"}}]";

std::string EditLines(char letter, const std::vector<Edit>& edits) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const Edit& e = edits[i];
    std::string line =
        fmt::format("{}{}. {}: {}", letter, i + 1, EditActionName(e.action), OneLine(e.text));
    if (!Trim(e.rationale).empty()) line += " (reason: " + OneLine(e.rationale) + ")";
    lines.push_back(std::move(line));
  }
  return Join(lines, "\n");
}

std::optional<PairVerdict> VerdictFromWord(std::string_view word) {
  static const std::map<std::string, PairVerdict, std::less<>> kWords = {
      {"agree", PairVerdict::kAgree},
      {"agrees", PairVerdict::kAgree},
      {"agreement", PairVerdict::kAgree},
      {"consistent", PairVerdict::kAgree},
      {"compatible", PairVerdict::kAgree},
      {"supports", PairVerdict::kAgree},
      {"independent", PairVerdict::kIndependent},
      {"neutral", PairVerdict::kIndependent},
      {"unrelated", PairVerdict::kIndependent},
      {"orthogonal", PairVerdict::kIndependent},
      {"none", PairVerdict::kIndependent},
      {"contradict", PairVerdict::kContradict},
      {"contradicts", PairVerdict::kContradict},
      {"contradiction", PairVerdict::kContradict},
      {"conflict", PairVerdict::kContradict},
      {"conflicts", PairVerdict::kContradict},
      {"conflicting", PairVerdict::kContradict},
      {"opposed", PairVerdict::kContradict}};
  auto it = kWords.find(word);
  if (it == kWords.end()) return std::nullopt;
  return it->second;
}

// An edit id: optional side letter ('a' or 'b', 0 when absent) and a 1-based number.
struct Id {
  char side = 0;
  int number = 0;
};

std::optional<Id> ReadId(const Json& value) {
  if (value.is_number_integer()) return Id{0, value.get<int>()};
  if (!value.is_string()) return std::nullopt;
  std::string s = LowerTrimmed(value.get<std::string>());
  Id id;
  if (!s.empty() && (s[0] == 'a' || s[0] == 'b')) {
    id.side = s[0];
    s.erase(0, 1);
    while (!s.empty() && (s[0] == ' ' || s[0] == '-' || s[0] == '_')) s.erase(0, 1);
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ')')) s.pop_back();
  if (s.empty() || s.size() > 6) return std::nullopt;
  for (char ch : s) {
    if (std::isdigit(static_cast<unsigned char>(ch)) == 0) return std::nullopt;
  }
  id.number = std::stoi(s);
  return id;
}

constexpr std::initializer_list<const char*> kWrappers = {"verdicts", "pairs"};

bool IsVerdictList(const Json& j) {
  return IsEntryList(j, kWrappers, [](const Json& e) { return e.contains("verdict"); });
}

// The keep field of a contradiction as "a", "b", "both", "neither" or "" (note set when unusable).
std::string ReadKeep(const Json& entry, const Id& a, const Id& b, std::string& note) {
  auto it = entry.find("keep");
  if (it == entry.end() || it->is_null()) return "";
  const std::string word = it->is_string() ? LowerTrimmed(it->get<std::string>()) : "";
  if (word == "both" || word == "neither") return word;
  if (word == "none" || word == "nothing") return "neither";
  if (word == "a" || word == "b") return word;
  if (std::optional<Id> id = ReadId(*it); id && id->side != 0) {
    if (id->side == 'a' && id->number == a.number) return "a";
    if (id->side == 'b' && id->number == b.number) return "b";
  }
  note = fmt::format("unknown keep '{}'", it->is_string() ? it->get<std::string>() : it->dump());
  return "";
}

}  // namespace

std::string_view PairVerdictName(PairVerdict verdict) {
  switch (verdict) {
    case PairVerdict::kAgree:
      return "agree";
    case PairVerdict::kIndependent:
      return "independent";
    case PairVerdict::kContradict:
      return "contradict";
  }
  return "independent";
}

std::string ConflictPrompt(const ConflictSide& a, const ConflictSide& b) {
  const std::size_t pairs = a.edits.size() * b.edits.size();
  return fmt::format(
      "{}\n\n{}\n\n## Current instructions\nA ({}): {}\nB ({}): {}\n\n"
      "## Edits A ({})\n{}\n\n## Edits B ({})\n{}\n\n## Answer\n{}",
      kConflictOpening, fmt::format(kTask, a.criterion, b.criterion), a.criterion,
      OneLine(a.instruction), b.criterion, OneLine(b.instruction), a.criterion,
      EditLines('A', a.edits), b.criterion, EditLines('B', b.edits), fmt::format(kAnswer, pairs));
}

bool IsConflictPrompt(std::string_view prompt) {
  return Trim(prompt).starts_with(kConflictOpening);
}

ParsedVerdicts ParseVerdicts(std::string_view reply, int count_a, int count_b) {
  ParsedVerdicts out;
  const int na = std::max(count_a, 0), nb = std::max(count_b, 0);
  std::vector<std::optional<EditPairVerdict>> grid(static_cast<std::size_t>(na * nb));
  const std::optional<Json> found = FindJsonValue(reply, IsVerdictList);
  out.list_found = found.has_value();
  const Json entries = found ? EntriesOf(*found, kWrappers) : Json::array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Json& e = entries[i];
    const std::optional<Id> ia = e.contains("a") ? ReadId(e["a"]) : std::nullopt;
    const std::optional<Id> ib = e.contains("b") ? ReadId(e["b"]) : std::nullopt;
    if (!ia || !ib) {
      out.ignored.push_back(fmt::format("entry {}: no usable \"a\" and \"b\" ids", i + 1));
      continue;
    }
    Id a = *ia, b = *ib;
    if (a.side == 'b' && b.side == 'a') std::swap(a, b);
    if (a.side == 'b' || b.side == 'a' || a.number < 1 || a.number > na || b.number < 1 ||
        b.number > nb) {
      out.ignored.push_back(fmt::format("entry {}: no such pair of edits", i + 1));
      continue;
    }
    auto& slot = grid[static_cast<std::size_t>((a.number - 1) * nb + (b.number - 1))];
    if (slot) {
      out.ignored.push_back(
          fmt::format("entry {}: A{}-B{} given again", i + 1, a.number, b.number));
      continue;
    }
    EditPairVerdict v{a.number - 1, b.number - 1, PairVerdict::kIndependent, "", ""};
    const std::string word = LowerTrimmed(StringField(e, {"verdict", "label", "relation"}));
    if (const std::optional<PairVerdict> pv = VerdictFromWord(word)) {
      v.verdict = *pv;
    } else {
      v.note = fmt::format("unknown verdict '{}'", word);
    }
    if (v.verdict == PairVerdict::kContradict) v.keep = ReadKeep(e, a, b, v.note);
    slot = std::move(v);
  }
  for (int a = 0; a < na; ++a) {
    for (int b = 0; b < nb; ++b) {
      auto& slot = grid[static_cast<std::size_t>(a * nb + b)];
      out.verdicts.push_back(
          slot ? *slot
               : EditPairVerdict{a, b, PairVerdict::kIndependent, "",
                                 out.list_found ? "missing" : "unparseable reply"});
    }
  }
  return out;
}

}  // namespace judgeopt::prompts
