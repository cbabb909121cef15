// The gradient stage (reference-protocol §4.4): the gradient model turns critiques of the
// predictions into feedback on the instructions.

#include <map>

#include <fmt/format.h>

#include "judgeopt/base/strings.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/backward.h"

namespace judgeopt::optim {
namespace {

Result<PlannedCalls> PlanSeparate(const RunContext& ctx, int step,
                                  const judge::JudgePrompt& prompt,
                                  const std::vector<BatchSample>& batch,
                                  const std::vector<SampleText>& losses) {
  PlannedCalls p;
  std::map<std::string, std::string> system_prompts;
  for (const std::string& c : ctx.criteria) {
    JO_ASSIGN_OR_RETURN(system_prompts[c], judge::RenderInstructions(prompt, ctx.dataset, c));
  }
  for (const SampleText& loss : losses) {
    const std::string& c = loss.criterion;
    const std::string* instruction = prompt.Instruction(c);
    if (instruction == nullptr) return InternalError("loss text for an unknown criterion " + c);
    const BatchSample& s = batch[static_cast<std::size_t>(loss.sample)];
    // Structured gradients (docs/methods.md) ask for the same feedback plus a JSON edit list.
    const auto build = ctx.config.method.structured_gradients ? prompts::GradientPromptStructured
                                                              : prompts::GradientPromptSeparate;
    p.requests.push_back(
        NewRequest(ctx, llm::Role::kGradient,
                   build(system_prompts[c], s.judged, c, loss.text, *instruction),
                   fmt::format("{}/{}/s{}", StepTag(step, "gradient"), c, loss.sample)));
    p.slots.push_back({c, loss.sample, ""});
  }
  return p;
}

// Each sample's critiques as CriterionTexts: a joint critique is copied to every criterion, as
// the study does (the prompt builder shows identical texts once).
std::vector<prompts::CriterionText> FeedbackOf(const RunContext& ctx, int sample,
                                               const std::vector<SampleText>& losses) {
  std::vector<prompts::CriterionText> feedback;
  for (const SampleText& loss : losses) {
    if (loss.sample != sample) continue;
    if (loss.criterion == kJoint) {
      for (const std::string& c : ctx.criteria) feedback.push_back({c, loss.text});
    } else {
      feedback.push_back({loss.criterion, loss.text});
    }
  }
  return feedback;
}

Result<PlannedCalls> PlanCombined(const RunContext& ctx, int step,
                                  const judge::JudgePrompt& prompt,
                                  const std::vector<BatchSample>& batch,
                                  const std::vector<SampleText>& losses) {
  PlannedCalls p;
  JO_ASSIGN_OR_RETURN(const std::string system_prompt,
                      judge::RenderInstructions(prompt, ctx.dataset));
  std::vector<prompts::Instruction> instructions;
  for (const std::string& c : ctx.criteria) instructions.push_back({c, *prompt.Instruction(c)});
  prompts::GradientOptions options;
  options.paper_mislabel_joint = !ctx.config.switches.label_joint_feedback;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto feedback = FeedbackOf(ctx, static_cast<int>(i), losses);
    if (feedback.empty()) continue;
    p.requests.push_back(NewRequest(
        ctx, llm::Role::kGradient,
        prompts::GradientPromptCombined(system_prompt, batch[i].judged, feedback, instructions,
                                        options),
        fmt::format("{}/all/s{}", StepTag(step, "gradient"), i)));
    p.slots.push_back({kJoint, static_cast<int>(i), ""});
  }
  return p;
}

}  // namespace

Result<PlannedCalls> PlanSeparateGradients(const RunContext& ctx, int step,
                                           const judge::JudgePrompt& prompt,
                                           const std::vector<BatchSample>& batch,
                                           const std::vector<SampleText>& losses) {
  return PlanSeparate(ctx, step, prompt, batch, losses);
}

Result<PlannedCalls> PlanGradientStage(const RunContext& ctx, int step,
                                       const judge::JudgePrompt& prompt,
                                       const std::vector<BatchSample>& batch,
                                       const std::vector<SampleText>& losses) {
  if (ctx.config.mode.gradient == Strategy::kSeparate) {
    return PlanSeparate(ctx, step, prompt, batch, losses);
  }
  return PlanCombined(ctx, step, prompt, batch, losses);
}

Result<std::vector<SampleText>> RunGradientStage(RunContext& ctx, int step,
                                                 const judge::JudgePrompt& prompt,
                                                 const std::vector<BatchSample>& batch,
                                                 const std::vector<SampleText>& losses) {
  ctx.Stage(step, "gradient");
  Result<PlannedCalls> planned = PlanGradientStage(ctx, step, prompt, batch, losses);
  if (!planned.ok()) return planned.error();
  const auto replies = SendWave(ctx, llm::Role::kGradient, planned->requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, planned->requests));
  std::vector<SampleText> out;
  for (std::size_t k = 0; k < replies.size(); ++k) {
    std::string text(Trim(llm::CompleteText(planned->requests[k], *replies[k])));
    if (text.empty()) continue;
    SampleText t = planned->slots[k];
    t.text = std::move(text);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace judgeopt::optim
