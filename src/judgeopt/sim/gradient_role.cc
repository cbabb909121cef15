#include "judgeopt/sim/gradient_role.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/score_direction.h"
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

std::string Direction(const ConceptIndex& index, const AttributedDirection& d) {
  std::string subject = d.attributed_to < 0
                            ? std::string("The instructions")
                            : "The instruction for " + Quoted(index, d.attributed_to);
  return DirectionAdvice(subject, d.direction);
}

std::string SeparateFindings(const GradientPlan& plan, const std::string& c) {
  const ConceptIndex& index = plan.index;
  switch (plan.verdict) {
    case CritiqueVerdict::kUnknown:
      return fmt::format("The critique does not say what was wrong with the score for {}.", c);
    case CritiqueVerdict::kCorrect: {
      std::string p2 = fmt::format("The score for {} was right on this sample.", c);
      if (plan.named.empty()) return p2;
      return p2 + fmt::format(" Still, the instruction for {} says nothing about {}, which other "
                              "samples may need.", c, NameList(index, plan.named));
    }
    default: break;
  }
  std::string how = plan.verdict == CritiqueVerdict::kTooHigh  ? "too high"
                    : plan.verdict == CritiqueVerdict::kTooLow ? "too low"
                                                               : "wrong";
  std::string p2 = fmt::format("The score for {} came out {}.", c, how);
  return p2 + (plan.named.empty()
                   ? " The instruction already covers what this criterion needs, so the error "
                     "does not come from a gap in it."
                   : fmt::format(" The instruction for {} gives the judge no guidance on {}, so "
                                 "the judge had to guess.", c, NameList(index, plan.named)));
}

std::string SeparateText(const GradientPlan& plan) {
  const ConceptIndex& index = plan.index;
  const std::string c = Quoted(index, 0);
  std::string p1 = plan.kept.empty()
      ? fmt::format("The instruction for {} names its criterion and the scale; that part works and "
                    "must stay.", c)
      : fmt::format("The instruction for {} already asks the judge to look at {}; that part works "
                    "and must stay.", c, index.Get(plan.kept.front()).name);
  std::string p3;
  auto add = [&](const std::string& s) { p3 += (p3.empty() ? "" : " ") + s; };
  auto add_line = [&](ConceptRef ref) {
    add(fmt::format("Adding a line on {} to the instruction for {} would help the judge score {} "
                    "more accurately.", index.Get(ref).name, c, c));
  };
  for (const auto& a : plan.named) add_line(a.ref);
  for (ConceptRef ref : plan.foreign) add_line(ref);
  for (const auto& d : plan.directions) add(Direction(index, d));
  for (ConceptRef ref : plan.removals) {
    add(fmt::format("Dropping the part on {} from the instruction for {} would keep the judge on "
                    "{}.", index.Get(ref).name, c, c));
  }
  for (const auto& g : plan.generic) add(g);
  if (p3.empty()) p3 = fmt::format("No change to the instruction for {} is needed; keep it.", c);
  return p1 + "\n\n" + SeparateFindings(plan, c) + "\n\n" + p3;
}

std::string CombinedText(const GradientPlan& plan) {
  const ConceptIndex& index = plan.index;
  const bool told = plan.verdict != CritiqueVerdict::kUnknown;
  std::string p2 = told ? "Several scores in this sample were off."
                        : "The critique does not say which scores were off.";
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
  for (const auto& d : plan.directions) add(Direction(index, d));
  if (told && plan.named.empty() && plan.directions.empty()) {
    add("The instructions already cover what the criteria need; keep them.");
  }
  for (ConceptRef ref : plan.kept) {
    add(fmt::format("The instruction for {} rightly asks the judge about {}; keep that.",
                    Quoted(index, ref.criterion), index.Get(ref).name));
  }
  while (g < plan.generic.size()) add(plan.generic[g++]);
  return "The instructions name their criteria and the scale; that part works and must stay.\n\n" +
         p2 + "\n\n" + p3;
}

bool IsWrong(CritiqueVerdict v) {
  return v == CritiqueVerdict::kTooHigh || v == CritiqueVerdict::kTooLow ||
         v == CritiqueVerdict::kWrong;
}

int DirectionOf(CritiqueVerdict v) {
  return v == CritiqueVerdict::kTooLow ? 1 : v == CritiqueVerdict::kTooHigh ? -1 : 0;
}

// "Feedback for <label>:" blocks of a combined objective: (label, body) in order.
std::vector<std::pair<std::string, std::string>> FeedbackBlocks(std::string_view objective) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view line : SplitLines(objective)) {
    std::string_view t = Trim(line);
    if (t.starts_with("Feedback for ") && t.ends_with(":")) {
      t.remove_prefix(std::string_view("Feedback for ").size());
      t.remove_suffix(1);
      out.emplace_back(std::string(t), std::string());
    } else if (!out.empty()) {
      out.back().second += std::string(line) + "\n";
    }
  }
  return out;
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
  auto has = [&](std::string_view w) { return lower.find(w) != std::string::npos; };
  if (has("over-rated") || has("too high")) return CritiqueVerdict::kTooHigh;
  if (has("under-rated") || has("too low")) return CritiqueVerdict::kTooLow;
  if (has("incorrect")) return CritiqueVerdict::kWrong;
  if (has("correct")) return CritiqueVerdict::kCorrect;
  return CritiqueVerdict::kUnknown;
}

std::vector<CritiqueVerdict> ReadCriterionVerdicts(std::string_view objective,
                                                   const std::vector<std::string>& criteria) {
  const auto blocks = FeedbackBlocks(objective);
  std::vector<std::string> lines;  // lowercased and trimmed, read once for every criterion
  for (std::string_view line : SplitLines(objective)) lines.push_back(AsciiLower(Trim(line)));
  std::vector<CritiqueVerdict> out(criteria.size(), CritiqueVerdict::kUnknown);
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    const std::string head = AsciiLower(criteria[c]) + ":";
    for (const std::string& lower : lines) {
      if (lower.starts_with(head)) out[c] = ReadVerdict(lower.substr(head.size()));
    }
    if (out[c] != CritiqueVerdict::kUnknown) continue;
    for (const auto& [label, body] : blocks) {
      if (AsciiLower(Trim(label)) == AsciiLower(criteria[c])) out[c] = ReadVerdict(body);
    }
  }
  return out;
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
    if (prompts::AsksForEditList(call.prompt)) AddStructuredEdits(plan, variable, key);
    return plan;
  }
  JO_ASSIGN_OR_RETURN(auto instructions, ReadInstructionLines(variable, layout.criteria));
  return PlanCombined(std::move(index), instructions, objective, key);
}

void GradientRole::AddGeneric(GradientPlan& plan, int count, uint64_t key) const {
  const auto& advice = GenericAdvice();
  for (std::size_t i : PickIndices(advice.size(), static_cast<std::size_t>(std::max(0, count)),
                                   StableHash(key).Add("generic").Digest())) {
    plan.generic.emplace_back(advice[i]);
  }
}

// Over-reach: an LLM critic that knows the task's other criteria sometimes proposes one of
// their concepts for this criterion's instruction.
void GradientRole::AddOverreach(GradientPlan& plan, std::string_view instruction,
                                uint64_t key) const {
  const ConceptIndex& index = plan.index;
  const int others = static_cast<int>(index.criteria().size()) - index.prompt_count();
  const uint64_t foreign_key = StableHash(key).Add("overreach").Digest();
  if (others <= 0 || UniformAt(foreign_key, 0) >= options_.constants.gradient_overreach_share) {
    return;
  }
  const int d = index.prompt_count() +
                std::min(others - 1, static_cast<int>(UniformAt(foreign_key, 1) * others));
  const std::vector<ConceptRef> missing = index.Missing(d, instruction);
  for (std::size_t i :
       PickIndices(missing.size(), 1, StableHash(foreign_key).AddSigned(d).Digest())) {
    plan.foreign.push_back(missing[i]);
  }
}

GradientPlan GradientRole::PlanSeparate(ConceptIndex index, std::string_view instruction,
                                        std::string_view critique, uint64_t key) const {
  const SimConstants& k = options_.constants;
  GradientPlan plan(std::move(index), /*is_separate=*/true);
  plan.verdict = ReadVerdict(critique);
  if (plan.verdict == CritiqueVerdict::kUnknown) {  // nothing to go on: generic advice
    AddGeneric(plan, k.gradient_generic_without_critique, key);
    return plan;
  }
  std::vector<ConceptRef> missing = plan.index.Missing(0, instruction);
  int count = plan.verdict == CritiqueVerdict::kCorrect ? k.gradient_concepts_when_correct
                                                        : k.gradient_concepts_when_wrong;
  for (std::size_t i : PickIndices(missing.size(), static_cast<std::size_t>(std::max(0, count)),
                                   StableHash(key).Add("missing").Digest())) {
    plan.named.push_back({missing[i], 0});
  }
  if (int dir = DirectionOf(plan.verdict); dir != 0) plan.directions.push_back({0, 0, dir});
  std::vector<ConceptRef> covered;
  for (ConceptRef ref : plan.index.Mentioned(instruction)) {
    if (ref.criterion == 0) covered.push_back(ref);
  }
  for (std::size_t i : PickIndices(covered.size(), 1, StableHash(key).Add("kept").Digest())) {
    plan.kept.push_back(covered[i]);
  }
  if (IsWrong(plan.verdict)) AddOverreach(plan, instruction, key);
  return plan;
}

// Dilution: who gets a named concept or a direction. With probability p_wrong it is
// misattributed: to no criterion (unattributed_share), else to a uniformly chosen wrong one.
int GradientRole::Attribute(int criterion, int criteria, uint64_t stream, std::size_t n) const {
  const SimConstants& k = options_.constants;
  const int extra = std::max(0, criteria - 1);
  const double p_wrong = std::min(k.gradient_misattribution_max,
                                  k.gradient_misattribution_per_extra_criterion * extra);
  if (UniformAt(stream, 3 * n) >= p_wrong) return criterion;
  if (extra == 0 || UniformAt(stream, 3 * n + 1) < k.gradient_unattributed_share) return -1;
  int shift = 1 + static_cast<int>(UniformAt(stream, 3 * n + 2) * extra);
  return (criterion + std::min(shift, extra)) % criteria;
}

GradientPlan GradientRole::PlanCombined(ConceptIndex index,
                                        const std::vector<std::string>& instructions,
                                        std::string_view critique, uint64_t key) const {
  const SimConstants& k = options_.constants;
  GradientPlan plan(std::move(index), /*is_separate=*/false);
  const int criteria = plan.index.prompt_count();
  std::vector<std::string> names;
  for (int c = 0; c < criteria; ++c) names.push_back(plan.index.criteria()[c].name);
  const std::vector<CritiqueVerdict> verdicts = ReadCriterionVerdicts(critique, names);
  const bool told = std::any_of(verdicts.begin(), verdicts.end(),
                                [](CritiqueVerdict v) { return v != CritiqueVerdict::kUnknown; });
  if (!told) {  // nothing to go on: generic advice only
    AddGeneric(plan, k.gradient_generic_without_critique, key);
    return plan;
  }
  plan.verdict = CritiqueVerdict::kWrong;
  // Concepts from what the wrongly scored criteria's instructions lack; when none was wrong,
  // from what any instruction lacks, fewer of them.
  auto missing = [&](bool wrong_only) {
    std::vector<ConceptRef> out;
    for (int c = 0; c < criteria; ++c) {
      if (wrong_only && !IsWrong(verdicts[c])) continue;
      for (ConceptRef ref : plan.index.Missing(c, instructions[c])) out.push_back(ref);
    }
    return out;
  };
  std::vector<ConceptRef> pool = missing(/*wrong_only=*/true);
  std::size_t count = static_cast<std::size_t>(k.gradient_combined_concepts);
  if (pool.empty()) {
    pool = missing(/*wrong_only=*/false);
    count = static_cast<std::size_t>(k.gradient_concepts_when_correct);
  }
  if (pool.empty()) AddKept(plan, instructions, key);
  const uint64_t attribution = StableHash(key).Add("attribution").Digest();
  auto chosen = PickIndices(pool.size(), count, StableHash(key).Add("pool").Digest());
  for (std::size_t n = 0; n < chosen.size(); ++n) {
    ConceptRef ref = pool[chosen[n]];
    plan.named.push_back({ref, Attribute(ref.criterion, criteria, attribution, n)});
  }
  const uint64_t direction_stream = StableHash(key).Add("direction").Digest();
  for (int c = 0; c < criteria; ++c) {
    if (int dir = DirectionOf(verdicts[c]); dir != 0) {
      plan.directions.push_back(
          {c, Attribute(c, criteria, direction_stream, static_cast<std::size_t>(c)), dir});
    }
  }
  AddGeneric(plan,
             std::min(k.gradient_generic_max,
                      k.gradient_generic_per_extra_criterion * std::max(0, criteria - 1)),
             key);
  return plan;
}

// Nothing is missing: the reply says what must stay, one concept per criterion.
void GradientRole::AddKept(GradientPlan& plan, const std::vector<std::string>& instructions,
                           uint64_t key) const {
  for (int c = 0; c < plan.index.prompt_count(); ++c) {
    std::vector<ConceptRef> covered;
    for (ConceptRef ref : plan.index.Mentioned(instructions[c])) {
      if (ref.criterion == c) covered.push_back(ref);
    }
    uint64_t stream = StableHash(key).Add("kept").Add(static_cast<uint64_t>(c)).Digest();
    for (std::size_t i : PickIndices(covered.size(), 1, stream)) plan.kept.push_back(covered[i]);
  }
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
