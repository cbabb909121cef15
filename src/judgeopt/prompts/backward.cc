#include "judgeopt/prompts/backward.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/edit_list.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::prompts {
namespace {

constexpr std::string_view kPreambleBody =
    "Each piece of text being optimized is called a variable. You receive a variable, a "
    "description of its role and an objective, and you point out how the variable falls "
    "short of that objective. The objective is given inside OBJECTIVE_FUNCTION tags. A "
    "variable may be an intermediate result; judge it then by its effect on the objective "
    "further down the line.\n"
    "Do not write a new version of the variable. Describe the changes instead, in forms "
    "such as \"Including X would fix this mistake because ...\", \"Dropping X would help "
    "because ...\" or \"Replacing X with Y would ... because ...\".\n"
    "If the variable already serves the objective well, say plainly which parts work and "
    "why: the optimizer depends on this to know what it must keep.\n"
    "Comment only on the variable you are asked about; everything else is context.\n"
    "The material you receive uses these tags:\n"
    "- LM_SYSTEM_PROMPT: the system prompt a language model was given.\n"
    "- LM_INPUT: the input the language model received.\n"
    "- LM_OUTPUT: what the language model produced.\n"
    "- OBJECTIVE_FUNCTION: the goal your feedback must serve.\n"
    "- VARIABLE: the text you are asked to criticise.\n"
    "- ROLE: what the variable is for.";

constexpr std::string_view kLossIntro =
    "You will give feedback on a variable whose role is {}. A comparison function checked it, "
    "with this result:";
constexpr std::string_view kLossObjective =
    "Criticise the variable in light of the function's output above. Improving that result is "
    "the only aim; nothing else matters.";
constexpr std::string_view kLossAskSeparate =
    "Say how this prediction could get better. If it is correct, explain what makes it correct. "
    "If it is wrong, name exactly what went wrong and what the right prediction would be. Keep "
    "it brief.";
constexpr std::string_view kLossAskCombined =
    "For each criterion, say how its prediction could get better: if it is correct, explain "
    "what makes it correct; if it is wrong, name exactly what went wrong and what the right "
    "prediction would be. Keep it brief.";

constexpr std::string_view kGradientIntro =
    "You will give feedback on a variable whose role is {}. Below is one conversation with that "
    "language model (LM):";
constexpr std::string_view kGradientBridge =
    "The conversation is one part of a larger system: its LM_OUTPUT was then used as the "
    "language model's {}.";
constexpr std::string_view kGradientAsk =
    "Explain how {0} could change so that the objective is better met. Write exactly 3 "
    "paragraphs: (1) what {0} already {1} well and must keep; (2) which specific weaknesses of "
    "{0} led to wrong predictions; (3) concrete changes that remove those weaknesses while "
    "keeping what works.";

std::vector<std::string> CriterionNames(std::span<const Outcome> outcomes) {
  std::vector<std::string> names;
  for (const Outcome& o : outcomes) names.push_back(o.criterion);
  return names;
}

std::string Indented(std::string_view name, std::string_view value) {
  return fmt::format("  {}: {}", name, value);
}

// The conversation part shared by both gradient prompts: system prompt, input, output, bridge.
std::string Conversation(std::string_view system_prompt, const JudgedSample& sample,
                         std::string_view output, std::string_view bridge_noun) {
  return TagBlock("LM_SYSTEM_PROMPT", system_prompt) + "\n\n" +
         TagBlock("LM_INPUT", RenderFields(sample.inputs)) + "\n\n" +
         TagBlock("LM_OUTPUT", output) + "\n\n" + fmt::format(kGradientBridge, bridge_noun);
}

}  // namespace

std::string_view BackwardPreamble() {
  static const std::string kText = std::string(kBackwardOpening) + " " + std::string(kPreambleBody);
  return kText;
}

std::string LossVerdict(const Outcome& outcome, const LossOptions& options) {
  if (!outcome.prediction) return "INCORRECT (missing prediction)";
  if (!outcome.gold) return "UNKNOWN (missing ground truth)";
  const double p = outcome.prediction->value;
  const double g = outcome.gold->value;
  const bool numeric = std::isfinite(p) && std::isfinite(g);
  const bool correct = options.paper_string_compare
                           ? FormatScore(*outcome.prediction) == FormatScore(*outcome.gold)
                           : numeric && std::fabs(p - g) <= 1e-9;
  if (correct) return "CORRECT";
  if (!numeric) return "INCORRECT";
  return fmt::format("INCORRECT (difference: {:.2f})", std::fabs(p - g));
}

bool LossIsCorrect(const Outcome& outcome, const LossOptions& options) {
  return LossVerdict(outcome, options) == "CORRECT";
}

std::string LossPromptSeparate(const Outcome& outcome, const LossOptions& options) {
  const std::string& c = outcome.criterion;
  const std::string p = FormatOptionalScore(outcome.prediction);
  const std::string inputs =
      fmt::format("**Model prediction ({0})**: {1}\n**Ground truth ({0})**: {2}", c, p,
                  FormatOptionalScore(outcome.gold));
  return fmt::format(
      "{}\n\n{}\n\nFunction purpose: check whether the model's predicted {} score equals the "
      "ground truth.\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}",
      BackwardPreamble(), fmt::format(kLossIntro, TagInline("ROLE", RoleLossSeparate(c))), c,
      TagBlock("INPUTS_TO_FUNCTION", inputs),
      TagInline("OUTPUT_OF_FUNCTION", LossVerdict(outcome, options)),
      TagInline("OBJECTIVE_FUNCTION", kLossObjective), TagInline("VARIABLE", p), kLossAskSeparate);
}

std::string LossPromptCombined(std::span<const Outcome> outcomes, const LossOptions& options) {
  std::vector<std::string> preds, golds, verdicts;
  int correct = 0;
  for (const Outcome& o : outcomes) {
    preds.push_back(Indented(o.criterion, FormatOptionalScore(o.prediction)));
    golds.push_back(Indented(o.criterion, FormatOptionalScore(o.gold)));
    verdicts.push_back(Indented(o.criterion, LossVerdict(o, options)));
    if (LossIsCorrect(o, options)) ++correct;
  }
  verdicts.push_back(fmt::format("  Overall: {} of {} correct.", correct, outcomes.size()));
  const std::string pred_lines = Join(preds, "\n");
  const std::string inputs =
      "**Model predictions**:\n" + pred_lines + "\n**Ground truths**:\n" + Join(golds, "\n");
  const std::vector<std::string> names = CriterionNames(outcomes);
  return fmt::format(
      "{}\n\n{}\n\nFunction purpose: check, criterion by criterion, whether the model's predicted "
      "scores equal the ground truths.\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}",
      BackwardPreamble(), fmt::format(kLossIntro, TagInline("ROLE", RoleLossCombined(names))),
      TagBlock("INPUTS_TO_FUNCTION", inputs), TagBlock("OUTPUT_OF_FUNCTION", Join(verdicts, "\n")),
      TagInline("OBJECTIVE_FUNCTION", kLossObjective), TagBlock("VARIABLE", pred_lines),
      kLossAskCombined);
}

std::string GradientPromptSeparate(std::string_view system_prompt, const JudgedSample& sample,
                                   const std::string& criterion, std::string_view loss_text,
                                   std::string_view instruction) {
  const std::string output =
      criterion + ": " + FormatOptionalScore(sample.PredictionFor(criterion));
  const std::string objective =
      "Give feedback on the variable so as to address this critique of the LM_OUTPUT:\n" +
      std::string(loss_text);
  return fmt::format(
      "{}\n\n{}\n\n{}\n\n{}\n\nThe variable is the instruction below, one part of the system "
      "prompt:\n\n{}\n\n{}",
      BackwardPreamble(),
      fmt::format(kGradientIntro, TagInline("ROLE", RoleInstructionSeparate(criterion))),
      Conversation(system_prompt, sample, output, "prediction"),
      TagBlock("OBJECTIVE_FUNCTION", objective), TagInline("VARIABLE", instruction),
      fmt::format(kGradientAsk, "the instruction", "does"));
}

std::string GradientPromptStructured(std::string_view system_prompt, const JudgedSample& sample,
                                     const std::string& criterion, std::string_view loss_text,
                                     std::string_view instruction) {
  return GradientPromptSeparate(system_prompt, sample, criterion, loss_text, instruction) +
         "\n\n" + EditListRequest(criterion);
}

std::string CombinedFeedbackBlocks(std::span<const CriterionText> feedback,
                                   std::span<const std::string> criteria,
                                   const GradientOptions& options) {
  // Group criteria by identical text, in order of first appearance.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const CriterionText& f : feedback) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == f.text; });
    if (it == groups.end()) {
      groups.push_back({f.text, {f.criterion}});
    } else {
      it->second.push_back(f.criterion);
    }
  }
  std::vector<std::string> blocks;
  for (const auto& [text, names] : groups) {
    std::string label = names.front();
    if (!options.paper_mislabel_joint && names.size() > 1) {
      label = names.size() == criteria.size() ? "all criteria (joint)" : Join(names, ", ");
    }
    blocks.push_back(fmt::format("Feedback for {}:\n{}", label, text));
  }
  return Join(blocks, "\n\n");
}

std::string GradientPromptCombined(std::string_view system_prompt, const JudgedSample& sample,
                                   std::span<const CriterionText> feedback,
                                   std::span<const Instruction> instructions,
                                   const GradientOptions& options) {
  std::vector<std::string> names, lines;
  for (const Instruction& i : instructions) {
    names.push_back(i.criterion);
    lines.push_back(Indented(i.criterion, i.text));
  }
  const std::string objective =
      "Give feedback on the variable so as to address these critiques of the LM_OUTPUT:\n\n" +
      CombinedFeedbackBlocks(feedback, names, options);
  return fmt::format(
      "{}\n\n{}\n\n{}\n\n{}\n\nThe variable is the set of instructions below, one per criterion, "
      "all part of the system prompt:\n\n{}\n\n{}",
      BackwardPreamble(),
      fmt::format(kGradientIntro, TagInline("ROLE", RoleInstructionsCombined(names))),
      Conversation(system_prompt, sample, sample.raw_reply, "predictions"),
      TagBlock("OBJECTIVE_FUNCTION", objective), TagBlock("VARIABLE", Join(lines, "\n")),
      fmt::format(kGradientAsk, "the instructions", "do"));
}

}  // namespace judgeopt::prompts
