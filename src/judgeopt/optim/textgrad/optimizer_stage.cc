// The optimizer stage (reference-protocol §4.6): rewrites the instructions from the gradients,
// per criterion (S) or all at once as JSON (C); with criterion-owned blocks (docs/methods.md),
// C becomes one JSON call per criterion whose reply counts for its own block only.

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/llm/reply_check.h"
#include "judgeopt/llm/sample_seed.h"
#include "judgeopt/optim/methods/owned_blocks.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/optimizer.h"
#include "judgeopt/prompts/parse.h"

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
  bool owned = false;  // a criterion-owned block's call (JSON reply, only `criterion` kept)

  bool json() const { return criterion == kJoint || owned; }
};

std::vector<prompts::Instruction> InstructionsOf(const RunContext& ctx,
                                                 const judge::JudgePrompt& prompt) {
  std::vector<prompts::Instruction> out;
  for (const std::string& c : ctx.criteria) out.push_back({c, *prompt.Instruction(c)});
  return out;
}

// Every instruction but `criterion`'s (the read-only context of an owned separate call).
std::vector<prompts::Instruction> OthersOf(const RunContext& ctx, const judge::JudgePrompt& prompt,
                                           const std::string& criterion) {
  std::vector<prompts::Instruction> out;
  for (prompts::Instruction& i : InstructionsOf(ctx, prompt)) {
    if (i.criterion != criterion) out.push_back(std::move(i));
  }
  return out;
}

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
    const auto read_only = ctx.config.method.owned_blocks ? OthersOf(ctx, prompt, c)
                                                          : std::vector<prompts::Instruction>();
    const std::string meta =
        prompts::OptimizerPromptSeparate(c, *prompt.Instruction(c), sp, samples, grads, read_only);
    for (int k = 0; k < ctx.config.num_candidates; ++k) {
      calls.push_back({NewSampleRequest(ctx, llm::Role::kOptimizer, meta,
                                        fmt::format("{}/{}/k{}", StepTag(step, "optimizer"), c, k),
                                        step, k),
                       c, k});
    }
  }
  return calls;
}

prompts::OptimizerOptions OptionsOf(const RunContext& ctx) {
  prompts::OptimizerOptions options;
  options.dedupe_joint_gradients = ctx.config.switches.dedupe_joint_gradients;
  options.escape_variable_json = ctx.config.switches.escape_variable_json;
  return options;
}

// The combined FEEDBACK text: per-criterion sections as the study's layout has them, or, when
// joint texts and texts of single criteria are mixed (the router), the joint texts once and each
// criterion's own texts labelled.
std::string CombinedFeedback(const RunContext& ctx, const std::vector<SampleText>& gradients) {
  std::vector<std::string> joint;
  std::vector<prompts::CriterionGradients> own;
  for (const std::string& c : ctx.criteria) own.push_back({c, {}});
  for (const SampleText& g : gradients) {
    if (g.criterion == kJoint) {
      joint.push_back(g.text);
      continue;
    }
    for (auto& o : own) {
      if (o.criterion == g.criterion) o.gradients.push_back(g.text);
    }
  }
  const bool mixed = !joint.empty() && std::any_of(own.begin(), own.end(), [](const auto& o) {
    return !o.gradients.empty();
  });
  if (mixed) return prompts::MixedGradientSections(joint, own);
  std::vector<prompts::CriterionGradients> grads;
  for (const std::string& c : ctx.criteria) grads.push_back({c, GradientsFor(c, gradients)});
  return prompts::CombinedGradientSections(grads, OptionsOf(ctx));
}

Result<std::string> CombinedMetaPrompt(const RunContext& ctx, const judge::JudgePrompt& prompt,
                                       const std::vector<BatchSample>& batch,
                                       const std::vector<SampleText>& gradients) {
  JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(prompt, ctx.dataset));
  return prompts::OptimizerPromptCombinedWithFeedback(InstructionsOf(ctx, prompt), sp,
                                                      Judged(batch),
                                                      CombinedFeedback(ctx, gradients),
                                                      OptionsOf(ctx));
}

// Criterion-owned blocks in a combined mode: one call per criterion with feedback, each seeing
// the whole prompt and all feedback.
Result<std::vector<Call>> PlanOwned(const RunContext& ctx, int step,
                                    const judge::JudgePrompt& prompt,
                                    const std::vector<BatchSample>& batch,
                                    const std::vector<SampleText>& gradients) {
  std::vector<Call> calls;
  JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(prompt, ctx.dataset));
  const std::string feedback = CombinedFeedback(ctx, gradients);
  const auto instructions = InstructionsOf(ctx, prompt);
  const auto samples = Judged(batch);
  for (const std::string& c : ctx.criteria) {
    if (GradientsFor(c, gradients).empty()) continue;
    const std::string meta =
        prompts::OptimizerPromptOwned(c, instructions, sp, samples, feedback, OptionsOf(ctx));
    for (int k = 0; k < ctx.config.num_candidates; ++k) {
      calls.push_back({NewSampleRequest(ctx, llm::Role::kOptimizer, meta,
                                        fmt::format("{}/{}/k{}", StepTag(step, "optimizer"), c, k),
                                        step, k),
                       c, k, /*owned=*/true});
    }
  }
  return calls;
}

// Parses one reply into `out` (criterion -> new instruction); returns the error text, "" if ok.
// An owned call keeps its own criterion only; `decisions` gets what it ignored.
std::string ParseReply(const RunContext& ctx, const judge::JudgePrompt& prompt, const Call& call,
                       const std::string& reply, InstructionMap& out,
                       std::vector<DecisionRecord>& decisions) {
  if (call.owned) {
    Result<OwnedReply> owned = ParseOwnedReply(ctx, prompt, call.criterion, reply);
    if (!owned.ok()) return owned.error().message;
    out[call.criterion] = owned->text;
    if (!owned->ignored.empty()) {
      decisions.push_back(OwnedBlockDecision(call.criterion, call.candidate, owned->ignored));
    }
    return "";
  }
  if (call.criterion != kJoint) {
    prompts::SeparateParseOptions o;
    o.strip_preamble = ctx.config.switches.strip_optimizer_preamble;
    Result<std::string> text = prompts::ParseSeparateReply(reply, o);
    if (!text.ok()) return text.error().message;
    if (Trim(*text).empty()) return "empty instruction";
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

// Sends `calls` in waves: a JSON reply (combined or owned) that does not parse is asked again (a
// new sample of `step`, with its own seed) up to optimizer_retries times. Fills one map per
// candidate.
Status SendCalls(RunContext& ctx, int step, const judge::JudgePrompt& prompt,
                 std::vector<Call> calls, std::vector<InstructionMap>& maps,
                 OptimizerOutput& out) {
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
      r.error = llm::IsCutShort(*replies[i])
                    ? llm::ReportCutShort(requests[i], *replies[i])
                    : ParseReply(ctx, prompt, calls[i], replies[i]->content, found, out.decisions);
      if (r.error.empty()) {
        r.parsed_json = ToJson(found);
        for (auto& [c, text] : found) maps[static_cast<std::size_t>(calls[i].candidate)][c] = text;
      } else if (calls[i].json() && attempt < ctx.config.optimizer_retries) {
        Call retry = calls[i];
        // A new sample (its own seed): the same request again would get the same reply.
        llm::SetSample(retry.request, ctx.config.seed, step,
                       retry.request.sample_index + ctx.config.num_candidates);
        retry.request.tag = fmt::format("{}/retry{}", calls[i].request.tag, attempt + 1);
        again.push_back(std::move(retry));
      }
      out.calls.push_back(std::move(r));
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
  } else if (ctx.config.method.owned_blocks) {
    JO_ASSIGN_OR_RETURN(calls, PlanOwned(ctx, step, prompt, batch, gradients));
  } else if (!gradients.empty()) {
    JO_ASSIGN_OR_RETURN(const std::string meta, CombinedMetaPrompt(ctx, prompt, batch, gradients));
    for (int k = 0; k < ctx.config.num_candidates; ++k) {
      calls.push_back({NewSampleRequest(ctx, llm::Role::kOptimizer, meta,
                                        fmt::format("{}/all/k{}", StepTag(step, "optimizer"), k),
                                        step, k),
                       kJoint, k});
    }
  }
  OptimizerOutput out;
  std::vector<InstructionMap> maps(static_cast<std::size_t>(ctx.config.num_candidates));
  JO_RETURN_IF_ERROR(SendCalls(ctx, step, prompt, std::move(calls), maps, out));
  for (const InstructionMap& m : maps) {
    JO_ASSIGN_OR_RETURN(judge::JudgePrompt candidate, BuildCandidate(ctx, prompt, m));
    out.candidates.push_back(std::move(candidate));
  }
  return out;
}

}  // namespace judgeopt::optim
