#include "judgeopt/llm/preflight.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/limit_errors.h"
#include "judgeopt/llm/reply_check.h"

namespace judgeopt::llm {
namespace {

using config::Json;

// The Azure OpenAI API version suggested for classic deployment URLs (the GA version listed in
// Microsoft Learn's "Azure OpenAI in Azure AI Foundry Models API lifecycle" at the time of
// writing).
constexpr std::string_view kAzureApiVersion = "2024-10-21";

// Keys of an endpoint (an `endpoints` entry), as opposed to the role's own keys.
constexpr std::string_view kEndpointKeys[] = {"base_url", "api_key_env",   "max_concurrency",
                                              "rpm",      "tpm",           "auth",
                                              "query",    "extra_headers", "ca_bundle"};

Finding Problem(std::string message, Json fix = Json::object(), std::string advice = "") {
  return {Severity::kProblem, std::move(message), std::move(fix), std::move(advice)};
}

std::optional<int64_t> FirstNumber(const std::string& text, const char* pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern, std::regex::icase))) return std::nullopt;
  return std::stoll(m[1].str());
}

// A context length stated by the server (vLLM, TGI, OpenAI).
std::optional<int64_t> StatedContext(const std::string& text) {
  for (const char* pattern :
       {R"(maximum context length is\s*(\d+))", R"(max_new_tokens`?\s*must be <=\s*(\d+))"}) {
    if (auto n = FirstNumber(text, pattern)) return n;
  }
  return std::nullopt;
}

bool Mentions(const std::string& lower, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

std::string BaseUrlOf(const RoleConfig& rc) {
  return rc.endpoints.empty() ? std::string() : rc.endpoints.front().base_url;
}

Finding ContextFinding(const ProbeContext& probe, const std::string& text) {
  const int64_t prompt = std::max(probe.probe_prompt_tokens, probe.run_prompt_tokens);
  if (auto context = StatedContext(text)) {
    // Twice the prompt: a rewritten instruction grows from step to step.
    const int64_t room = (*context - 2 * prompt) / 1024 * 1024;
    if (room >= 1024) {
      return Problem(fmt::format("the server's context is {} tokens: prompts of about {} tokens "
                                 "plus max_tokens {} do not fit",
                                 *context, prompt, probe.config.max_tokens),
                     Json{{"max_tokens", room}});
    }
  }
  return Problem(fmt::format("the prompt (about {} tokens) plus max_tokens {} exceeds the "
                             "server's context",
                             prompt, probe.config.max_tokens),
                 Json::object(),
                 "raise the server's context length (vLLM --max-model-len; llama-server "
                 "--ctx-size, which --parallel slots share; Ollama OLLAMA_CONTEXT_LENGTH)");
}

std::optional<Finding> ParameterFinding(const ProbeContext& probe, const std::string& text,
                                        const std::string& lower) {
  if (Mentions(lower, {"unsupported parameter", "not supported with this model"}) &&
      lower.find("max_tokens") != std::string::npos) {
    return Problem("the model refuses max_tokens (it takes max_completion_tokens)",
                   Json{{"token_param", "max_completion_tokens"}});
  }
  if (lower.find("temperature") != std::string::npos &&
      Mentions(lower, {"unsupported", "does not support", "only the default"})) {
    return Problem(fmt::format("the model refuses temperature {}", probe.config.temperature),
                   Json{{"temperature", "omit"}});
  }
  if (auto cap = StatedTokenCap(text)) {
    return Problem(fmt::format("the server accepts at most {} completion tokens; max_tokens is {}",
                               *cap, probe.config.max_tokens),
                   Json{{"max_tokens", *cap}});
  }
  if (StatedContext(text) || ClassifyLimitMessage(text) == LimitKind::kContext) {
    return ContextFinding(probe, text);
  }
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"re(Unknown name \\?"([^"\\]+))re")) ||
      std::regex_search(text, m,
                        std::regex(R"re(Unrecognized request argument[^:]*:\s*(\w+))re"))) {
    return Problem(fmt::format("the server refuses the body key '{}'", m[1].str()), Json::object(),
                   fmt::format("remove '{}' from extra_body (in a JSON config, "
                               "\"extra_body\": {{\"{}\": null}} removes a standard key)",
                               m[1].str(), m[1].str()));
  }
  return std::nullopt;
}

Finding AuthFinding(const ProbeContext& probe, const std::string& lower) {
  const std::string url = BaseUrlOf(probe.config);
  if (lower.find("subscription key") != std::string::npos ||
      url.find("/openai/deployments/") != std::string::npos) {
    return Problem("the server wants its key in an `api-key` header (Azure OpenAI)",
                   Json{{"auth", "api-key"}});
  }
  const std::string var =
      probe.config.endpoints.empty() ? std::string() : probe.config.endpoints.front().api_key_env;
  return Problem("the server refused the API key", Json::object(),
                 fmt::format("put the provider's key in the variable {} or name another one "
                             "with api_key_env / --api-key-env",
                             var));
}

}  // namespace

Finding DiagnoseRefusal(const ProbeContext& probe, const Error& error) {
  const std::string text = error.message;
  const std::string lower = AsciiLower(text);
  const int status = error.http_status;
  if (status == 0) {
    return Problem(
        "no reply: " + text, Json::object(),
        "check that the server runs and that base_url (" + BaseUrlOf(probe.config) + ") is right");
  }
  if (status == 401 || status == 403) return AuthFinding(probe, lower);
  if (auto found = ParameterFinding(probe, text, lower)) return *found;
  if (status == 404 && BaseUrlOf(probe.config).find("/openai/deployments/") != std::string::npos) {
    return Problem("Azure OpenAI deployment URLs need an api-version query",
                   Json{{"query", Json{{"api-version", kAzureApiVersion}}}});
  }
  if (status == 404) {
    return Problem("not found: " + text, Json::object(),
                   "check base_url (the path before /chat/completions) and the model name");
  }
  if (status == 402) {
    return Problem("payment required: " + text, Json::object(),
                   "add credits at the provider, or lower max_tokens");
  }
  return Problem("refused: " + text);
}

std::vector<Finding> DiagnoseReply(const ProbeContext& probe, const ChatResponse& reply) {
  std::vector<Finding> out;
  const ReplyOutcome outcome = OutcomeOf(reply);
  const std::string& model = probe.config.model;
  const bool hidden_reasoning = outcome == ReplyOutcome::kEmpty && reply.finish_reason == "length";
  if (hidden_reasoning) {
    Json fix = UsesReasoningApi(model) ? Json{{"reasoning_effort", "minimal"}}
               : AsciiLower(model).find("gemini") != std::string::npos
                   ? Json{{"reasoning_effort", "none"}}
                   : Json{{"max_tokens", std::max(2 * probe.config.max_tokens, 1024)}};
    out.push_back(Problem(fmt::format("the reply came back empty at max_tokens {}: hidden "
                                      "reasoning used the whole limit",
                                      probe.config.max_tokens),
                          std::move(fix)));
  } else if (outcome == ReplyOutcome::kCutOff || outcome == ReplyOutcome::kEmpty) {
    const bool judge = probe.role == Role::kJudge;
    Finding cut{
        judge ? Severity::kProblem : Severity::kWarning,
        fmt::format("the probe's reply (a judge answer) was {} at max_tokens {}{}",
                    outcome == ReplyOutcome::kEmpty ? "empty" : "cut off", probe.config.max_tokens,
                    judge ? "" : "; this role's own replies may be shorter"),
        judge ? Json{{"max_tokens", 2 * probe.config.max_tokens}} : Json::object(), ""};
    out.push_back(std::move(cut));
  } else if (outcome == ReplyOutcome::kFiltered) {
    out.push_back(Note(Severity::kWarning, "the provider's content filter withheld the reply"));
  }
  if (reply.usage.estimated) {
    out.push_back(Note(Severity::kWarning,
                       "the server reports no token usage: costs and token limits use estimates"));
  } else if (probe.probe_prompt_tokens >= kTruncationMinTokens &&
             reply.usage.prompt_tokens < kTruncationShare * probe.probe_prompt_tokens) {
    out.push_back(Problem(
        fmt::format("the server counted {} prompt tokens for a prompt of about {}: it is probably "
                    "cutting prompts without an error",
                    reply.usage.prompt_tokens, probe.probe_prompt_tokens),
        Json::object(),
        "raise the server's context (Ollama: OLLAMA_CONTEXT_LENGTH or num_ctx in a Modelfile; "
        "LM Studio: the model's context length)"));
  }
  return out;
}

std::string FixToml(std::string_view table, const Json& fix) {
  std::function<std::string(const Json&)> value = [&](const Json& v) -> std::string {
    if (!v.is_object()) return v.dump();
    std::string out;
    for (const auto& [key, item] : v.items()) {
      out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", Json(key).dump(), value(item));
    }
    return "{ " + out + " }";
  };
  std::string out = fmt::format("[llm.{}]\n", table);
  for (const auto& [key, item] : fix.items()) out += fmt::format("{} = {}\n", key, value(item));
  return out;
}

Result<LlmConfig> ApplyFix(const LlmConfig& config, Role role, const Json& fix) {
  Json tree = LlmConfigToJson(config);
  Json& table = tree[std::string(RoleName(role))];
  for (const auto& [key, value] : fix.items()) {
    const bool endpoint_key = std::find(std::begin(kEndpointKeys), std::end(kEndpointKeys), key) !=
                              std::end(kEndpointKeys);
    if (endpoint_key && table.contains("endpoints")) {
      for (Json& endpoint : table["endpoints"]) endpoint[key] = value;
    } else {
      table[key] = value;
    }
  }
  return ParseLlmConfig(tree, "the suggested fix");
}

}  // namespace judgeopt::llm
