// The specificity-aware router (docs/methods.md): the joint gradient of every sample, one
// specificity call per criterion over the step's joint gradient text (as `judgeopt diagnose
// specificity` scores a step), and the separate gradient calls of each criterion scored below the
// threshold (or not scored: an empty joint gradient, an unparseable reply).

#include "judgeopt/optim/methods/router.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/diagnostics.h"
#include "judgeopt/prompts/format.h"

namespace judgeopt::optim {
namespace {

// Why a criterion was routed or kept.
constexpr const char* kAtOrAbove = "at_or_above_threshold";
constexpr const char* kBelow = "below_threshold";
constexpr const char* kUnparseable = "unparseable_reply";
constexpr const char* kNoJoint = "empty_joint_gradient";

// One criterion's route. Plain value.
struct Route {
  std::string criterion;
  std::optional<int> specificity;
  std::string reply;   // the diagnostic reply ("" when no call was made)
  std::string reason;  // one of the constants above
  bool routed() const { return reason != kAtOrAbove; }
};

// The step's joint gradients as one text (DiagnosticGradientText, as the diagnostic scores it).
std::string JointText(const std::vector<SampleText>& joint) {
  std::vector<std::string> texts;
  for (const SampleText& g : joint) {
    if (g.criterion == kJoint) texts.push_back(g.text);
  }
  return prompts::DiagnosticGradientText(texts);
}

// Scores the joint gradient text for every criterion in one wave and decides each route.
Result<std::vector<Route>> ScoreRoutes(RunContext& ctx, int step,
                                       const std::vector<SampleText>& gradients) {
  std::vector<Route> routes;
  const std::vector<llm::ChatRequest> requests = SpecificityRequests(ctx, step, gradients);
  if (requests.empty()) {
    for (const std::string& c : ctx.criteria) routes.push_back({c, std::nullopt, "", kNoJoint});
    return routes;
  }
  ctx.Stage(step, "route");
  const auto replies = SendWave(ctx, llm::Role::kDiagnostic, requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, requests));
  const double threshold = ctx.config.method.router_threshold;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    Route r{ctx.criteria[i],
            prompts::ParseDiagnosticScore(llm::CompleteText(requests[i], *replies[i])),
            replies[i]->content, ""};
    if (!r.specificity) {
      r.reason = kUnparseable;
    } else {
      r.reason = *r.specificity < threshold ? kBelow : kAtOrAbove;
    }
    routes.push_back(std::move(r));
  }
  return routes;
}

DecisionRecord RouteDecision(const Route& r, double threshold, int separate_calls) {
  nlohmann::ordered_json payload;
  payload["specificity"] =
      r.specificity ? nlohmann::ordered_json(*r.specificity) : nlohmann::ordered_json(nullptr);
  payload["threshold"] = threshold;
  payload["routed"] = r.routed();
  payload["reason"] = r.reason;
  payload["separate_calls"] = separate_calls;
  if (r.reason == kUnparseable) payload["reply"] = r.reply;
  const std::string t = prompts::FormatNumber(threshold);
  std::string why;
  if (r.reason == kNoJoint) {
    why = "no joint gradient to score";
  } else if (r.reason == kUnparseable) {
    why = "unparseable specificity reply";
  } else {
    why = fmt::format("specificity {} {} threshold {}", *r.specificity, r.routed() ? "<" : ">=", t);
  }
  DecisionRecord d;
  d.kind = "route";
  d.criterion = r.criterion;
  d.summary = r.routed() ? fmt::format("{}: routed to {} separate gradient call{}", why,
                                       separate_calls, separate_calls == 1 ? "" : "s")
                         : why + ": joint gradient kept";
  d.payload_json = payload.dump();
  return d;
}

}  // namespace

std::vector<llm::ChatRequest> SpecificityRequests(const RunContext& ctx, int step,
                                                  const std::vector<SampleText>& gradients) {
  const std::string joint_text = JointText(gradients);
  std::vector<llm::ChatRequest> requests;
  if (joint_text.empty()) return requests;
  for (const std::string& c : ctx.criteria) {
    requests.push_back(NewRequest(ctx, llm::Role::kDiagnostic,
                                  prompts::SpecificityPrompt(c, ctx.criteria, joint_text),
                                  fmt::format("{}/{}", StepTag(step, "route"), c)));
  }
  return requests;
}

Result<PlannedCalls> PlanRoutedGradients(const RunContext& ctx, int step,
                                         const judge::JudgePrompt& prompt,
                                         const std::vector<BatchSample>& batch,
                                         const std::vector<SampleText>& losses,
                                         const std::set<std::string>& routed) {
  std::vector<SampleText> fallback_losses;
  for (const SampleText& loss : losses) {
    if (loss.criterion != kJoint && routed.count(loss.criterion) > 0) {
      fallback_losses.push_back(loss);
    }
  }
  return PlanSeparateGradients(ctx, step, prompt, batch, fallback_losses);
}

Result<std::vector<SampleText>> RunRoutedGradientStage(RunContext& ctx, int step,
                                                       const judge::JudgePrompt& prompt,
                                                       const std::vector<BatchSample>& batch,
                                                       const std::vector<SampleText>& losses,
                                                       std::vector<DecisionRecord>& decisions) {
  JO_ASSIGN_OR_RETURN(std::vector<SampleText> out,
                      RunGradientStage(ctx, step, prompt, batch, losses));
  JO_ASSIGN_OR_RETURN(const std::vector<Route> routes, ScoreRoutes(ctx, step, out));
  std::set<std::string> routed;
  for (const Route& r : routes) {
    if (r.routed()) routed.insert(r.criterion);
  }
  JO_ASSIGN_OR_RETURN(const PlannedCalls planned,
                      PlanRoutedGradients(ctx, step, prompt, batch, losses, routed));
  if (!planned.requests.empty()) ctx.Stage(step, "gradient");
  const auto replies = SendWave(ctx, llm::Role::kGradient, planned.requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, planned.requests));
  for (std::size_t k = 0; k < replies.size(); ++k) {
    std::string text(Trim(llm::CompleteText(planned.requests[k], *replies[k])));
    if (text.empty()) continue;
    SampleText t = planned.slots[k];
    t.text = std::move(text);
    out.push_back(std::move(t));
  }

  for (const Route& r : routes) {
    int calls = 0;
    for (const SampleText& slot : planned.slots) calls += slot.criterion == r.criterion ? 1 : 0;
    decisions.push_back(RouteDecision(r, ctx.config.method.router_threshold, calls));
  }
  return out;
}

}  // namespace judgeopt::optim
