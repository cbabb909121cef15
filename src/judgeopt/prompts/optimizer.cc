#include "judgeopt/prompts/optimizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::prompts {
namespace {

constexpr std::string_view kOpeningBody =
    "You receive the variable, the context in which it was used and feedback on it, and you "
    "write an improved version of it. The feedback can be noisy: work out which points matter "
    "and which are right before you act on them. Keep the variable's role in mind, and what the "
    "context shows about how it is used.";
constexpr std::string_view kContextLead =
    "Below are the context and the feedback gathered for the variable:";
constexpr std::string_view kAskSeparate =
    "Improve the instruction for '{0}' using the feedback inside the FEEDBACK section. Reply "
    "with nothing but the new instruction text for '{0}', without JSON, quotation marks or any "
    "other formatting.";
constexpr std::string_view kReadOnlyLead =
    "The judge's prompt also holds the instructions of the other criteria, shown below for "
    "context only. They belong to other criteria: do not change them, copy them or move their "
    "content into your instruction.";
constexpr std::string_view kAskOwned =
    "Improve only the instruction for '{0}' using the feedback inside the FEEDBACK section. The "
    "instructions of the other criteria are read-only: leave them out of your answer, and do not "
    "move their points into the instruction for '{0}'. Reply with a single JSON object and "
    "nothing else, shaped like this:";
constexpr std::string_view kAskCombined =
    "Improve the instructions using the feedback inside the FEEDBACK section. Produce exactly "
    "one improved set of instructions, as a single JSON object and nothing else, shaped like "
    "this:";

// The layout of §4.6: lines joined with "\n", the system prompt once, one CONVERSATION per
// sample, then the feedback; `output_of` renders a sample's LM_OUTPUT.
template <typename OutputOf>
std::string ContextBlock(std::string_view system_prompt, std::span<const JudgedSample> samples,
                         std::string_view feedback_subject, std::string_view feedback,
                         OutputOf output_of) {
  if (samples.empty()) return "";
  std::vector<std::string> lines = {"<CONTEXT>", "", TagBlock("LM_SYSTEM_PROMPT", system_prompt),
                                    ""};
  for (const JudgedSample& s : samples) {
    lines.push_back("<CONVERSATION>");
    lines.push_back(TagBlock("LM_INPUT", RenderFields(s.inputs)));
    lines.push_back("");
    lines.push_back(TagBlock("LM_OUTPUT", output_of(s)));
    lines.push_back("</CONVERSATION>");
    lines.push_back("");
  }
  lines.push_back(fmt::format("This is the feedback we received on {} in the conversations above:",
                              feedback_subject));
  lines.push_back("");
  lines.push_back(TagBlock("FEEDBACK", feedback));
  lines.push_back("");
  lines.push_back("</CONTEXT>");
  return Join(lines, "\n");
}

std::string Opening() { return std::string(kOptimizerOpening) + " " + std::string(kOpeningBody); }

std::string SectionHeader(const std::vector<std::string>& names, std::size_t total) {
  if (names.size() == 1) return fmt::format("Feedback for criterion '{}':", names.front());
  if (names.size() == total) return "Feedback for all criteria (joint):";
  std::vector<std::string> quoted;
  for (const std::string& n : names) quoted.push_back("'" + n + "'");
  return fmt::format("Feedback for criteria {}:", Join(quoted, ", "));
}

// The VARIABLE body of the combined meta-prompt: a JSON-like object, one key per criterion.
std::string InstructionObject(std::span<const Instruction> instructions, bool escape) {
  std::vector<std::string> lines;
  for (const Instruction& i : instructions) {
    lines.push_back(escape ? fmt::format("  {}: {}", JsonQuote(i.criterion), JsonQuote(i.text))
                           : fmt::format("  \"{}\": \"{}\"", i.criterion, i.text));
  }
  return "{\n" + Join(lines, ",\n") + "\n}";
}

std::string AnswerExample(std::span<const Instruction> instructions) {
  std::vector<std::string> items;
  for (const Instruction& i : instructions) {
    items.push_back(fmt::format("{}: {}", JsonQuote(i.criterion),
                                JsonQuote("<improved instruction for " + i.criterion + ">")));
  }
  return "{\"instructions\": {" + Join(items, ", ") + "}}";
}

std::string ReadOnlyBlock(std::span<const Instruction> others) {
  if (others.empty()) return "";
  std::vector<std::string> lines;
  for (const Instruction& i : others) lines.push_back(fmt::format("- {}: {}", i.criterion, i.text));
  return fmt::format("{}\n\n{}\n\n", kReadOnlyLead,
                     TagBlock("OTHER_INSTRUCTIONS", Join(lines, "\n")));
}

}  // namespace

std::string ContextBlockSeparate(std::string_view system_prompt,
                                 std::span<const JudgedSample> samples,
                                 const std::string& criterion, std::string_view feedback) {
  return ContextBlock(system_prompt, samples, "the instruction for '" + criterion + "'", feedback,
                      [&](const JudgedSample& s) {
                        return criterion + ": " + FormatOptionalScore(s.PredictionFor(criterion));
                      });
}

std::string ContextBlockCombined(std::string_view system_prompt,
                                 std::span<const JudgedSample> samples, std::string_view feedback) {
  return ContextBlock(system_prompt, samples, "the instructions of all criteria", feedback,
                      [](const JudgedSample& s) { return s.raw_reply; });
}

std::string GradientLines(std::span<const std::string> gradients) {
  std::vector<std::string> lines;
  for (const std::string& g : gradients) lines.push_back("  - " + g);
  return Join(lines, "\n");
}

std::string CombinedGradientSections(std::span<const CriterionGradients> gradients,
                                     const OptimizerOptions& options) {
  // Groups of criteria sharing one gradient list (one group per criterion without dedupe).
  std::vector<std::pair<const std::vector<std::string>*, std::vector<std::string>>> groups;
  for (const CriterionGradients& g : gradients) {
    if (g.gradients.empty()) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& grp) { return *grp.first == g.gradients; });
    if (options.dedupe_joint_gradients && it != groups.end()) {
      it->second.push_back(g.criterion);
    } else {
      groups.push_back({&g.gradients, {g.criterion}});
    }
  }
  std::vector<std::string> sections;
  for (const auto& [list, names] : groups) {
    sections.push_back(SectionHeader(names, gradients.size()) + "\n" + GradientLines(*list));
  }
  return Join(sections, "\n\n---\n\n");
}

std::string MixedGradientSections(std::span<const std::string> joint,
                                  std::span<const CriterionGradients> own) {
  std::vector<std::string> sections;
  if (!joint.empty()) {
    sections.push_back("Feedback for all criteria (joint):\n" + GradientLines(joint));
  }
  for (const CriterionGradients& g : own) {
    if (g.gradients.empty()) continue;
    sections.push_back(fmt::format("Feedback for criterion '{}' only (its own gradient calls):\n",
                                   g.criterion) +
                       GradientLines(g.gradients));
  }
  return Join(sections, "\n\n---\n\n");
}

std::string OptimizerPromptSeparate(const std::string& criterion, std::string_view instruction,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const std::string> gradients,
                                    std::span<const Instruction> read_only) {
  const std::string text =
      fmt::format("{}\n\n{}\n\n{}\n\n{}{}\n\n{}\n\n{}", Opening(),
                  TagInline("ROLE", RoleInstructionSeparate(criterion)),
                  TagInline("VARIABLE", instruction), ReadOnlyBlock(read_only), kContextLead,
                  ContextBlockSeparate(system_prompt, samples, criterion, GradientLines(gradients)),
                  fmt::format(kAskSeparate, criterion));
  return std::string(Trim(text));
}

std::string OptimizerPromptCombined(std::span<const Instruction> instructions,
                                    std::string_view system_prompt,
                                    std::span<const JudgedSample> samples,
                                    std::span<const CriterionGradients> gradients,
                                    const OptimizerOptions& options) {
  return OptimizerPromptCombinedWithFeedback(instructions, system_prompt, samples,
                                             CombinedGradientSections(gradients, options), options);
}

std::string OptimizerPromptCombinedWithFeedback(std::span<const Instruction> instructions,
                                                std::string_view system_prompt,
                                                std::span<const JudgedSample> samples,
                                                std::string_view feedback,
                                                const OptimizerOptions& options) {
  std::vector<std::string> names;
  for (const Instruction& i : instructions) names.push_back(i.criterion);
  const std::string text = fmt::format(
      "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}\n{}", Opening(),
      TagInline("ROLE", RoleInstructionsCombined(names)),
      TagBlock("VARIABLE", InstructionObject(instructions, options.escape_variable_json)),
      kContextLead, ContextBlockCombined(system_prompt, samples, feedback), kAskCombined,
      AnswerExample(instructions));
  return std::string(Trim(text));
}

std::string OptimizerPromptOwned(const std::string& owner,
                                 std::span<const Instruction> instructions,
                                 std::string_view system_prompt,
                                 std::span<const JudgedSample> samples, std::string_view feedback,
                                 const OptimizerOptions& options) {
  std::vector<std::string> names;
  std::vector<Instruction> own;
  for (const Instruction& i : instructions) {
    names.push_back(i.criterion);
    if (i.criterion == owner) own.push_back(i);
  }
  const std::string text = fmt::format(
      "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}\n{}", Opening(),
      TagInline("ROLE", RoleInstructionOwned(owner, names)),
      TagBlock("VARIABLE", InstructionObject(instructions, options.escape_variable_json)),
      kContextLead, ContextBlockCombined(system_prompt, samples, feedback),
      fmt::format(kAskOwned, owner), AnswerExample(own));
  return std::string(Trim(text));
}

}  // namespace judgeopt::prompts
