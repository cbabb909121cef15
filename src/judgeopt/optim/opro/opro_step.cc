#include "judgeopt/optim/opro/opro_step.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "judgeopt/llm/reply_check.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/gate.h"
#include "judgeopt/optim/opro/opro_prompt.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/parse.h"

namespace judgeopt::optim {
namespace {

// Judge requests of OPRO's batch scoring all use sample index 0: a prompt's score on the batch is
// a property of the prompt, so the current prompt (last step's best candidate) gets the same
// predictions it got as a candidate, from the response cache.
constexpr int kBatchRepeat = 0;

// A proposal that parsed: its candidate index and prompt.
struct Proposal {
  int candidate = 0;
  judge::JudgePrompt prompt;
};

std::string FoundJson(const prompts::ParsedInstructions& parsed) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const prompts::Instruction& ins : parsed.found) j[ins.criterion] = ins.text;
  return j.dump();
}

// Asks for num_candidates proposals in one wave and parses them into `record`; returns those that
// parsed. A failed call fails the step; an unusable reply is recorded with its error and skipped.
Result<std::vector<Proposal>> Propose(RunContext& ctx, int step, const std::string& meta,
                                      const judge::JudgePrompt& current, StepRecord& record) {
  ctx.Stage(step, "optimizer");
  std::vector<llm::ChatRequest> requests;
  for (int k = 0; k < ctx.config.opro.num_candidates; ++k) {
    requests.push_back(NewSampleRequest(ctx, llm::Role::kOptimizer, meta,
                                        fmt::format("{}/all/k{}", StepTag(step, "optimizer"), k),
                                        step, k));
  }
  const auto replies = SendWave(ctx, llm::Role::kOptimizer, requests);
  JO_RETURN_IF_ERROR(FirstWaveError(replies, requests));
  prompts::CombinedParseOptions options;
  options.lenient = ctx.config.switches.lenient_optimizer_json;
  std::vector<Proposal> out;
  for (std::size_t k = 0; k < replies.size(); ++k) {
    OptimizerCallRecord r{kJoint, static_cast<int>(k), meta, replies[k]->content, "", ""};
    if (llm::IsCutShort(*replies[k])) {
      r.error = llm::ReportCutShort(requests[k], *replies[k]);
      record.optimizer_calls.push_back(std::move(r));
      continue;
    }
    auto parsed = prompts::ParseCombinedReply(r.raw_reply, ctx.criteria, options);
    if (parsed.ok()) {
      r.parsed_json = FoundJson(*parsed);
      JO_ASSIGN_OR_RETURN(auto prompt, OproCandidatePrompt(ctx.config, current, r.parsed_json));
      out.push_back({static_cast<int>(k), std::move(prompt)});
    } else {
      r.error = parsed.error().message;
    }
    record.optimizer_calls.push_back(std::move(r));
  }
  return out;
}

// Scores the proposals on the batch (one wave): their hits go into record.losses, their mean
// accuracies into candidate_batch_scores (NaN for a proposal that did not parse). Returns the
// index into `proposals` of the first best, or -1 when there is none.
Result<int> ScoreProposals(RunContext& ctx, int step, const std::vector<Proposal>& proposals,
                           const std::vector<std::size_t>& batch, StepRecord& record) {
  record.gate.candidate_batch_scores.assign(
      static_cast<std::size_t>(ctx.config.opro.num_candidates),
      std::numeric_limits<double>::quiet_NaN());
  if (proposals.empty()) return -1;
  ctx.Stage(step, "candidates");
  std::vector<judge::JudgePrompt> candidates;
  for (const Proposal& p : proposals) candidates.push_back(p.prompt);
  JO_ASSIGN_OR_RETURN(auto preds,
                      PredictMany(ctx, candidates, batch, step, "candidates",
                                  std::vector<int>(candidates.size(), kBatchRepeat)));
  int best = -1;
  double best_score = 0;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto hits = BatchHits(ctx, batch, preds[i]);
    AppendHits(record.losses, proposals[i].candidate, hits);
    const double score = MeanAccuracy(hits);
    record.gate.candidate_batch_scores[static_cast<std::size_t>(proposals[i].candidate)] = score;
    if (best < 0 || score > best_score) {
      best = static_cast<int>(i);
      best_score = score;
    }
  }
  return best;
}

// The gate on the chosen proposal (or no change when none parsed); advances state.incumbent.
Status Decide(RunContext& ctx, int step, const Proposal* chosen, StepState& state,
              StepRecord& record) {
  std::vector<double> scores = std::move(record.gate.candidate_batch_scores);
  if (chosen == nullptr) {
    record.candidate = record.incumbent_before;
    record.gate = GateRecord{};
    record.gate.metric = EnumName(ctx.config.gate.metric);
    record.gate.accepted = false;
    record.gate.chosen_candidate = -1;
  } else {
    record.candidate = MakePromptRecord(chosen->prompt);
    JO_ASSIGN_OR_RETURN(record.gate, RunGate(ctx, step, state.incumbent, chosen->prompt,
                                             state.carried_gate_score));
    record.gate.chosen_candidate = chosen->candidate;
    if (record.gate.accepted) state.incumbent = chosen->prompt;
    if (!record.gate.skipped && !ctx.config.switches.rescore_incumbent) {
      state.carried_gate_score =
          record.gate.accepted ? record.gate.candidate_score : record.gate.incumbent_score;
    }
  }
  record.gate.candidate_batch_scores = std::move(scores);
  record.carried_gate_score = state.carried_gate_score;
  record.incumbent_after = MakePromptRecord(state.incumbent);
  return Status::Ok();
}

}  // namespace

Result<StepRecord> RunOproStep(RunContext& ctx, RunRecorder& recorder, int step, StepState& state,
                               OproState& opro) {
  StepRecord record;
  record.step = step;
  record.incumbent_before = MakePromptRecord(state.incumbent);
  record.batch_positions = OproBatch(ctx.dataset, ctx.config, step);
  const std::vector<std::size_t>& batch = record.batch_positions;

  ctx.Stage(step, "predict");
  JO_ASSIGN_OR_RETURN(auto preds,
                      PredictWave(ctx, state.incumbent, batch, step, "predict", kBatchRepeat));
  for (std::size_t i = 0; i < preds.size(); ++i) {
    record.batch_predictions.push_back(MakePredictionRecord(ctx, batch[i], preds[i]));
  }
  AppendHits(record.losses, kOproCurrentSample, BatchHits(ctx, batch, preds));
  JO_ASSIGN_OR_RETURN(auto current_entry, CurrentEntry(ctx.criteria, state.incumbent, record));
  opro.trajectory().Push(std::move(current_entry));

  const auto exemplars = OproExemplarPositions(ctx.dataset, ctx.config, step, batch);
  const std::string meta = OproMetaPromptFor(ctx.dataset, ctx.config, ctx.criteria,
                                             state.incumbent, opro.trajectory(), exemplars);
  JO_ASSIGN_OR_RETURN(auto proposals, Propose(ctx, step, meta, state.incumbent, record));
  JO_ASSIGN_OR_RETURN(const int best, ScoreProposals(ctx, step, proposals, batch, record));
  JO_ASSIGN_OR_RETURN(auto entries,
                      CandidateEntries(ctx.config, ctx.criteria, state.incumbent, record));
  for (auto& e : entries) opro.trajectory().Push(std::move(e));

  const Proposal* chosen = best < 0 ? nullptr : &proposals[static_cast<std::size_t>(best)];
  JO_RETURN_IF_ERROR(Decide(ctx, step, chosen, state, record));
  JO_RETURN_IF_ERROR(EvaluateIfDue(ctx, recorder, step, state, record));
  return record;
}

}  // namespace judgeopt::optim
