#include "apps/check_probe.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/judge/prompt.h"
#include "judgeopt/judge/score_parser.h"
#include "judgeopt/llm/reply_check.h"

namespace judgeopt::apps {
namespace {

using config::Json;
using llm::Finding;
using llm::Severity;

int64_t MessagesTokens(const std::vector<llm::ChatMessage>& messages) {
  int64_t n = 0;
  for (const auto& m : messages) n += llm::ApproxTokens(m.content);
  return n;
}

void Merge(Json& into, const Json& fix) {
  for (const auto& [key, value] : fix.items()) into[key] = value;
}

// The largest prompt the run sends `role`, estimated: the role's average prompt in the estimate.
int64_t RunPromptTokens(const optim::CostEstimate& estimate, llm::Role role) {
  for (const optim::RoleEstimate& r : estimate.roles) {
    if (r.role == role && r.calls.max > 0) return r.prompt_tokens.max / r.calls.max;
  }
  return 0;
}

std::optional<Finding> ParseFinding(llm::Role role, const Probe& probe,
                                    const llm::ChatResponse& reply) {
  if (!llm::IsComplete(reply)) return std::nullopt;
  judge::ParsedReply parsed =
      judge::ParseReply(reply.content, probe.call.criteria, probe.call.shape);
  if (!parsed.Unparsable() && parsed.MissingCount() == 0) return std::nullopt;
  if (role != llm::Role::kJudge) {
    return llm::Note(Severity::kWarning,
                     "the probe's reply did not parse as a judge answer: " + parsed.error_message);
  }
  return Finding{Severity::kProblem,
                 "the reply did not parse as a judge answer: " + parsed.error_message,
                 Json::object(), "use a model that follows the judge's reply format"};
}

std::string Target(const LlmSession& session, llm::Role role) {
  if (session.SimBackend(role)) return "sim (in-process simulator, SIMULATED replies)";
  return session.BackendLabel(role) + ", model " + session.ModelFor(role);
}

}  // namespace

Result<Probe> MakeProbe(const optim::OptimizeConfig& config, const data::Dataset& dataset) {
  const judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(dataset);
  Probe best;
  for (const data::Example& example : dataset.examples) {
    JO_ASSIGN_OR_RETURN(
        std::vector<judge::JudgeCall> calls,
        judge::RenderJudgeCalls(prompt, dataset, example, config.method.judge_mode));
    if (calls.empty()) continue;
    const int64_t tokens = MessagesTokens(calls.front().messages);
    if (tokens > best.prompt_tokens) best = {std::move(calls.front()), tokens};
  }
  if (best.prompt_tokens == 0) return InvalidArgument("check: " + dataset.name + " has no example");
  return best;
}

ProbeRunner::ProbeRunner(const optim::OptimizeConfig& config,
                         std::shared_ptr<const data::Dataset> dataset, const Probe& probe,
                         const LlmFlags& flags, const optim::CostEstimate& estimate)
    : config_(config),
      dataset_(std::move(dataset)),
      probe_(probe),
      flags_(flags),
      estimate_(estimate) {
  flags_.no_cache = true;  // every probe reaches the server
  flags_.max_usd.reset();
  flags_.max_calls.reset();
}

llm::ProbeContext ProbeRunner::Context(const llm::LlmConfig& llm_config, llm::Role role) const {
  return {role, llm_config.role(role), probe_.prompt_tokens, RunPromptTokens(estimate_, role)};
}

RoleCheck ProbeRunner::Check(llm::Role role) {
  RoleCheck out;
  out.role = role;
  llm::LlmConfig base = config_.llm;
  for (llm::Role r : llm::kAllRoles) base.role(r).retry.max_attempts = 1;  // one call, one request
  const llm::Role roles[] = {role};
  int calls = 0;
  while (calls < kMaxProbeCalls) {
    Result<llm::LlmConfig> tried = out.fix.empty() ? base : llm::ApplyFix(base, role, out.fix);
    if (!tried.ok()) {
      out.lines.push_back(
          {llm::Note(Severity::kProblem, "the fix does not apply: " + tried.error().message)});
      break;
    }
    auto session = flags_.OpenConfig(*tried, roles, dataset_);
    if (!session.ok()) {
      out.lines.push_back({llm::Note(Severity::kProblem, session.error().message)});
      out.failed = true;
      break;
    }
    out.target = Target(*session, role);
    llm::ChatRequest request = session->stack->NewRequest(role);
    request.messages = probe_.call.messages;
    request.seed = flags_.seed;
    request.tag = fmt::format("check/{}", llm::RoleName(role));
    llm::LlmClient& client = session->stack->For(role);
    Result<llm::ChatResponse> reply = client.Complete(request);
    ++calls;
    const llm::ProbeContext context = Context(session->stack->config(), role);
    std::vector<Finding> findings;
    if (!reply.ok()) {
      findings.push_back(llm::DiagnoseRefusal(context, reply.error()));
    } else {
      findings = llm::DiagnoseReply(context, *reply);
      if (auto parse = ParseFinding(role, probe_, *reply)) findings.push_back(*parse);
    }
    bool fixable = false, stuck = false;
    for (Finding& f : findings) {
      if (f.severity == Severity::kProblem) {
        out.failed = true;
        (f.fix.empty() ? stuck : fixable) = true;
        Merge(out.fix, f.fix);
      }
      out.lines.push_back({std::move(f)});
    }
    if (stuck) break;
    if (fixable) continue;  // the next call tries the fix (unverified when none is left)
    for (CheckLine& line : out.lines) line.verified = !line.finding.fix.empty();
    AfterAcceptedCall(client, request, *reply, kMaxProbeCalls - calls, out);
    break;
  }
  return out;
}

void ProbeRunner::AfterAcceptedCall(llm::LlmClient& client, const llm::ChatRequest& request,
                                    const llm::ChatResponse& reply, int calls_left,
                                    RoleCheck& out) {
  out.latency_ms = reply.latency_ms;
  out.lines.push_back({llm::Note(
      Severity::kOk,
      fmt::format("accepted in {:.0f} ms; usage: prompt {}, completion {} tokens{}",
                  reply.latency_ms, reply.usage.prompt_tokens, reply.usage.completion_tokens,
                  reply.usage.estimated ? " (estimated: the server sent none)" : ""))});
  if (calls_left <= 0) return;
  Result<llm::ChatResponse> again = client.Complete(request);
  if (!again.ok()) {
    out.lines.push_back({llm::Note(Severity::kWarning,
                                   "a second identical call failed: " + again.error().message)});
    return;
  }
  if (again->content == reply.content) {
    out.lines.push_back(
        {llm::Note(Severity::kOk, "seed honoured: two identical seeded calls agreed")});
  } else {
    out.lines.push_back(
        {llm::Note(Severity::kWarning,
                   "seed not honoured: two identical seeded calls differ (reruns differ "
                   "unless answered from the response cache)")});
  }
}

std::string CombinedFixes(const std::vector<RoleCheck>& checks) {
  // One fix shared by every role goes under [llm.defaults].
  const bool shared = !checks.empty() && !checks.front().fix.empty() &&
                      std::all_of(checks.begin(), checks.end(),
                                  [&](const RoleCheck& c) { return c.fix == checks.front().fix; });
  if (shared) return llm::FixToml("defaults", checks.front().fix);
  std::string out;
  for (const RoleCheck& check : checks) {
    if (check.fix.empty()) continue;
    out += (out.empty() ? "" : "\n") + llm::FixToml(llm::RoleName(check.role), check.fix);
  }
  return out;
}

}  // namespace judgeopt::apps
