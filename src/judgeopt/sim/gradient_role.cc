#include "judgeopt/sim/gradient_role.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/stable_hash.h"
#include "judgeopt/sim/structured_gradient.h"

namespace judgeopt::sim {
namespace {

using prompts::PromptKind;

// The sections of a gradient prompt after ROLE, in order; the last two are read.
constexpr std::string_view kSections[] = {"LM_SYSTEM_PROMPT", "LM_INPUT", "LM_OUTPUT",
                                          "OBJECTIVE_FUNCTION", "VARIABLE"};

std::string Quoted(const ConceptIndex& index, int c) {
  return "'" + index.criteria()[c].name + "'";
}

std::string NameList(const ConceptIndex& index, const std::vector<AttributedConcept>& named) {
  std::string out;
  for (std::size_t i = 0; i < named.size(); ++i) {
    if (i > 0) out += i + 1 == named.size() ? " or " : ", ";
    out += index.Get(named[i].ref).name;
  }
  return out;
}

std::string SeparateText(const GradientPlan& plan) {
  const ConceptIndex& index = plan.index;
  const std::string c = Quoted(index, 0);
  std::string p1 = plan.kept.empty()
      ? fmt::format("The instruction for {} names its criterion and the scale; that part works and "
                    "must stay.", c)
      : fmt::format("The instruction for {} already asks the judge to look at {}; that part works "
                    "and must stay.", c, index.Get(plan.kept.front()).name);
  std::string p2;
  if (plan.verdict == CritiqueVerdict::kCorrect) {
    p2 = fmt::format("The score for {} was right on this sample.", c);
    if (!plan.named.empty()) {
      p2 += fmt::format(" Still, the instruction for {} says nothing about {}, which other "
                        "samples may need.", c, NameList(index, plan.named));
    }
  } else {
    std::string how = plan.verdict == CritiqueVerdict::kTooHigh  ? "too high"
                      : plan.verdict == CritiqueVerdict::kTooLow ? "too low"
                                                                 : "wrong";
    p2 = fmt::format("The score for {} came out {}.", c, how);
    p2 += plan.named.empty()
              ? " The instruction already covers what this criterion needs, so the error does not "
                "come from a gap in it."
              : fmt::format(" The instruction for {} gives the judge no guidance on {}, so the "
                            "judge had to guess.", c, NameList(index, plan.named));
  }
  std::string p3;
  auto add_line = [&](ConceptRef ref) {
    if (!p3.empty()) p3 += " ";
    p3 += fmt::format("Adding a line on {} to the instruction for {} would help the judge score "
                      "{} more accurately.", index.Get(ref).name, c, c);
  };
  for (const auto& a : plan.named) add_line(a.ref);
  for (ConceptRef ref : plan.foreign) add_line(ref);  // structured prompts only
  for (ConceptRef ref : plan.removals) {
    if (!p3.empty()) p3 += " ";
    p3 += fmt::format("Dropping the part on {} from the instruction for {} would keep the judge "
                      "on {}.", index.Get(ref).name, c, c);
  }
  if (p3.empty()) p3 = fmt::format("No change to the instruction for {} is needed; keep it.", c);
  return p1 + "\n\n" + p2 + "\n\n" + p3;
}

std::string CombinedText(const GradientPlan& plan) {
  const ConceptIndex& index = plan.index;
  std::string p2 = "Several scores in this sample were off.";
  std::size_t g = 0;
  if (g < plan.generic.size()) p2 += " " + plan.generic[g++];
  std::string p3;
  auto add = [&](const std::string& s) { p3 += (p3.empty() ? "" : " ") + s; };
  for (const auto& a : plan.named) {
    const std::string& name = index.Get(a.ref).name;
    add(a.attributed_to < 0
            ? fmt::format("The instructions should also ask the judge about {}.", name)
            : fmt::format("The instruction for {} should also ask the judge about {}.",
                          Quoted(index, a.attributed_to), name));
    if (g < plan.generic.size()) add(plan.generic[g++]);
  }
  if (plan.named.empty()) add("The instructions already cover what the criteria need; keep them.");
  for (ConceptRef ref : plan.kept) {
    add(fmt::format("The instruction for {} rightly asks the judge about {}; keep that.",
                    Quoted(index, ref.criterion), index.Get(ref).name));
  }
  while (g < plan.generic.size()) add(plan.generic[g++]);
  return "The instructions name their criteria and the scale; that part works and must stay.\n\n" +
         p2 + "\n\n" + p3;
}

// "  <c>: <instruction>" lines of a combined VARIABLE block; other lines continue an entry.
Result<std::vector<std::string>> ReadInstructionLines(std::string_view block,
                                                      const std::vector<std::string>& criteria) {
  std::vector<std::string> out(criteria.size());
  std::vector<bool> found(criteria.size(), false);
  int current = -1;
  for (std::string_view line : SplitLines(block)) {
    std::string_view body = Trim(line);
    int starts = -1;
    for (std::size_t c = 0; c < criteria.size() && starts < 0; ++c) {
      if (!found[c] && body.starts_with(criteria[c] + ":")) starts = static_cast<int>(c);
    }
    if (starts >= 0) {
      current = starts;
      found[starts] = true;
      out[starts] = std::string(Trim(body.substr(criteria[starts].size() + 1)));
    } else if (current >= 0) {
      out[current] += "\n" + std::string(line);
    }
  }
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    if (!found[c]) {
      return MissingPart(SimRole::kGradient, "gradient_combined",
                         "'" + criteria[c] + ": ...' line in VARIABLE");
    }
  }
  return out;
}

}  // namespace

CritiqueVerdict ReadVerdict(std::string_view critique) {
  std::string lower = AsciiLower(critique);
  if (lower.find("incorrect") != std::string::npos) {
    if (lower.find("over-rated") != std::string::npos) return CritiqueVerdict::kTooHigh;
    if (lower.find("under-rated") != std::string::npos) return CritiqueVerdict::kTooLow;
    return CritiqueVerdict::kWrong;
  }
  if (lower.find("correct") != std::string::npos) return CritiqueVerdict::kCorrect;
  return CritiqueVerdict::kUnknown;
}

bool GradientRole::Recognizes(std::string_view prompt) const {
  auto kind = prompts::ReadPromptLayout(prompt).kind;
  return kind == PromptKind::kGradientSeparate || kind == PromptKind::kGradientCombined;
}

Result<GradientPlan> GradientRole::Plan(const SimCall& call) const {
  auto layout = prompts::ReadPromptLayout(call.prompt);
  std::string_view kind = prompts::PromptKindName(layout.kind);
  std::size_t pos = 0;
  TagContent(call.prompt, "ROLE", 0, &pos);
  std::string objective;
  std::string variable;
  for (std::string_view section : kSections) {
    auto content = TagContent(call.prompt, section, pos, &pos);
    if (!content) return MissingPart(SimRole::kGradient, kind, std::string(section) + " section");
    if (section == "OBJECTIVE_FUNCTION") objective = *content;
    if (section == "VARIABLE") variable = *content;
  }
  ConceptIndex index(world_, layout.criteria);
  uint64_t key = StableHash(call.call_key).Add("gradient/plan").Digest();
  if (layout.kind == PromptKind::kGradientSeparate) {
    GradientPlan plan = PlanSeparate(std::move(index), variable, objective, key);
    if (prompts::AsksForEditList(call.prompt)) {
      AddStructuredEdits(plan, variable, key, options_.constants);
    }
    return plan;
  }
  JO_ASSIGN_OR_RETURN(auto instructions, ReadInstructionLines(variable, layout.criteria));
  return PlanCombined(std::move(index), instructions, key);
}

GradientPlan GradientRole::PlanSeparate(ConceptIndex index, std::string_view instruction,
                                        std::string_view critique, uint64_t key) const {
  const SimConstants& k = options_.constants;
  GradientPlan plan{std::move(index), true, {}, {}, {}, ReadVerdict(critique), false, {}, {}};
  std::vector<ConceptRef> missing = plan.index.Missing(0, instruction);
  int count = plan.verdict == CritiqueVerdict::kCorrect ? k.gradient_concepts_when_correct
                                                        : k.gradient_concepts_when_wrong;
  for (std::size_t i : PickIndices(missing.size(), static_cast<std::size_t>(std::max(0, count)),
                                   StableHash(key).Add("missing").Digest())) {
    plan.named.push_back({missing[i], 0});
  }
  std::vector<ConceptRef> covered;
  for (ConceptRef ref : plan.index.Mentioned(instruction)) {
    if (ref.criterion == 0) covered.push_back(ref);
  }
  for (std::size_t i : PickIndices(covered.size(), 1, StableHash(key).Add("kept").Digest())) {
    plan.kept.push_back(covered[i]);
  }
  return plan;
}

GradientPlan GradientRole::PlanCombined(ConceptIndex index,
                                        const std::vector<std::string>& instructions,
                                        uint64_t key) const {
  const SimConstants& k = options_.constants;
  GradientPlan plan{std::move(index), false, {}, {}, {}, CritiqueVerdict::kUnknown, false, {}, {}};
  const int criteria = plan.index.prompt_count();
  std::vector<ConceptRef> pool;
  for (int c = 0; c < criteria; ++c) {
    for (ConceptRef ref : plan.index.Missing(c, instructions[c])) pool.push_back(ref);
  }
  if (pool.empty()) {  // nothing is missing: it says what must stay, one concept per criterion
    for (int c = 0; c < criteria; ++c) {
      std::vector<ConceptRef> covered = plan.index.Missing(c, "");
      std::erase_if(covered, [&](ConceptRef r) { return !Mentions(plan.index.Get(r),
                                                                  AsciiLower(instructions[c])); });
      auto keep = PickIndices(covered.size(), 1, StableHash(key).Add("kept").Add(static_cast<uint64_t>(c)).Digest());
      for (std::size_t i : keep) plan.kept.push_back(covered[i]);
    }
  }
  const int extra = std::max(0, criteria - 1);
  const double p_wrong = std::min(k.gradient_misattribution_max,
                                  k.gradient_misattribution_per_extra_criterion * extra);
  auto chosen = PickIndices(pool.size(), static_cast<std::size_t>(k.gradient_combined_concepts),
                            StableHash(key).Add("pool").Digest());
  uint64_t attribution = StableHash(key).Add("attribution").Digest();
  for (std::size_t n = 0; n < chosen.size(); ++n) {
    ConceptRef ref = pool[chosen[n]];
    int to = ref.criterion;
    if (UniformAt(attribution, 3 * n) < p_wrong) {
      if (extra == 0 || UniformAt(attribution, 3 * n + 1) < k.gradient_unattributed_share) {
        to = -1;
      } else {  // one of the other criteria, uniformly
        int shift = 1 + static_cast<int>(UniformAt(attribution, 3 * n + 2) * extra);
        to = (ref.criterion + std::min(shift, extra)) % criteria;
      }
    }
    plan.named.push_back({ref, to});
  }
  const int generic =
      std::min(k.gradient_generic_max, k.gradient_generic_per_extra_criterion * extra);
  const auto& advice = GenericAdvice();
  for (std::size_t i : PickIndices(advice.size(), static_cast<std::size_t>(std::max(0, generic)),
                                   StableHash(key).Add("generic").Digest())) {
    plan.generic.emplace_back(advice[i]);
  }
  return plan;
}

std::string WriteGradient(const GradientPlan& plan) {
  return plan.separate ? SeparateText(plan) : CombinedText(plan);
}

Result<std::string> GradientRole::Reply(const SimCall& call) const {
  JO_ASSIGN_OR_RETURN(GradientPlan plan, Plan(call));
  std::string text = WriteGradient(plan);
  if (plan.structured) {
    text += "\n\n" + WriteEditList(plan, StableHash(call.call_key).Add("gradient/edits").Digest());
  }
  constexpr int kKinds = static_cast<int>(TextMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.gradient, kKinds);
  if (!kind) return text;
  return MalformText(static_cast<TextMalformation>(*kind), text);
}

}  // namespace judgeopt::sim
