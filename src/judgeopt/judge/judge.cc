#include "judgeopt/judge/judge.h"

#include <utility>

#include <fmt/format.h>

#include "judgeopt/base/strings.h"
#include "judgeopt/judge/reask.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/llm/sample_seed.h"

namespace judgeopt::judge {

Result<std::vector<JudgeCall>> RenderJudgeCalls(const JudgePrompt& prompt,
                                                const data::Dataset& dataset,
                                                const data::Example& example, JudgeMode mode) {
  JO_ASSIGN_OR_RETURN(auto criteria, prompt.Criteria(dataset));
  std::vector<JudgeCall> calls;
  switch (mode) {
    case JudgeMode::kJoint: {
      JO_ASSIGN_OR_RETURN(auto messages, RenderJudgeMessages(prompt, dataset, example));
      calls.push_back({criteria, std::move(messages), ReplyShape::kJsonObject, ""});
      break;
    }
    case JudgeMode::kPerCriterion:
      for (const data::Criterion* c : criteria) {
        JO_ASSIGN_OR_RETURN(auto messages, RenderJudgeMessages(prompt, dataset, example, c->name));
        calls.push_back({{c}, std::move(messages), ReplyShape::kJsonObject, c->name});
      }
      break;
    case JudgeMode::kSectioned: {
      JO_ASSIGN_OR_RETURN(std::string text, RenderSectionedTaskPrompt(prompt, dataset, example));
      calls.push_back({criteria, {{"user", std::move(text)}}, ReplyShape::kScoreLines, ""});
      break;
    }
  }
  return calls;
}

struct Judge::Outcome {
  std::vector<CriterionValue> values;  // aligned with the conversation's criteria
  std::string raw_reply;
  int attempts = 0;
  std::optional<Error> error;
  llm::Usage usage;
};

namespace {

void AddUsage(llm::Usage& total, const llm::Usage& more) {
  total.prompt_tokens += more.prompt_tokens;
  total.completion_tokens += more.completion_tokens;
  total.estimated = total.estimated || more.estimated;
}

// The latest usable value wins; an earlier usable value survives a later failure.
void MergeValues(std::vector<CriterionValue>& into, const std::vector<CriterionValue>& latest) {
  for (std::size_t i = 0; i < into.size(); ++i) {
    if (latest[i].value || !into[i].value) into[i] = latest[i];
  }
}

bool AllMissing(const std::vector<CriterionValue>& values) {
  for (const auto& v : values) {
    if (v.value) return false;
  }
  return true;
}

// The reply parsed for the call's criteria, or, when it was cut off at max_tokens or withheld by
// a content filter, not read at all: every value missing, error kIncomplete (so the judge re-asks
// as after an unparsable reply). An empty reply goes to the parser, which calls it "empty reply".
ParsedReply ReadReply(const llm::ChatResponse& reply, const JudgeCall& call) {
  if (!llm::IsCutShort(reply)) return ParseReply(reply.content, call.criteria, call.shape);
  ParsedReply out;
  out.error = ReplyError::kIncomplete;
  out.error_message = std::string(llm::ProblemForModel(llm::OutcomeOf(reply)));
  out.values.assign(call.criteria.size(), CriterionValue{std::nullopt, out.error_message});
  return out;
}

std::string AttemptTag(const std::string& tag, int attempt) {
  return attempt == 0 ? tag : tag + "/reask" + std::to_string(attempt);
}

}  // namespace

Judge::Judge(llm::LlmClient& client, WorkPool& pool, JudgeSettings settings)
    : client_(client), pool_(pool), settings_(std::move(settings)) {}

llm::ChatRequest Judge::MakeRequest(const std::vector<llm::ChatMessage>& messages, std::string tag,
                                    int sample_index) const {
  llm::ChatRequest r;
  r.role = llm::Role::kJudge;
  r.model = settings_.model;
  r.messages = messages;
  r.temperature = settings_.temperature;
  r.max_tokens = settings_.max_tokens;
  llm::SetSample(r, settings_.seed, llm::kJudgeSampleStep, sample_index);
  r.tag = std::move(tag);
  return r;
}

Judge::Outcome Judge::Converse(const JudgeCall& call, const std::string& tag,
                               int sample_index) const {
  Outcome out;
  out.values.assign(call.criteria.size(), CriterionValue{std::nullopt, "not judged"});
  std::vector<llm::ChatMessage> messages = call.messages;
  ParsedReply last;
  std::string problem;  // why the last reply was not read (cut off, filtered), for the error
  for (int attempt = 0;; ++attempt) {
    const llm::ChatRequest request = MakeRequest(messages, AttemptTag(tag, attempt), sample_index);
    auto reply = client_.Complete(request);
    ++out.attempts;
    if (!reply.ok()) {
      out.error = reply.error();
      for (auto& v : out.values) {
        if (!v.value) v.problem = "judge call failed: " + reply.error().ToString();
      }
      return out;
    }
    AddUsage(out.usage, reply->usage);
    out.raw_reply = reply->content;
    last = ReadReply(*reply, call);
    problem = last.error == ReplyError::kIncomplete ? llm::ReplyProblem(request, *reply) : "";
    MergeValues(out.values, last.values);
    if (attempt >= settings_.max_reasks || !NeedsReask(last, settings_.reask_on_missing)) break;
    messages.push_back({"assistant", out.raw_reply});
    messages.push_back({"user", CorrectiveMessage(last, call.criteria, call.shape)});
  }
  if (AllMissing(out.values) && !call.criteria.empty()) {
    std::string why = !problem.empty() ? problem : last.error_message;
    out.error = ParseError(why.empty() ? "no usable value" : why);
  }
  return out;
}

Prediction Judge::Merge(const data::Dataset& dataset, const data::Example& example,
                        const Result<std::vector<JudgeCall>>& calls,
                        std::span<Outcome> outcomes) const {
  Prediction p;
  p.id = example.id;
  p.values.assign(dataset.criteria.size(),
                  CriterionValue{std::nullopt, "not covered by the judge prompt"});
  if (!calls.ok()) {
    p.error = calls.error();
    for (auto& v : p.values) v.problem = "prompt could not be rendered";
    return p;
  }
  std::optional<Error> call_failure;
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    Outcome& o = outcomes[k];
    const JudgeCall& call = (*calls)[k];
    for (std::size_t i = 0; i < call.criteria.size(); ++i) {
      const int index = dataset.CriterionIndex(call.criteria[i]->name);
      p.values[static_cast<std::size_t>(index)] = std::move(o.values[i]);
    }
    p.attempts += o.attempts;
    AddUsage(p.usage, o.usage);
    if (o.error && o.error->code != ErrorCode::kParse && !call_failure) call_failure = o.error;
    p.replies.push_back(std::move(o.raw_reply));
  }
  if (outcomes.size() == 1) {
    p.raw_reply = p.replies.front();
    p.error = std::move(outcomes.front().error);
    return p;
  }
  for (const std::string& r : p.replies) {
    const std::string_view t = Trim(r);
    if (t.empty()) continue;
    if (!p.raw_reply.empty()) p.raw_reply += '\n';
    p.raw_reply += t;
  }
  bool any_value = false;
  for (const auto& v : p.values) any_value = any_value || v.value.has_value();
  if (!any_value && !outcomes.empty()) {
    p.error = call_failure ? *call_failure : ParseError("no usable value");
  }
  return p;
}

Result<std::vector<Prediction>> Judge::Predict(const data::Dataset& dataset,
                                               const JudgePrompt& prompt,
                                               std::span<const std::size_t> positions,
                                               const PredictOptions& options) const {
  JO_RETURN_IF_ERROR(prompt.CheckAgainst(dataset));
  for (std::size_t pos : positions) {
    if (pos >= dataset.examples.size()) {
      return InvalidArgument("example position " + std::to_string(pos) + " is out of range (" +
                             dataset.name + " has " + std::to_string(dataset.examples.size()) +
                             " examples)");
    }
  }
  const std::size_t n = positions.size();
  std::vector<Result<std::vector<JudgeCall>>> calls(n, std::vector<JudgeCall>{});
  pool_.ParallelFor(n, [&](std::size_t i) {
    calls[i] = RenderJudgeCalls(prompt, dataset, dataset.examples[positions[i]], settings_.mode);
  });
  // One wave of every call of every example; first[i] = example i's first job.
  std::vector<std::size_t> first(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    first[i + 1] = first[i] + (calls[i].ok() ? calls[i]->size() : 0);
  }
  std::vector<std::size_t> owner(first[n]);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = first[i]; j < first[i + 1]; ++j) owner[j] = i;
  }
  const std::string prefix = options.tag.empty() ? "judge" : options.tag;
  std::vector<Outcome> outcomes(first[n]);
  pool_.ParallelFor(first[n], [&](std::size_t j) {
    const std::size_t i = owner[j];
    const JudgeCall& call = (*calls[i])[j - first[i]];
    std::string tag = prefix + "/" + dataset.examples[positions[i]].id;
    if (!call.label.empty()) tag += "/" + call.label;
    outcomes[j] = Converse(call, tag, options.repeat);
  });
  std::vector<Prediction> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::span<Outcome> mine(outcomes.data() + first[i], first[i + 1] - first[i]);
    out[i] = Merge(dataset, dataset.examples[positions[i]], calls[i], mine);
  }
  return out;
}

}  // namespace judgeopt::judge
