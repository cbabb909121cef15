#include "judgeopt/sim/diagnostic_role.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/conflict_prompt.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/conflict_classifier.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

using prompts::PromptKind;

int ToScale(double raw) { return static_cast<int>(std::clamp(std::round(raw), 1.0, 10.0)); }

Result<std::string> Section(std::string_view prompt, std::string_view kind,
                            std::string_view header, bool last = false) {
  auto text = MarkdownSection(prompt, header, last);
  if (!text) return MissingPart(SimRole::kDiagnostic, kind, "'## " + std::string(header) + "'");
  return *text;
}

// A conflict classification (conflict_classifier.h), damaged in the malformed share: prose
// around the list, one verdict left out, the list cut off, or an empty reply.
Result<std::string> ConflictReply(const SimWorld& world, const SimOptions& options,
                                  const SimCall& call) {
  JO_ASSIGN_OR_RETURN(std::string list, ClassifyEditPairs(world, call.prompt));
  constexpr int kKinds = 4;
  const auto kind = DrawMalformation(call.call_key, options.malformed.diagnostic, kKinds);
  if (!kind) return list;
  const uint64_t key = StableHash(call.call_key).Add("diag/conflicts").Digest();
  switch (*kind) {
    case 0:
      return SurroundWithProse(list, key);
    case 1: {
      auto j = nlohmann::ordered_json::parse(list);
      if (!j.empty()) j.erase(static_cast<std::size_t>(UniformAt(key, 0) * j.size()));
      return j.dump();
    }
    case 2:
      return TruncateJson(list);
    default:
      return std::string();
  }
}

}  // namespace

bool DiagnosticRole::Recognizes(std::string_view prompt) const {
  if (prompts::IsConflictPrompt(prompt)) return true;
  auto kind = prompts::ReadPromptLayout(prompt).kind;
  return kind == PromptKind::kSpecificity || kind == PromptKind::kAdherence;
}

Result<int> DiagnosticRole::Score(std::string_view prompt) const {
  auto kind = prompts::ReadPromptLayout(prompt).kind;
  return kind == PromptKind::kSpecificity ? Specificity(prompt) : Adherence(prompt);
}

Result<int> DiagnosticRole::Specificity(std::string_view prompt) const {
  constexpr std::string_view kKind = "specificity";
  JO_ASSIGN_OR_RETURN(std::string section, Section(prompt, kKind, "Target Criterion"));
  std::string target(Trim(SplitLines(section).front()));
  JO_ASSIGN_OR_RETURN(std::string listed, Section(prompt, kKind, "All Criteria"));
  JO_ASSIGN_OR_RETURN(std::string gradient, Section(prompt, kKind, "The Gradient", true));
  std::vector<std::string> criteria = {target};
  for (std::string_view line : SplitLines(listed)) {
    line = Trim(line);
    if (!line.starts_with("- ")) continue;
    std::string name(Trim(line.substr(2)));
    if (AsciiLower(name) != AsciiLower(target)) criteria.push_back(name);
  }
  ConceptIndex index(world_, criteria);
  auto mentioned = index.Mentioned(gradient);
  double on_target = 0;
  for (ConceptRef ref : mentioned) on_target += ref.criterion == 0 ? 1 : 0;
  double share = mentioned.empty() ? 0.0 : on_target / mentioned.size();
  return ToScale(1.0 + 9.0 * share -
                 options_.constants.specificity_generic_penalty * CountGenericAdvice(gradient));
}

Result<int> DiagnosticRole::Adherence(std::string_view prompt) const {
  constexpr std::string_view kKind = "adherence";
  JO_ASSIGN_OR_RETURN(std::string criterion, Section(prompt, kKind, "Criterion"));
  JO_ASSIGN_OR_RETURN(std::string updated, Section(prompt, kKind, "New Instruction"));
  JO_ASSIGN_OR_RETURN(std::string gradient, Section(prompt, kKind, "The Gradient", true));
  // The suggestions for the criterion: concepts in sentences that name it, and its own concepts
  // in sentences that name no criterion (a sentence naming another criterion is advice for that
  // one, even when the concept belongs here).
  std::vector<std::string> names = {criterion};
  for (const auto& c : world_.criteria()) {
    if (AsciiLower(c.name) != AsciiLower(Trim(criterion))) names.push_back(c.name);
  }
  ConceptIndex index(world_, names);
  std::string lower = AsciiLower(updated);
  double total = 0;
  double taken = 0;
  for (const AttributedConcept& a : index.Attributions(gradient)) {
    bool for_target = a.attributed_to == 0 || (a.attributed_to < 0 && a.ref.criterion == 0);
    if (!for_target) continue;
    ++total;
    taken += Mentions(index.Get(a.ref), lower) ? 1 : 0;
  }
  if (total == 0) return options_.constants.adherence_without_concepts;
  return ToScale(1.0 + 9.0 * taken / total);
}

Result<std::string> DiagnosticRole::Reply(const SimCall& call) const {
  if (prompts::IsConflictPrompt(call.prompt)) return ConflictReply(world_, options_, call);
  JO_ASSIGN_OR_RETURN(int score, Score(call.prompt));
  constexpr int kKinds = static_cast<int>(DiagnosticMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.diagnostic, kKinds);
  if (!kind) return std::to_string(score);
  switch (static_cast<DiagnosticMalformation>(*kind)) {
    case DiagnosticMalformation::kProse: return fmt::format("Score: {} out of 10.", score);
    case DiagnosticMalformation::kOutOfRange:
      return std::string(
          UniformAt(StableHash(call.call_key).Add("diag").Digest(), 0) < 0.5 ? "0" : "11");
    default: return std::string();
  }
}

}  // namespace judgeopt::sim
