// The optimizer stage (reference-protocol §4.6): rewrites the instructions from the gradients,
// per criterion (S) or all at once as JSON (C).

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "judgeopt/judge/render.h"
#include "judgeopt/optim/prompts/format.h"
#include "judgeopt/optim/prompts/optimizer.h"
#include "judgeopt/optim/prompts/parse.h"
#include "judgeopt/optim/stages.h"

namespace judgeopt::optim {
namespace {

using InstructionMap = std::map<std::string, std::string>;

std::vector<std::string> GradientsFor(const std::string& criterion,
                                      const std::vector<SampleText>& gradients) {
  std::vector<std::string> out;
  for (const SampleText& g : gradients) {
    if (g.criterion == criterion || g.criterion == kJoint) out.push_back(g.text);
  }
  return out;
}

std::vector<prompts::JudgedSample> Judged(const std::vector<BatchSample>& batch) {
  std::vector<prompts::JudgedSample> out;
  for (const BatchSample& s : batch) out.push_back(s.judged);
  return out;
}

std::string Fallback(const RunContext& ctx, const judge::JudgePrompt& prompt,
                     const std::string& criterion) {
  if (ctx.config.switches.fallback_to_current) return *prompt.Instruction(criterion);
  return ctx.criterion(criterion).seed_instruction;
}

std::string ToJson(const InstructionMap& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [c, text] : m) j[c] = text;
  return j.dump();
}

// One optimizer call to make: its request and what it is for.
struct Call {
  llm::ChatRequest request;
  std::string criterion;  // kJoint for a combined call
  int candidate = 0;
};

Result<std::vector<Call>> PlanSeparate(const RunContext& ctx, int step,
                                       const judge::JudgePrompt& prompt,
                                       const std::vector<BatchSample>& batch,
                                       const std::vector<SampleText>& gradients) {
  std::vector<Call> calls;
  const auto samples = Judged(batch);
  for (const std::string& c : ctx.criteria) {
    const auto grads = GradientsFor(c, gradients);
    if (grads.empty()) continue;
    JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(prompt, ctx.dataset, c));
    const std::string meta =
        prompts::OptimizerPromptSeparate(c, *prompt.Instruction(c), sp, samples, grads);
    for (int k = 0; k < ctx.config.num_candidates; ++k) {
      calls.push_back({NewRequest(ctx, llm::Role::kOptimizer, meta,
                                  fmt::format("{}/{}/k{}", StepTag(step, "optimizer"), c, k), k),
                       c, k});
    }
  }
  return calls;
}

Result<std::string> CombinedMetaPrompt(const RunContext& ctx, const judge::JudgePrompt& prompt,
                                       const std::vector<BatchSample>& batch,
                                       const std::vector<SampleText>& gradients) {
  JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(prompt, ctx.dataset));
  std::vector<prompts::Instruction> instructions;
  std::vector<prompts::CriterionGradients> grads;
  for (const std::string& c : ctx.criteria) {
    instructions.push_back({c, *prompt.Instruction(c)});
    grads.push_back({c, GradientsFor(c, gradients)});
  }
  prompts::OptimizerOptions options;
  options.dedupe_joint_gradients = ctx.config.switches.dedupe_joint_gradients;
  options.escape_variable_json = ctx.config.switches.escape_variable_json;
  return prompts::OptimizerPromptCombined(instructions, sp, Judged(batch), grads, options);
}

// Parses one reply into `out` (criterion -> new instruction); returns the error text, "" if ok.
std::string ParseReply(const RunContext& ctx, const Call& call, const std::string& reply,
                       InstructionMap& out) {
  if (call.criterion != kJoint) {
    prompts::SeparateParseOptions o;
    o.strip_preamble = ctx.config.switches.strip_optimizer_preamble;
    Result<std::string> text = prompts::ParseSeparateReply(reply, o);
    if (!text.ok()) return text.error().message;
    if (prompts::Trim(*text).empty()) return "empty instruction";
    out[call.criterion] = *text;
    return "";
  }
  prompts::CombinedParseOptions o;
  o.lenient = ctx.config.switches.lenient_optimizer_json;
  Result<prompts::ParsedInstructions> parsed = prompts::ParseCombinedReply(reply, ctx.criteria, o);
  if (!parsed.ok()) return parsed.error().message;
  for (const auto& ins : parsed->found) out[ins.criterion] = ins.text;
  return "";
}

// Sends `calls` in waves: a combined reply that does not parse is asked again (a new sample
// index) up to optimizer_retries times. Fills one map per candidate.
Status SendCalls(RunContext& ctx, std::vector<Call> calls, std::vector<InstructionMap>& maps,
                 std::vector<OptimizerCallRecord>& records) {
  for (int attempt = 0; !calls.empty(); ++attempt) {
    std::vector<llm::ChatRequest> requests;
    for (const Call& c : calls) requests.push_back(c.request);
    const auto replies = SendWave(ctx, llm::Role::kOptimizer, requests);
    JO_RETURN_IF_ERROR(FirstWaveError(replies, requests));
    std::vector<Call> again;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      OptimizerCallRecord r{calls[i].criterion, calls[i].candidate,
                            calls[i].request.messages.back().content, replies[i]->content, "",
                            ""};
      InstructionMap found;
      r.error = ParseReply(ctx, calls[i], replies[i]->content, found);
      if (r.error.empty()) {
        r.parsed_json = ToJson(found);
        for (auto& [c, text] : found) maps[static_cast<std::size_t>(calls[i].candidate)][c] = text;
      } else if (calls[i].criterion == kJoint && attempt < ctx.config.optimizer_retries) {
        Call retry = calls[i];
        retry.request.sample_index += ctx.config.num_candidates;
        retry.request.tag = fmt::format("{}/retry{}", calls[i].request.tag, attempt + 1);
        again.push_back(std::move(retry));
      }
      records.push_back(std::move(r));
    }
    calls = std::move(again);
  }
  return Status::Ok();
}

Result<judge::JudgePrompt> BuildCandidate(const RunContext& ctx, const judge::JudgePrompt& prompt,
                                          const InstructionMap& found) {
  judge::JudgePrompt out = prompt;
  for (const std::string& c : ctx.criteria) {
    auto it = found.find(c);
    std::string text = it != found.end() ? it->second : Fallback(ctx, prompt, c);
    JO_ASSIGN_OR_RETURN(out, out.WithInstruction(c, std::move(text)));
  }
  if (!ctx.config.switches.preserve_output_format) out = out.WithOutputFormat(false);
  return out;
}

}  // namespace

Result<OptimizerOutput> RunOptimizerStage(RunContext& ctx, int step,
                                          const judge::JudgePrompt& prompt,
                                          const std::vector<BatchSample>& batch,
                                          const std::vector<SampleText>& gradients) {
  ctx.Stage(step, "optimizer");
  std::vector<Call> calls;
  if (ctx.config.mode.optimizer == Strategy::kSeparate) {
    JO_ASSIGN_OR_RETURN(calls, PlanSeparate(ctx, step, prompt, batch, gradients));
  } else if (!gradients.empty()) {
    JO_ASSIGN_OR_RETURN(const std::string meta, CombinedMetaPrompt(ctx, prompt, batch, gradients));
    for (int k = 0; k < ctx.config.num_candidates; ++k) {
      calls.push_back({NewRequest(ctx, llm::Role::kOptimizer, meta,
                                  fmt::format("{}/all/k{}", StepTag(step, "optimizer"), k), k),
                       kJoint, k});
    }
  }
  OptimizerOutput out;
  std::vector<InstructionMap> maps(static_cast<std::size_t>(ctx.config.num_candidates));
  JO_RETURN_IF_ERROR(SendCalls(ctx, std::move(calls), maps, out.calls));
  for (const InstructionMap& m : maps) {
    JO_ASSIGN_OR_RETURN(judge::JudgePrompt candidate, BuildCandidate(ctx, prompt, m));
    out.candidates.push_back(std::move(candidate));
  }
  return out;
}

}  // namespace judgeopt::optim
