#include "judgeopt/io/provider_profiles.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/base/strings.h"

namespace judgeopt::io {
namespace {

using Json = nlohmann::ordered_json;

constexpr NamedValue<Profile> kProfileNames[] = {
    {Profile::kNone, "none"},
    {Profile::kOpenAiReasoning, "openai-reasoning"},
    {Profile::kAzure, "azure"},
    {Profile::kAnthropic, "anthropic"},
    {Profile::kGemini, "gemini"},
    {Profile::kVllm, "vllm"},
    {Profile::kLlamaCpp, "llamacpp"},
    {Profile::kOllama, "ollama"},
    {Profile::kDeepSeek, "deepseek"},
    {Profile::kOpenRouter, "openrouter"},
    {Profile::kFireworks, "fireworks"},
};

// The completion limit the request asks for (max_completion_tokens, else max_tokens); 0 = none.
int64_t LimitOf(const Json& body) {
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    auto it = body.find(key);
    if (it != body.end() && it->is_number_integer()) return it->get<int64_t>();
  }
  return 0;
}

std::string HeaderOr(const WireCall& call, const std::string& name) {
  auto it = call.headers.find(name);
  return it == call.headers.end() ? std::string() : it->second;
}

WireReply OpenAiStyleError(int status, std::string message, std::string_view type,
                           const Json& param, const Json& code) {
  Json error = {{"message", std::move(message)}, {"type", type}, {"param", param}, {"code", code}};
  return {status, Json{{"error", std::move(error)}}.dump()};
}

// Hidden reasoning as OpenAI's and Gemini's reasoning models spend it: `reasoning` tokens come
// out of the completion limit before the visible answer, so a small limit leaves the answer cut
// off or empty (finish_reason "length"); completion_tokens counts both, and
// completion_tokens_details.reasoning_tokens says how many were hidden.
void SpendHiddenReasoning(int64_t reasoning, const WireCall& call, Json& reply) {
  Json& usage = reply["usage"];
  Json& choice = reply["choices"][0];
  const int64_t limit = LimitOf(call.body);
  const int64_t visible = usage.value("completion_tokens", int64_t{0});
  int64_t completion = reasoning + visible;
  if (limit > 0 && completion > limit) {
    reasoning = std::min(reasoning, limit);
    const int64_t room = limit - reasoning;  // visible tokens left, 4 bytes each
    std::string text = choice["message"].value("content", std::string());
    choice["message"]["content"] = text.substr(0, static_cast<std::size_t>(room) * 4);
    choice["finish_reason"] = "length";
    completion = limit;
  }
  usage["completion_tokens"] = completion;
  usage["total_tokens"] = usage.value("prompt_tokens", int64_t{0}) + completion;
  usage["completion_tokens_details"] = {{"reasoning_tokens", reasoning}};
}

// A cap on the completion limit, refused with the provider's own message.
std::optional<WireReply> RefuseAboveCap(const WireCall& call, int64_t cap, int status,
                                        const std::string& message, std::string_view type) {
  if (LimitOf(call.body) <= cap) return std::nullopt;
  return OpenAiStyleError(status, message, type, nullptr, "invalid_request_error");
}

class PlainRules : public ProviderRules {
 public:
  std::optional<WireReply> Refuse(const WireCall&) const override { return std::nullopt; }
  std::string DefaultModel() const override { return "judgeopt-sim"; }
};

// OpenAI reasoning models. Source: OpenAI API docs, "Reasoning models" (reasoning tokens are
// billed as output, count against max_completion_tokens, and can leave the answer empty) and the
// Chat Completions reference (max_tokens is "not compatible with o-series models"; such models
// accept only the default temperature, 1). The hidden token counts per effort are ours.
class OpenAiReasoningRules : public ProviderRules {
 public:
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    if (call.body.contains("max_tokens")) {
      return OpenAiStyleError(400,
                              "Unsupported parameter: 'max_tokens' is not supported with this "
                              "model. Use 'max_completion_tokens' instead.",
                              "invalid_request_error", "max_tokens", "unsupported_parameter");
    }
    auto t = call.body.find("temperature");
    if (t != call.body.end() && !(t->is_number() && t->get<double>() == 1.0)) {
      return OpenAiStyleError(400,
                              fmt::format("Unsupported value: 'temperature' does not support {} "
                                          "with this model. Only the default (1) value is "
                                          "supported.",
                                          t->dump()),
                              "invalid_request_error", "temperature", "unsupported_value");
    }
    return std::nullopt;
  }
  void AdjustReply(const WireCall& call, Json& reply) const override {
    const std::string effort = call.body.value("reasoning_effort", std::string("medium"));
    const int64_t hidden = effort == "minimal" ? 0 : effort == "low" ? 128 : effort == "high" ? 2048
                                                                                              : 512;
    SpendHiddenReasoning(hidden, call, reply);
  }
  std::string DefaultModel() const override { return "gpt-5-mini"; }
};

// Azure OpenAI classic endpoints. Source: Microsoft Learn, "Azure OpenAI in Azure AI Foundry
// Models REST API reference": POST {endpoint}/openai/deployments/{deployment-id}/chat/completions
// ?api-version=..., authenticated by an `api-key` header. A missing api-version gets 404
// "Resource not found"; a missing or wrong key gets 401 "Access denied ...".
class AzureRules : public ProviderRules {
 public:
  std::string BasePath() const override { return "/openai/deployments/" + DefaultModel(); }
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    if (HeaderOr(call, "api-key").empty()) {
      Json error = {{"code", "401"},
                    {"message",
                     "Access denied due to invalid subscription key or wrong API endpoint. Make "
                     "sure to provide a valid key for an active subscription and use a correct "
                     "regional API endpoint for your resource."}};
      return WireReply{401, Json{{"error", std::move(error)}}.dump()};
    }
    if (!call.query.contains("api-version")) {
      Json error = {{"code", "404"}, {"message", "Resource not found"}};
      return WireReply{404, Json{{"error", std::move(error)}}.dump()};
    }
    return std::nullopt;
  }
  std::string DefaultModel() const override { return "gpt-4o"; }
};

// Anthropic's OpenAI SDK compatibility. Source: Anthropic docs, "OpenAI SDK compatibility" (the
// key goes in the usual Authorization header; `seed` is ignored; temperature is capped at 1) and
// "Models overview" (Claude Haiku 3.5 writes at most 8192 output tokens). The error shape is
// Anthropic's {"type":"error","error":{...}}.
class AnthropicRules : public ProviderRules {
 public:
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    if (HeaderOr(call, "authorization").empty() && HeaderOr(call, "x-api-key").empty()) {
      return AnthropicError(401, "authentication_error", "invalid x-api-key");
    }
    const int64_t limit = LimitOf(call.body);
    if (limit > kMaxOutput) {
      return AnthropicError(400, "invalid_request_error",
                            fmt::format("max_tokens: {} > {}, which is the maximum allowed number "
                                        "of output tokens for {}",
                                        limit, kMaxOutput, DefaultModel()));
    }
    return std::nullopt;
  }
  void AdjustRequest(const WireCall& call, llm::ChatRequest& request) const override {
    // The seed is ignored: each arrival samples afresh, as an unseeded call would.
    request.seed = 7919 * (call.arrival + 1);
    request.temperature = std::min(request.temperature, 1.0);
  }
  std::string DefaultModel() const override { return "claude-3-5-haiku-20241022"; }

 private:
  static constexpr int64_t kMaxOutput = 8192;
  static WireReply AnthropicError(int status, std::string_view type, std::string message) {
    Json doc = {{"type", "error"}, {"error", {{"type", type}, {"message", std::move(message)}}}};
    return {status, doc.dump()};
  }
};

// Gemini's OpenAI compatibility. Source: Google AI for Developers, "OpenAI compatibility" (base
// path /v1beta/openai/; reasoning_effort maps to thinking, "none" turns it off for 2.5 Flash;
// thinking is on by default) and "Gemini thinking" (thinking tokens count toward the output
// limit). Unknown top-level fields are refused with an array-shaped error body, as the endpoint
// answers them. The hidden token counts per effort are ours.
class GeminiRules : public ProviderRules {
 public:
  std::string BasePath() const override { return "/v1beta/openai"; }
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    static const char* const kKnown[] = {"model",     "messages",        "temperature",
                                         "top_p",     "n",               "max_tokens",
                                         "stop",      "stream",          "max_completion_tokens",
                                         "seed",      "response_format", "reasoning_effort",
                                         "tools",     "tool_choice",     "presence_penalty",
                                         "frequency_penalty"};
    for (const auto& [key, value] : call.body.items()) {
      if (std::find(std::begin(kKnown), std::end(kKnown), key) != std::end(kKnown)) continue;
      Json error = {{"code", 400},
                    {"message", fmt::format("Invalid JSON payload received. Unknown name \"{}\": "
                                            "Cannot find field.",
                                            key)},
                    {"status", "INVALID_ARGUMENT"}};
      return WireReply{400, Json::array({Json{{"error", std::move(error)}}}).dump()};
    }
    return std::nullopt;
  }
  void AdjustReply(const WireCall& call, Json& reply) const override {
    const std::string effort = call.body.value("reasoning_effort", std::string());
    const int64_t hidden = effort == "none"     ? 0
                           : effort == "low"    ? 1024
                           : effort == "medium" ? 8192
                           : effort == "high"   ? 24576
                                                : 512;  // dynamic thinking, the default
    SpendHiddenReasoning(hidden, call, reply);
  }
  std::string DefaultModel() const override { return "gemini-2.5-flash"; }
};

// vLLM. Source: vLLM docs, "OpenAI-Compatible Server" (a request whose prompt plus max_tokens
// exceeds max_model_len is refused with HTTP 400; /v1/models lists max_model_len; per-request
// seeds are honoured).
class VllmRules : public ProviderRules {
 public:
  explicit VllmRules(int context) : context_(context > 0 ? context : 16384) {}
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    const int64_t limit = LimitOf(call.body);
    if (call.prompt_tokens + limit <= context_) return std::nullopt;
    Json doc = {{"object", "error"},
                {"message", fmt::format("This model's maximum context length is {} tokens. "
                                        "However, you requested {} tokens ({} in the messages, {} "
                                        "in the completion). Please reduce the length of the "
                                        "messages or completion.",
                                        context_, call.prompt_tokens + limit, call.prompt_tokens,
                                        limit)},
                {"type", "BadRequestError"},
                {"param", nullptr},
                {"code", 400}};
    return WireReply{400, doc.dump()};
  }
  Json ModelFields() const override { return {{"max_model_len", context_}}; }
  std::string DefaultModel() const override { return "Qwen/Qwen2.5-7B-Instruct"; }

 private:
  int context_;
};

// llama.cpp's llama-server. Source: llama.cpp tools/server README (--ctx-size is split among the
// --parallel slots; each slot serves one request at a time) and its error for a prompt that does
// not fit a slot: 400 "the request exceeds the available context size, try increasing it",
// type exceed_context_size_error.
class LlamaCppRules : public ProviderRules {
 public:
  LlamaCppRules(int context, int slots)
      : context_(context > 0 ? context : 4096), slots_(slots > 0 ? slots : 4) {}
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    const int64_t per_slot = context_ / slots_;
    if (call.prompt_tokens < per_slot) return std::nullopt;
    Json error = {{"code", 400},
                  {"message", "the request exceeds the available context size, try increasing it"},
                  {"type", "exceed_context_size_error"},
                  {"n_prompt_tokens", call.prompt_tokens},
                  {"n_ctx", per_slot}};
    return WireReply{400, Json{{"error", std::move(error)}}.dump()};
  }
  int Slots() const override { return slots_; }
  // GET /props: the slots and the context of one slot, as llama-server reports them.
  Json Props() const override {
    return {{"default_generation_settings", {{"n_ctx", context_ / slots_}}},
            {"total_slots", slots_}};
  }
  std::string DefaultModel() const override { return "qwen2.5-7b-instruct-q4_k_m.gguf"; }

 private:
  int context_;
  int slots_;
};

// Ollama. Source: Ollama docs, "FAQ: How can I specify the context window size?" (the context is
// num_ctx, small by default, set by OLLAMA_CONTEXT_LENGTH on the server; the OpenAI-compatible
// endpoint has no field for it). A longer prompt is cut from its start without an error, and
// usage reports only the tokens kept. The profile's default context, 512 tokens, is ours and
// smaller than Ollama's (2048 in older releases, more in newer ones), so that the judge prompt
// `judgeopt check` sends shows the cut; --context-tokens 2048 emulates the older default.
class OllamaRules : public ProviderRules {
 public:
  explicit OllamaRules(int context) : context_(context > 0 ? context : 512) {}
  std::optional<WireReply> Refuse(const WireCall&) const override { return std::nullopt; }
  void AdjustRequest(const WireCall& call, llm::ChatRequest& request) const override {
    if (call.prompt_tokens <= context_) return;
    // Ollama drops the oldest tokens. The simulator cannot read a prompt without its opening
    // sections, so the emulation cuts the same amount out of the middle of the longest lines
    // instead (each keeps its first and last kKeep bytes): the judge still scores only part of
    // the article, and usage counts only what is left.
    std::size_t excess = static_cast<std::size_t>(call.prompt_tokens - context_) * 4;
    std::vector<std::string*> lines;
    std::vector<std::vector<std::string>> split(request.messages.size());
    for (std::size_t m = 0; m < request.messages.size(); ++m) {
      split[m] = SplitLines(request.messages[m].content);
      for (std::string& line : split[m]) lines.push_back(&line);
    }
    std::sort(lines.begin(), lines.end(),
              [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
    for (std::string* line : lines) {
      if (excess == 0 || line->size() <= 2 * kKeep) break;
      const std::size_t cut = std::min(excess, line->size() - 2 * kKeep);
      line->erase((line->size() - cut) / 2, cut);
      excess -= cut;
    }
    for (std::size_t m = 0; m < request.messages.size(); ++m) {
      request.messages[m].content = Join(split[m], "\n");
    }
  }
  void AdjustReply(const WireCall& call, Json& reply) const override {
    Json& usage = reply["usage"];
    const int64_t kept = std::min<int64_t>(call.prompt_tokens, context_);
    usage["prompt_tokens"] = kept;
    usage["total_tokens"] = kept + usage.value("completion_tokens", int64_t{0});
  }
  std::string DefaultModel() const override { return "llama3.1:8b"; }

 private:
  static constexpr std::size_t kKeep = 16;
  static std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> out(1);
    for (char c : text) {
      if (c == '\n') {
        out.emplace_back();
      } else {
        out.back() += c;
      }
    }
    return out;
  }
  int64_t context_;
};

// DeepSeek. Source: DeepSeek API docs, "Create Chat Completion" and "Error Codes" (max_tokens
// of deepseek-chat is at most 8192; above it, 400 "Invalid max_tokens value, the valid range of
// max_tokens is [1, 8192]").
class DeepSeekRules : public ProviderRules {
 public:
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    return RefuseAboveCap(call, 8192, 400,
                          "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]",
                          "invalid_request_error");
  }
  std::string DefaultModel() const override { return "deepseek-chat"; }
};

// OpenRouter. Source: OpenRouter docs, "API Error Handling" (402 when the credits do not cover
// the request's max_tokens; an error met after the reply has begun comes as an error object in a
// 200 body, e.g. code 502 "Provider returned error"). The credit (12000 tokens) and the share of
// 200-wrapped errors (1 in 50 arrivals) are ours.
class OpenRouterRules : public ProviderRules {
 public:
  std::string BasePath() const override { return "/api/v1"; }
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    const int64_t limit = LimitOf(call.body);
    if (limit <= kAffordable) return std::nullopt;
    Json error = {{"code", 402},
                  {"message", fmt::format("This request requires more credits, or fewer "
                                          "max_tokens. You requested up to {} tokens, but can only "
                                          "afford {}. To increase, visit "
                                          "https://openrouter.ai/settings/credits and add more "
                                          "credits",
                                          limit, kAffordable)}};
    return WireReply{402, Json{{"error", std::move(error)}}.dump()};
  }
  void AdjustReply(const WireCall& call, Json& reply) const override {
    if (call.arrival % 50 != 49) return;
    reply = {{"error",
              {{"code", 502},
               {"message", "Provider returned error"},
               {"metadata", {{"provider_name", "emulated-upstream"}}}}}};
  }
  std::string DefaultModel() const override { return "openai/gpt-4o-mini"; }

 private:
  static constexpr int64_t kAffordable = 12000;
};

// Fireworks AI. Source: Fireworks docs, "Create Chat Completion" (max_tokens above 4096 needs
// stream=true; without it the request is refused).
class FireworksRules : public ProviderRules {
 public:
  std::string BasePath() const override { return "/inference/v1"; }
  std::optional<WireReply> Refuse(const WireCall& call) const override {
    if (call.body.value("stream", false)) return std::nullopt;
    return RefuseAboveCap(call, 4096, 400, "Requests with max_tokens > 4096 must have stream=true",
                          "invalid_request_error");
  }
  std::string DefaultModel() const override {
    return "accounts/fireworks/models/llama-v3p1-8b-instruct";
  }
};

}  // namespace

std::span<const NamedValue<Profile>> NamesOf(Profile) { return kProfileNames; }

void ProviderRules::AdjustRequest(const WireCall&, llm::ChatRequest&) const {}
void ProviderRules::AdjustReply(const WireCall&, Json&) const {}

std::unique_ptr<ProviderRules> MakeProviderRules(const ProfileOptions& options) {
  switch (options.profile) {
    case Profile::kNone:
      return std::make_unique<PlainRules>();
    case Profile::kOpenAiReasoning:
      return std::make_unique<OpenAiReasoningRules>();
    case Profile::kAzure:
      return std::make_unique<AzureRules>();
    case Profile::kAnthropic:
      return std::make_unique<AnthropicRules>();
    case Profile::kGemini:
      return std::make_unique<GeminiRules>();
    case Profile::kVllm:
      return std::make_unique<VllmRules>(options.context_tokens);
    case Profile::kLlamaCpp:
      return std::make_unique<LlamaCppRules>(options.context_tokens, options.slots);
    case Profile::kOllama:
      return std::make_unique<OllamaRules>(options.context_tokens);
    case Profile::kDeepSeek:
      return std::make_unique<DeepSeekRules>();
    case Profile::kOpenRouter:
      return std::make_unique<OpenRouterRules>();
    case Profile::kFireworks:
      return std::make_unique<FireworksRules>();
  }
  return std::make_unique<PlainRules>();
}

}  // namespace judgeopt::io
