#include "judgeopt/sim/structured_gradient.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

using Json = nlohmann::ordered_json;

// Rationales name no concept, so the classifier and the optimizer read concepts from the texts.
constexpr const char* kAddWhenWrong = "The judge had no guidance on this and had to guess.";
constexpr const char* kAddWhenCorrect = "Other samples may need this even if this one did not.";
constexpr const char* kRemove = "It belongs to another criterion and pulls this score toward it.";
constexpr const char* kRephrase = "The content is there; a plainer wording may steady the score.";

Json EditObject(const std::string& criterion, std::string_view action, std::string text,
                std::string_view rationale) {
  return {{"criterion", criterion},
          {"action", action},
          {"text", std::move(text)},
          {"rationale", rationale}};
}

}  // namespace

void AddStructuredEdits(GradientPlan& plan, std::string_view instruction, uint64_t key) {
  plan.structured = true;
  const ConceptIndex& index = plan.index;
  std::vector<ConceptRef> borrowed;
  for (ConceptRef ref : index.Mentioned(instruction)) {
    if (ref.criterion >= index.prompt_count()) borrowed.push_back(ref);
  }
  for (std::size_t i :
       PickIndices(borrowed.size(), 1, StableHash(key).Add("structured/remove").Digest())) {
    plan.removals.push_back(borrowed[i]);
  }
}

std::string WriteEditList(const GradientPlan& plan, uint64_t key) {
  const ConceptIndex& index = plan.index;
  const std::string& criterion = index.criteria()[0].name;
  const char* add_why = plan.verdict == CritiqueVerdict::kCorrect ? kAddWhenCorrect : kAddWhenWrong;
  Json edits = Json::array();
  auto add = [&](ConceptRef ref) {
    edits.push_back(EditObject(criterion, "add", ConceptSentence(index.Get(ref), key), add_why));
  };
  for (const AttributedConcept& a : plan.named) add(a.ref);
  for (ConceptRef ref : plan.foreign) add(ref);
  for (ConceptRef ref : plan.removals) {
    edits.push_back(EditObject(criterion, "remove",
                               fmt::format("the part about {}", index.Get(ref).name), kRemove));
  }
  if (edits.empty() && plan.verdict != CritiqueVerdict::kCorrect) {
    edits.push_back(EditObject(criterion, "rephrase",
                               "State in one plain sentence what each score on the scale means.",
                               kRephrase));
  }
  std::string lines;  // one edit per line
  for (const Json& e : edits) lines += (lines.empty() ? "\n  " : ",\n  ") + e.dump();
  return "```json\n[" + lines + (lines.empty() ? "]" : "\n]") + "\n```";
}

}  // namespace judgeopt::sim
