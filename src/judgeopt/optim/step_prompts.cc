#include "judgeopt/optim/step_prompts.h"

#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/methods/conflict_matrix.h"
#include "judgeopt/optim/methods/edit_merge.h"
#include "judgeopt/optim/methods/router.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/optim/textgrad/stages.h"

namespace judgeopt::optim {
namespace {

constexpr NamedValue<StepStage> kStepStages[] = {{StepStage::kPredict, "predict"},
                                                 {StepStage::kLoss, "loss"},
                                                 {StepStage::kGradient, "gradient"},
                                                 {StepStage::kRoute, "route"},
                                                 {StepStage::kConflicts, "conflicts"},
                                                 {StepStage::kOptimizer, "optimizer"}};

// The client behind a rebuild's RunContext: the planners never call it.
class NoCallClient : public llm::LlmClient {
 public:
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override {
    return InternalError("rebuilding a step's prompts makes no model call (" + request.tag + ")");
  }
};

// A stored batch prediction as the judge's Prediction (values aligned with dataset criteria).
judge::Prediction PredictionOf(const data::Dataset& dataset,
                               const std::vector<std::string>& criteria,
                               const PredictionRecord& r) {
  judge::Prediction p;
  p.id = r.example_id;
  p.raw_reply = r.raw_reply;
  p.values.resize(dataset.criteria.size());
  for (std::size_t k = 0; k < criteria.size() && k < r.values.size(); ++k) {
    const int c = dataset.CriterionIndex(criteria[k]);
    if (c >= 0) p.values[static_cast<std::size_t>(c)].value = r.values[k];
  }
  return p;
}

Status CheckRecord(const data::Dataset& dataset, const std::string& run_id,
                   const StepRecord& record) {
  if (record.step < 1) {
    return InvalidArgument(fmt::format(
        "run {} step {}: the baseline sends only test evaluations; choose a step from 1", run_id,
        record.step));
  }
  if (record.batch_predictions.size() != record.batch_positions.size()) {
    return InternalError(fmt::format("run {} step {}: {} batch positions but {} predictions",
                                     run_id, record.step, record.batch_positions.size(),
                                     record.batch_predictions.size()));
  }
  for (const PredictionRecord& p : record.batch_predictions) {
    if (p.position >= dataset.examples.size() || dataset.examples[p.position].id != p.example_id) {
      return InvalidArgument(fmt::format("run {} step {}: example '{}' is not at position {} of {}"
                                         " (was the run made on another version of the data?)",
                                         run_id, record.step, p.example_id, p.position,
                                         dataset.name));
    }
  }
  return Status::Ok();
}

void AddPlanned(const PlannedCalls& planned, StepStage stage, llm::Role role,
                std::vector<StepPrompt>& out) {
  for (std::size_t k = 0; k < planned.requests.size(); ++k) {
    out.push_back({EnumName(stage), planned.requests[k].tag, role,
                   planned.slots[k].criterion, planned.slots[k].sample,
                   planned.requests[k].messages});
  }
}

Status AddPredict(const RunContext& ctx, const judge::JudgePrompt& prompt,
                  const StepRecord& record, std::vector<StepPrompt>& out) {
  const judge::JudgeMode mode = ctx.judge.settings().mode;  // per-criterion: a call each
  for (std::size_t i = 0; i < record.batch_positions.size(); ++i) {
    const data::Example& ex = ctx.dataset.examples[record.batch_positions[i]];
    JO_ASSIGN_OR_RETURN(auto calls, judge::RenderJudgeCalls(prompt, ctx.dataset, ex, mode));
    for (judge::JudgeCall& c : calls) {
      std::string tag = fmt::format("{}/{}", StepTag(record.step, "predict"), ex.id);
      if (!c.label.empty()) tag += "/" + c.label;
      out.push_back({EnumName(StepStage::kPredict), std::move(tag), llm::Role::kJudge,
                     c.label.empty() ? std::string(kJoint) : c.label, static_cast<int>(i),
                     std::move(c.messages)});
    }
  }
  return Status::Ok();
}

// Requests that concern one criterion each (or a pair, "a,b"), in the order sent.
void AddRequests(const std::vector<llm::ChatRequest>& requests,
                 const std::vector<std::string>& criteria, StepStage stage,
                 std::vector<StepPrompt>& out) {
  for (std::size_t k = 0; k < requests.size(); ++k) {
    out.push_back({EnumName(stage), requests[k].tag, llm::Role::kDiagnostic, criteria[k], -1,
                   requests[k].messages});
  }
}

// The criteria a router step routed back to separate gradient calls (its "route" decisions).
std::set<std::string> RoutedCriteria(const StepRecord& record) {
  std::set<std::string> routed;
  for (const DecisionRecord& d : record.decisions) {
    if (d.kind != "route") continue;
    const auto payload = nlohmann::json::parse(d.payload_json, nullptr, false);
    if (payload.is_object() && payload.value("routed", false)) routed.insert(d.criterion);
  }
  return routed;
}

// A router step: the specificity calls over the stored joint gradients, then the separate
// gradient calls of the criteria it routed.
Status AddRouter(const RunContext& ctx, const judge::JudgePrompt& prompt,
                 const std::vector<BatchSample>& batch, const StepRecord& record,
                 std::vector<StepPrompt>& out) {
  const auto requests = SpecificityRequests(ctx, record.step, record.gradients);
  AddRequests(requests, requests.empty() ? std::vector<std::string>() : ctx.criteria,
              StepStage::kRoute, out);
  JO_ASSIGN_OR_RETURN(const PlannedCalls separate,
                      PlanRoutedGradients(ctx, record.step, prompt, batch, record.losses,
                                          RoutedCriteria(record)));
  AddPlanned(separate, StepStage::kGradient, llm::Role::kGradient, out);
  return Status::Ok();
}

// The conflict classifier calls over the edits of the stored gradients.
void AddConflicts(const RunContext& ctx, const judge::JudgePrompt& prompt,
                  const StepRecord& record, std::vector<StepPrompt>& out) {
  const StepEdits edits = CollectEdits(ctx.criteria, record.gradients);
  const std::vector<PlannedPair> planned = PlanConflictPairs(edits, prompt);
  std::vector<std::string> pairs;
  for (const PlannedPair& p : planned) {
    pairs.push_back(edits.criteria[p.a].criterion + "," + edits.criteria[p.b].criterion);
  }
  AddRequests(ConflictRequests(ctx, record.step, edits, planned), pairs, StepStage::kConflicts, out);
}

void AddOptimizer(const StepRecord& record, std::vector<StepPrompt>& out) {
  for (const OptimizerCallRecord& c : record.optimizer_calls) {
    const std::string who = c.criterion == kJoint ? "all" : c.criterion;
    out.push_back({EnumName(StepStage::kOptimizer),
                   fmt::format("{}/{}/k{}", StepTag(record.step, "optimizer"), who, c.candidate),
                   llm::Role::kOptimizer, c.criterion, -1, {{"user", c.meta_prompt}}});
  }
}

}  // namespace

std::span<const NamedValue<StepStage>> NamesOf(StepStage) { return kStepStages; }

bool StepPrompt::Concerns(const std::string& c) const {
  if (criterion == c || criterion == kJoint) return true;
  const std::size_t comma = criterion.find(',');
  if (comma == std::string::npos) return false;
  const std::string_view pair(criterion);
  return pair.substr(0, comma) == c || pair.substr(comma + 1) == c;
}

Result<std::vector<StepPrompt>> RebuildStepPrompts(const data::Dataset& dataset,
                                                   const OptimizeConfig& config,
                                                   const std::vector<std::string>& criteria,
                                                   const std::string& run_id,
                                                   const StepRecord& record) {
  JO_RETURN_IF_ERROR(CheckRecord(dataset, run_id, record));
  JO_ASSIGN_OR_RETURN(const judge::JudgePrompt prompt,
                      PromptFromRecord(record.incumbent_before, dataset, run_id));
  NoCallClient client;
  WorkPool pool(1);
  const judge::Judge judge(client, pool, JudgeSettingsFor(config));  // the run's judge mode
  RunContext ctx{dataset, config, run_id, criteria, {}, pool, judge};
  ctx.clients.fill(&client);

  std::vector<StepPrompt> out;
  JO_RETURN_IF_ERROR(AddPredict(ctx, prompt, record, out));
  std::vector<judge::Prediction> predictions;
  for (const PredictionRecord& p : record.batch_predictions) {
    predictions.push_back(PredictionOf(dataset, criteria, p));
  }
  const auto batch = MakeBatchSamples(ctx, record.batch_positions, std::move(predictions));
  JO_ASSIGN_OR_RETURN(const PlannedCalls loss, PlanLossStage(ctx, record.step, batch));
  AddPlanned(loss, StepStage::kLoss, llm::Role::kLoss, out);
  JO_ASSIGN_OR_RETURN(const PlannedCalls gradient,
                      PlanGradientStage(ctx, record.step, prompt, batch, record.losses));
  AddPlanned(gradient, StepStage::kGradient, llm::Role::kGradient, out);
  const MethodConfig& method = config.method;
  if (method.name == Method::kRouter) {
    JO_RETURN_IF_ERROR(AddRouter(ctx, prompt, batch, record, out));
  }
  if (method.structured_gradients && (method.conflict_matrix || method.name == Method::kSpc)) {
    AddConflicts(ctx, prompt, record, out);
  }
  AddOptimizer(record, out);
  return out;
}

}  // namespace judgeopt::optim
