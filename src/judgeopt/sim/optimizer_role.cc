#include "judgeopt/sim/optimizer_role.h"

#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/optimizer_errors.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/score_direction.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

using prompts::PromptKind;
using Json = nlohmann::ordered_json;

constexpr std::string_view kSectionSeparator = "\n\n---\n\n";

// The combined VARIABLE block: a JSON object, or (the study's unescaped paste) lines
// `  "<c>": "<instruction>"` read up to the last quote of the line.
Result<std::vector<SimInstruction>> ReadVariableObject(std::string_view block,
                                                       const std::vector<std::string>& criteria) {
  Json j = Json::parse(block, nullptr, /*allow_exceptions=*/false);
  std::vector<SimInstruction> out;
  for (const auto& c : criteria) {
    std::optional<std::string> text;
    if (j.is_object() && j.contains(c) && j[c].is_string()) text = j[c].get<std::string>();
    if (!text) {
      std::string head = "\"" + c + "\": \"";
      for (std::string_view line : SplitLines(block)) {
        std::string_view t = Trim(line);
        if (!t.starts_with(head)) continue;
        t.remove_prefix(head.size());
        if (t.ends_with(",")) t.remove_suffix(1);
        if (t.ends_with("\"")) t.remove_suffix(1);
        text = std::string(t);
        break;
      }
    }
    if (!text) {
      return MissingPart(SimRole::kOptimizer, "optimizer_combined",
                         "instruction for '" + c + "' in VARIABLE");
    }
    out.push_back({c, *text});
  }
  return out;
}

// The FEEDBACK content inside CONTEXT (after `from`); "" when the prompt has no CONTEXT (no
// samples); nullopt when CONTEXT has no FEEDBACK.
std::optional<std::string> ReadFeedback(std::string_view prompt, std::size_t from) {
  if (prompt.find("<CONTEXT>", from) == std::string_view::npos) return std::string();
  std::size_t close = prompt.rfind("</FEEDBACK>");
  std::size_t open = prompt.rfind("<FEEDBACK>", close);
  if (close == std::string_view::npos || open == std::string_view::npos || open < from) {
    return std::nullopt;
  }
  std::size_t begin = open + std::string_view("<FEEDBACK>").size();
  return std::string(Trim(prompt.substr(begin, close - begin)));
}

// Where the feedback sends an unattributed concept or request: a criterion chosen by a hash.
int Place(int to, int criteria, uint64_t key, std::string_view what) {
  if (to >= 0 && to < criteria) return to;
  uint64_t k = StableHash(key).Add("unattributed").Add(what).Digest();
  return std::min(criteria - 1, static_cast<int>(UniformAt(k, 0) * criteria));
}

/// What one call adds to each instruction, gathered over the feedback's sections before it is
/// written. Value type.
struct Edits {
  explicit Edits(std::size_t n) : sentences(n), votes(n, 0) {}
  std::vector<std::vector<std::string>> sentences;  // concept sentences per instruction
  std::vector<int> votes;  // requests for higher (+) or lower (-) scores per instruction
};

// The attributed concepts (one sentence each, in order of mention), skipping what the target
// instruction or this call's additions already mention.
void AddConcepts(const ConceptIndex& index, const std::vector<AttributedConcept>& named,
                 const std::vector<SimInstruction>& out, Edits& edits, uint64_t key) {
  for (const auto& a : named) {
    const Concept& concept_ = index.Get(a.ref);
    const int to = Place(a.attributed_to, index.prompt_count(), key, concept_.name);
    std::string lower = AsciiLower(out[to].text);
    for (const auto& s : edits.sentences[to]) lower += " " + AsciiLower(s);
    if (Mentions(concept_, lower)) continue;
    edits.sentences[to].push_back(ConceptSentence(concept_, key));
  }
}

// The requests for higher or lower scores in `text`: each sentence that asks for one counts for
// the criterion it quotes, else for `fallback`, else for a hashed one. `only` (>= 0) keeps the
// requests for that criterion and unattributed ones (a separate rewrite).
void AddVotes(const ConceptIndex& index, std::string_view text, int fallback, int only,
              Edits& edits, uint64_t key) {
  for (std::string_view sentence : Sentences(text)) {
    const int net = NetDirection(AsciiLower(sentence));
    if (net == 0) continue;
    std::vector<int> quoted = index.QuotedCriteria(sentence);
    int to = quoted.size() == 1 ? quoted.front() : fallback;
    if (only >= 0) {
      if (to >= 0 && to != only) continue;
      to = only;
    }
    edits.votes[Place(to, index.prompt_count(), key, sentence)] += net > 0 ? 1 : -1;
  }
}

// Writes the gathered edits: the leak (one added sentence copied into another instruction), then
// the concept sentences and one calibration sentence per instruction whose votes do not cancel.
void WriteEdits(Edits edits, const WritingErrorRates& rates, std::vector<SimInstruction>& out,
                uint64_t key) {
  const int n = static_cast<int>(out.size());
  const uint64_t leak = StableHash(key).Add("leak").Digest();
  std::vector<std::pair<int, std::string>> all;
  for (int c = 0; c < n; ++c) {
    for (const auto& s : edits.sentences[c]) all.emplace_back(c, s);
  }
  if (n > 1 && !all.empty() && UniformAt(leak, 0) < rates.leak) {
    const auto& [from, sentence] = all[std::min(all.size() - 1,
                                                static_cast<std::size_t>(UniformAt(leak, 1) *
                                                                         all.size()))];
    const int to = (from + 1 + std::min(n - 2, static_cast<int>(UniformAt(leak, 2) * (n - 1)))) % n;
    edits.sentences[to].push_back(sentence);
  }
  for (int c = 0; c < n; ++c) {
    if (edits.votes[c] != 0) {
      uint64_t strong = StableHash(key).Add("overcorrect").Add(out[c].criterion).Digest();
      edits.sentences[c].push_back(CalibrationSentence(edits.votes[c] > 0 ? 1 : -1,
                                                       UniformAt(strong, 0) < rates.overcorrect));
    }
    out[c].text = AppendSentences(out[c].text, edits.sentences[c]);
  }
}

// The writing errors of one call (optimizer_errors.h), drawn per instruction; a call without
// feedback rewrites nothing and makes none.
void AddWritingErrors(const ConceptIndex& index, const WritingErrorRates& rates,
                      std::vector<SimInstruction>& out, uint64_t key) {
  for (std::size_t c = 0; c < out.size(); ++c) {
    uint64_t own = StableHash(key).Add("writing-errors").Add(out[c].criterion).Digest();
    out[c].text = WithWritingErrors(out[c].text, index.criteria()[c], rates, own);
  }
}

std::string MalformSeparate(OptimizerMalformation kind, const std::string& text, uint64_t key) {
  switch (kind) {
    case OptimizerMalformation::kCodeFence: return FenceJson(text, key);
    case OptimizerMalformation::kProse: return "Here is the improved instruction:\n" + text;
    default: return "";
  }
}

}  // namespace

std::string InstructionsJson(const std::vector<SimInstruction>& instructions, bool wrap) {
  Json object = Json::object();
  for (const auto& i : instructions) object[i.criterion] = i.text;
  if (!wrap) return object.dump();
  Json root = Json::object();
  root["instructions"] = std::move(object);
  return root.dump();
}

std::string MalformJson(OptimizerMalformation kind, std::vector<SimInstruction> instructions,
                        bool wrap, uint64_t key) {
  switch (kind) {
    case OptimizerMalformation::kCodeFence:
      return FenceJson(InstructionsJson(instructions, wrap), key);
    case OptimizerMalformation::kProse:
      return SurroundWithProse(InstructionsJson(instructions, wrap), key);
    case OptimizerMalformation::kMissingCriterion: {
      auto pick = static_cast<std::size_t>(UniformAt(key, 5) * instructions.size());
      if (instructions.size() > 1) instructions.erase(instructions.begin() + pick);
      return InstructionsJson(instructions, wrap);
    }
    case OptimizerMalformation::kInvalidJson:
      return TruncateJson(InstructionsJson(instructions, wrap));
    case OptimizerMalformation::kEmpty:
    case OptimizerMalformation::kCount: return "";
  }
  return "";
}

bool OptimizerRole::Recognizes(std::string_view prompt) const {
  auto kind = prompts::ReadPromptLayout(prompt).kind;
  return kind == PromptKind::kOptimizerSeparate || kind == PromptKind::kOptimizerCombined ||
         kind == PromptKind::kOptimizerOwned;
}

Result<std::vector<SimInstruction>> OptimizerRole::Rewrite(const SimCall& call) const {
  auto layout = prompts::ReadPromptLayout(call.prompt);
  const bool separate = layout.kind == PromptKind::kOptimizerSeparate;
  std::string_view kind = prompts::PromptKindName(layout.kind);
  std::size_t pos = 0;
  TagContent(call.prompt, "ROLE", 0, &pos);
  auto variable = TagContent(call.prompt, "VARIABLE", pos, &pos);
  if (!variable) return MissingPart(SimRole::kOptimizer, kind, "VARIABLE section");
  std::vector<SimInstruction> out;
  if (separate) {
    out.push_back({layout.criteria[0], *variable});
  } else {
    JO_ASSIGN_OR_RETURN(out, ReadVariableObject(*variable, layout.criteria));
  }
  auto feedback = ReadFeedback(call.prompt, pos);
  if (!feedback) return MissingPart(SimRole::kOptimizer, kind, "FEEDBACK section in CONTEXT");

  ConceptIndex index(world_, layout.criteria);
  uint64_t key = StableHash(call.call_key).Add("optimizer").Digest();
  const WritingErrorRates rates =
      ErrorRates(options_.constants, static_cast<int>(out.size()), call.temperature);
  if (!feedback->empty()) AddWritingErrors(index, rates, out, key);
  Edits edits(out.size());
  if (separate) {
    std::vector<AttributedConcept> named;
    for (const auto& a : index.Attributions(*feedback, 0)) {
      if (a.attributed_to == 0) named.push_back(a);
    }
    AddConcepts(index, named, out, edits, key);
    AddVotes(index, *feedback, 0, 0, edits, key);
  }
  std::string_view rest = separate ? std::string_view() : std::string_view(*feedback);
  while (!rest.empty()) {  // one section per criterion or group of criteria
    std::size_t end = rest.find(kSectionSeparator);
    std::string_view section = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + kSectionSeparator.size());
    std::size_t nl = section.find('\n');
    std::vector<int> header = index.QuotedCriteria(section.substr(0, nl));
    std::string_view body = nl == std::string_view::npos ? "" : section.substr(nl + 1);
    const int fallback = header.size() == 1 ? header.front() : -1;
    AddConcepts(index, index.Attributions(body, fallback), out, edits, key);
    AddVotes(index, body, fallback, -1, edits, key);
  }
  WriteEdits(std::move(edits), rates, out, key);
  if (layout.kind == PromptKind::kOptimizerOwned) {  // only the owner's block comes back
    std::erase_if(out, [&](const SimInstruction& i) { return i.criterion != layout.owner; });
    if (out.empty()) {
      return MissingPart(SimRole::kOptimizer, kind, "owner among the ROLE's criteria");
    }
  }
  return out;
}

Result<std::string> OptimizerRole::Reply(const SimCall& call) const {
  JO_ASSIGN_OR_RETURN(std::vector<SimInstruction> out, Rewrite(call));
  const bool separate = prompts::ReadPromptLayout(call.prompt).kind ==
                        PromptKind::kOptimizerSeparate;
  const int kinds = separate ? 3 : static_cast<int>(OptimizerMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.optimizer, kinds);
  if (separate) {
    if (!kind) return out.front().text;
    return MalformSeparate(static_cast<OptimizerMalformation>(*kind), out.front().text,
                           call.call_key);
  }
  if (!kind) return InstructionsJson(out, /*wrap=*/true);
  return MalformJson(static_cast<OptimizerMalformation>(*kind), out, true, call.call_key);
}

}  // namespace judgeopt::sim
