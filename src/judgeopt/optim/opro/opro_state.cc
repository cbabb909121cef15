#include "judgeopt/optim/opro/opro_state.h"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "judgeopt/config/tree.h"
#include "judgeopt/judge/prompt_file.h"

namespace judgeopt::optim {
namespace {

constexpr const char* kHitsFormat = "accuracy {}/{}";

Result<judge::JudgePrompt> StoredPrompt(const RunContext& ctx, const PromptRecord& r, int step) {
  const std::string origin = fmt::format("run {} step {} incumbent_before", ctx.run_id, step);
  JO_ASSIGN_OR_RETURN(auto tree, config::ParseJson(r.json, origin));
  return judge::PromptFromTree(tree, ctx.dataset, origin);
}

}  // namespace

std::vector<CriterionHits> BatchHits(const RunContext& ctx,
                                     const std::vector<std::size_t>& positions,
                                     const std::vector<judge::Prediction>& predictions) {
  std::vector<CriterionHits> out;
  for (const std::string& name : ctx.criteria) {
    const auto c = static_cast<std::size_t>(ctx.dataset.CriterionIndex(name));
    CriterionHits h{name, 0, 0};
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const auto v = predictions[i].Value(c);
      if (!v) continue;
      ++h.n;
      if (*v == ctx.dataset.examples[positions[i]].gold[c]) ++h.correct;
    }
    out.push_back(std::move(h));
  }
  return out;
}

void AppendHits(std::vector<SampleText>& out, int sample, const std::vector<CriterionHits>& hits) {
  for (const CriterionHits& h : hits) {
    out.push_back({h.criterion, sample, fmt::format(kHitsFormat, h.correct, h.n)});
  }
}

Result<std::vector<CriterionHits>> HitsOf(const std::vector<SampleText>& losses, int sample,
                                          const std::vector<std::string>& criteria) {
  std::vector<CriterionHits> out;
  for (const std::string& c : criteria) {
    const SampleText* found = nullptr;
    for (const SampleText& t : losses) {
      if (t.sample == sample && t.criterion == c) found = &t;
    }
    if (found == nullptr) {
      return InternalError(fmt::format("no batch score of '{}' for sample {}", c, sample));
    }
    CriterionHits h{c, 0, 0};
    int used = 0;
    if (std::sscanf(found->text.c_str(), "accuracy %d/%d%n", &h.correct, &h.n, &used) != 2 ||
        static_cast<std::size_t>(used) != found->text.size() || h.correct < 0 ||
        h.correct > h.n) {
      return InternalError(fmt::format("malformed batch score of '{}' for sample {}: '{}'", c,
                                       sample, found->text));
    }
    out.push_back(std::move(h));
  }
  return out;
}

double MeanAccuracy(const std::vector<CriterionHits>& hits) {
  double sum = 0;
  int counted = 0;
  for (const CriterionHits& h : hits) {
    if (h.n == 0) continue;
    sum += static_cast<double>(h.correct) / h.n;
    ++counted;
  }
  return counted == 0 ? 0.0 : sum / counted;
}

Result<judge::JudgePrompt> OproCandidatePrompt(const OptimizeConfig& config,
                                               const judge::JudgePrompt& current,
                                               const std::string& parsed_json) {
  const auto parsed = nlohmann::ordered_json::parse(parsed_json, nullptr, false);
  if (!parsed.is_object()) {
    return InternalError("candidate instructions are not a JSON object: " + parsed_json);
  }
  judge::JudgePrompt out = current;
  for (const auto& [criterion, text] : parsed.items()) {
    if (!text.is_string() || !current.Covers(criterion)) continue;
    JO_ASSIGN_OR_RETURN(out, out.WithInstruction(criterion, text.get<std::string>()));
  }
  if (!config.switches.preserve_output_format) out = out.WithOutputFormat(false);
  return out;
}

prompts::OproEntry OproEntryOf(const judge::JudgePrompt& prompt,
                               const std::vector<std::string>& criteria,
                               const std::vector<CriterionHits>& hits) {
  prompts::OproEntry e;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const CriterionHits& h = hits[i];
    const double score = h.n == 0 ? 0.0 : static_cast<double>(h.correct) / h.n;
    e.items.push_back({criteria[i], *prompt.Instruction(criteria[i]), score});
  }
  e.key = MeanAccuracy(hits);
  return e;
}

Result<prompts::OproEntry> CurrentEntry(const std::vector<std::string>& criteria,
                                        const judge::JudgePrompt& current,
                                        const StepRecord& record) {
  JO_ASSIGN_OR_RETURN(auto hits, HitsOf(record.losses, kOproCurrentSample, criteria));
  return OproEntryOf(current, criteria, hits);
}

Result<std::vector<prompts::OproEntry>> CandidateEntries(const OptimizeConfig& config,
                                                         const std::vector<std::string>& criteria,
                                                         const judge::JudgePrompt& current,
                                                         const StepRecord& record) {
  std::vector<prompts::OproEntry> out;
  for (const OptimizerCallRecord& call : record.optimizer_calls) {
    if (!call.error.empty()) continue;  // skipped: never scored
    JO_ASSIGN_OR_RETURN(auto hits, HitsOf(record.losses, call.candidate, criteria));
    JO_ASSIGN_OR_RETURN(auto prompt, OproCandidatePrompt(config, current, call.parsed_json));
    out.push_back(OproEntryOf(prompt, criteria, hits));
  }
  return out;
}

OproState::OproState(const OptimizeConfig& config)
    : trajectory_(static_cast<std::size_t>(config.opro.trajectory_size),
                  config.opro.dedupe_trajectory) {}

Status OproState::Replay(const RunContext& ctx, const StepRecord& record) {
  JO_ASSIGN_OR_RETURN(auto current, StoredPrompt(ctx, record.incumbent_before, record.step));
  JO_ASSIGN_OR_RETURN(auto entry, CurrentEntry(ctx.criteria, current, record));
  trajectory_.Push(std::move(entry));
  JO_ASSIGN_OR_RETURN(auto candidates, CandidateEntries(ctx.config, ctx.criteria, current, record));
  for (auto& e : candidates) trajectory_.Push(std::move(e));
  return Status::Ok();
}

Status OproState::Restore(const RunContext& ctx, RunRecorder& recorder, int last_step) {
  for (int step = 1; step <= last_step; ++step) {
    JO_ASSIGN_OR_RETURN(auto record, recorder.LoadStep(ctx.run_id, step));
    if (!record) {
      return InternalError(fmt::format(
          "run {}: step {} is not stored, so the OPRO trajectory cannot be rebuilt", ctx.run_id,
          step));
    }
    Status st = Replay(ctx, *record);
    if (!st.ok()) return st.error().WithContext(fmt::format("run {} step {}", ctx.run_id, step));
  }
  return Status::Ok();
}

}  // namespace judgeopt::optim
