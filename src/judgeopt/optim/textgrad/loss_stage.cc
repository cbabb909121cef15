// The loss stage (reference-protocol §4.3): the loss model critiques each prediction against
// its gold value; it never sees the input text or the instruction.

#include <fmt/format.h>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/backward.h"

namespace judgeopt::optim {
namespace {

prompts::LossOptions LossOptionsFor(const RunContext& ctx) {
  prompts::LossOptions o;
  o.paper_string_compare = !ctx.config.switches.numeric_loss_compare;
  return o;
}

Error MissingValueError(const RunContext& ctx, int step, const BatchSample& s,
                        const std::string& criterion) {
  return Error(ErrorCode::kParse,
               fmt::format("step {}: the judge gave no usable '{}' value for example '{}'; with "
                           "switches.tolerate_parse_failures off (protocol \"paper\") this "
                           "stops the run, as in the study",
                           step, criterion, ctx.dataset.examples[s.position].id));
}

Result<PlannedCalls> PlanSeparate(const RunContext& ctx, int step,
                                  const std::vector<BatchSample>& batch) {
  PlannedCalls p;
  const prompts::LossOptions options = LossOptionsFor(ctx);
  for (const std::string& c : ctx.criteria) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto pred = batch[i].judged.PredictionFor(c);
      if (!pred) {
        if (!ctx.config.switches.tolerate_parse_failures) {
          return MissingValueError(ctx, step, batch[i], c);
        }
        continue;
      }
      prompts::Outcome o{c, pred, batch[i].Gold(ctx.dataset, c)};
      p.requests.push_back(NewRequest(ctx, llm::Role::kLoss,
                                      prompts::LossPromptSeparate(o, options),
                                      fmt::format("{}/{}/s{}", StepTag(step, "loss"), c, i)));
      p.slots.push_back({c, static_cast<int>(i), ""});
    }
  }
  return p;
}

Result<PlannedCalls> PlanCombined(const RunContext& ctx, int step,
                                  const std::vector<BatchSample>& batch) {
  PlannedCalls p;
  const prompts::LossOptions options = LossOptionsFor(ctx);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::vector<prompts::Outcome> outcomes;
    bool any = false;
    for (const std::string& c : ctx.criteria) {
      const auto pred = batch[i].judged.PredictionFor(c);
      if (!pred && !ctx.config.switches.tolerate_parse_failures) {
        return MissingValueError(ctx, step, batch[i], c);
      }
      any = any || pred.has_value();
      outcomes.push_back({c, pred, batch[i].Gold(ctx.dataset, c)});
    }
    if (!any) continue;
    p.requests.push_back(NewRequest(ctx, llm::Role::kLoss,
                                    prompts::LossPromptCombined(outcomes, options),
                                    fmt::format("{}/all/s{}", StepTag(step, "loss"), i)));
    p.slots.push_back({kJoint, static_cast<int>(i), ""});
  }
  return p;
}

}  // namespace

Result<PlannedCalls> PlanLossStage(const RunContext& ctx, int step,
                                   const std::vector<BatchSample>& batch) {
  return ctx.config.mode.loss == Strategy::kSeparate ? PlanSeparate(ctx, step, batch)
                                                     : PlanCombined(ctx, step, batch);
}

Result<std::vector<SampleText>> RunLossStage(RunContext& ctx, int step,
                                             const std::vector<BatchSample>& batch) {
  ctx.Stage(step, "loss");
  Result<PlannedCalls> planned = PlanLossStage(ctx, step, batch);
  if (!planned.ok()) return planned.error();
  const auto replies = SendWave(ctx, llm::Role::kLoss, planned->requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, planned->requests));
  std::vector<SampleText> out;
  for (std::size_t k = 0; k < replies.size(); ++k) {
    const std::string text(Trim(llm::CompleteText(planned->requests[k], *replies[k])));
    if (text.empty()) continue;  // an empty or cut-off critique carries nothing to the gradient
    SampleText t = planned->slots[k];
    t.text = text;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace judgeopt::optim
