#include "judgeopt/sim/opro_role.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

using prompts::PromptKind;

constexpr std::string_view kKind = "opro";
constexpr std::string_view kInstructionPrefix = "- Instruction: ";
constexpr std::string_view kScorePrefix = "- Score: ";

// One entry block: per criterion "<c>:", "- Instruction: ..." (may span lines), "- Score: x".
OproShownEntry ReadEntry(std::string_view block, const std::vector<std::string>& criteria) {
  OproShownEntry entry;
  SimInstruction* current = nullptr;
  bool in_instruction = false;
  for (std::string_view line : SplitLines(block)) {
    std::string_view t = Trim(line);
    auto named = std::find_if(criteria.begin(), criteria.end(),
                              [&](const std::string& c) { return t == c + ":"; });
    if (named != criteria.end() && !in_instruction) {
      entry.items.push_back({*named, ""});
      entry.scores.push_back(0.0);
      current = &entry.items.back();
    } else if (current != nullptr && line.starts_with(kInstructionPrefix)) {
      current->text = std::string(line.substr(kInstructionPrefix.size()));
      in_instruction = true;
    } else if (current != nullptr && line.starts_with(kScorePrefix)) {
      entry.scores.back() = std::strtod(std::string(line.substr(kScorePrefix.size())).c_str(),
                                        nullptr);
      in_instruction = false;
    } else if (in_instruction) {
      current->text += "\n" + std::string(line);
    }
  }
  return entry;
}

const SimInstruction* ItemFor(const OproShownEntry& entry, const std::string& criterion) {
  for (const auto& i : entry.items) {
    if (i.criterion == criterion) return &i;
  }
  return nullptr;
}

}  // namespace

double OproShownEntry::Mean() const {
  if (scores.empty()) return 0.0;
  return std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
}

bool OproRole::Recognizes(std::string_view prompt) const {
  return prompts::ReadPromptLayout(prompt).kind == PromptKind::kOpro;
}

Result<std::vector<OproShownEntry>> OproRole::ReadEntries(
    std::string_view prompt, const std::vector<std::string>& criteria) {
  std::size_t scale = FindAtLineStart(prompt, "Scores ");
  std::size_t last_score = prompt.rfind("\n" + std::string(kScorePrefix));
  if (scale == std::string_view::npos || last_score == std::string_view::npos ||
      last_score < scale) {
    return MissingPart(SimRole::kOpro, kKind, "score sentence followed by scored instruction sets");
  }
  std::size_t begin = NextLineStart(prompt, scale);
  std::size_t end = NextLineStart(prompt, last_score + 1);
  std::string_view region = prompt.substr(begin, end - begin);
  std::vector<OproShownEntry> entries;
  while (!region.empty()) {
    std::size_t sep = region.find("\n---\n");
    OproShownEntry e = ReadEntry(region.substr(0, sep), criteria);
    if (!e.items.empty()) entries.push_back(std::move(e));
    region = sep == std::string_view::npos ? "" : region.substr(sep + 5);
  }
  if (entries.empty()) return MissingPart(SimRole::kOpro, kKind, "scored instruction sets");
  return entries;
}

Result<std::vector<SimInstruction>> OproRole::Propose(const SimCall& call) const {
  auto layout = prompts::ReadPromptLayout(call.prompt);
  if (layout.criteria.empty()) return MissingPart(SimRole::kOpro, kKind, "JSON answer template");
  JO_ASSIGN_OR_RETURN(auto entries, ReadEntries(call.prompt, layout.criteria));
  const bool lower_better = call.prompt.find("lower is better") != std::string_view::npos;
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    double ka = lower_better ? -entries[a].Mean() : entries[a].Mean();
    double kb = lower_better ? -entries[b].Mean() : entries[b].Mean();
    return ka > kb || (ka == kb && a > b);  // equal scores: the later (newer) entry first
  });
  order.resize(std::min<std::size_t>(order.size(),
                                     std::max(1, options_.constants.opro_top_entries)));

  ConceptIndex index(world_, layout.criteria);
  uint64_t key = StableHash(call.call_key).Add("opro").Digest();
  std::vector<SimInstruction> out;
  for (int c = 0; c < index.prompt_count(); ++c) {
    const std::string& name = layout.criteria[c];
    std::string base;
    std::string others;
    for (std::size_t e : order) {
      const SimInstruction* item = ItemFor(entries[e], name);
      if (item == nullptr) continue;
      if (base.empty()) {
        base = item->text;
      } else {
        others += " " + item->text;
      }
    }
    std::vector<std::string> sentences;
    std::string lower_others = AsciiLower(others);
    for (ConceptRef ref : index.Missing(c, base)) {
      if (Mentions(index.Get(ref), lower_others)) {
        sentences.push_back(ConceptSentence(index.Get(ref), key));
      }
    }
    std::string recombined = AppendSentences(base, sentences);
    auto missing = index.Missing(c, recombined);
    for (std::size_t i : PickIndices(missing.size(), 1, StableHash(key).Add(name).Digest())) {
      recombined = AppendSentences(recombined, {ConceptSentence(index.Get(missing[i]), key)});
    }
    out.push_back({name, recombined});
  }
  return out;
}

Result<std::string> OproRole::Reply(const SimCall& call) const {
  JO_ASSIGN_OR_RETURN(std::vector<SimInstruction> out, Propose(call));
  constexpr int kKinds = static_cast<int>(OptimizerMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.opro, kKinds);
  if (!kind) return InstructionsJson(out, /*wrap=*/false);
  return MalformJson(static_cast<OptimizerMalformation>(*kind), out, false, call.call_key);
}

}  // namespace judgeopt::sim
