#include "judgeopt/judge/judge.h"

#include <utility>

#include <fmt/format.h>

#include "judgeopt/judge/reask.h"
#include "judgeopt/judge/render.h"

namespace judgeopt::judge {

std::string_view JudgeModeName(JudgeMode mode) {
  switch (mode) {
    case JudgeMode::kJoint: return "joint";
    case JudgeMode::kPerCriterion: return "per-criterion";
    case JudgeMode::kSectioned: return "sectioned";
  }
  return "joint";
}

Result<JudgeMode> ParseJudgeMode(std::string_view name, std::string_view field) {
  for (JudgeMode m : {JudgeMode::kJoint, JudgeMode::kPerCriterion, JudgeMode::kSectioned}) {
    if (name == JudgeModeName(m)) return m;
  }
  return InvalidArgument(fmt::format(
      "{}: unknown judge mode \"{}\" (known: joint, per-criterion, sectioned)", field, name));
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
  r.seed = settings_.seed;
  r.sample_index = sample_index;
  r.tag = std::move(tag);
  return r;
}

Judge::Outcome Judge::Converse(std::vector<llm::ChatMessage> messages,
                               const std::vector<const data::Criterion*>& criteria,
                               const std::string& tag, int sample_index) const {
  Outcome out;
  out.values.assign(criteria.size(), CriterionValue{std::nullopt, "not judged"});
  ParsedReply last;
  for (int attempt = 0;; ++attempt) {
    auto reply = client_.Complete(MakeRequest(messages, AttemptTag(tag, attempt), sample_index));
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
    last = ParseScores(out.raw_reply, criteria);
    MergeValues(out.values, last.values);
    if (attempt >= settings_.max_reasks || !NeedsReask(last, settings_.reask_on_missing)) break;
    messages.push_back({"assistant", out.raw_reply});
    messages.push_back({"user", CorrectiveMessage(last, criteria)});
  }
  if (AllMissing(out.values) && !criteria.empty()) {
    out.error = ParseError(last.error_message.empty() ? "no usable value" : last.error_message);
  }
  return out;
}

Prediction Judge::PredictExample(const data::Dataset& dataset, const JudgePrompt& prompt,
                                 const data::Example& example,
                                 const PredictOptions& options) const {
  Prediction p;
  p.id = example.id;
  p.values.assign(dataset.criteria.size(),
                  CriterionValue{std::nullopt, "not covered by the judge prompt"});
  const std::string tag = (options.tag.empty() ? "judge" : options.tag) + "/" + example.id;
  // kJoint: one conversation for all of the prompt's criteria. Other modes will split the
  // criteria into several conversations (with a criterion filter) and merge them here.
  // RenderJudgeMessages fails whenever Criteria would, so both are usable past this check.
  auto criteria = prompt.Criteria(dataset);
  auto messages = RenderJudgeMessages(prompt, dataset, example);
  if (!messages.ok() || !criteria.ok()) {
    p.error = messages.ok() ? criteria.error() : messages.error();
    for (auto& v : p.values) v.problem = "prompt could not be rendered";
    return p;
  }
  Outcome o = Converse(std::move(messages).value(), *criteria, tag, options.repeat);
  for (std::size_t i = 0; i < criteria->size(); ++i) {
    const int index = dataset.CriterionIndex((*criteria)[i]->name);
    p.values[static_cast<std::size_t>(index)] = std::move(o.values[i]);
  }
  p.raw_reply = std::move(o.raw_reply);
  p.attempts = o.attempts;
  p.error = std::move(o.error);
  p.usage = o.usage;
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
  std::vector<Prediction> out(positions.size());
  pool_.ParallelFor(positions.size(), [&](std::size_t i) {
    out[i] = PredictExample(dataset, prompt, dataset.examples[positions[i]], options);
  });
  return out;
}

}  // namespace judgeopt::judge
