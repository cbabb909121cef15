#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Provider profiles of the loopback server (`judgeopt sim-server --profile NAME`): each one makes
// the server behave, at the HTTP edge, as one hosted or self-hosted provider documents its
// OpenAI-compatible endpoint (paths, authentication, refused parameters, token caps, context
// limits, hidden reasoning, silent truncation, errors inside a 200 body). The simulator still
// writes every reply; a profile only refuses, reshapes or annotates. docs/providers.md lists each
// profile's rules next to the provider page they come from.
//
// Pure functions of their inputs, except where a rule draws from the request's arrival number
// (deterministic per server run); thread-safe.

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::io {

enum class Profile {
  kNone,             // a plain OpenAI-compatible server (the default)
  kOpenAiReasoning,  // OpenAI's reasoning models (gpt-5, o-series)
  kAzure,            // Azure OpenAI, classic deployment endpoints
  kAnthropic,        // Anthropic's OpenAI SDK compatibility endpoint
  kGemini,           // Google Gemini's OpenAI compatibility endpoint
  kVllm,             // vLLM's OpenAI-compatible server
  kLlamaCpp,         // llama.cpp's llama-server
  kOllama,           // Ollama's /v1 endpoint
  kDeepSeek,         // DeepSeek's API
  kOpenRouter,       // OpenRouter
  kFireworks,        // Fireworks AI
};
/// "none", "openai-reasoning", "azure", "anthropic", "gemini", "vllm", "llamacpp", "ollama",
/// "deepseek", "openrouter", "fireworks".
std::span<const NamedValue<Profile>> NamesOf(Profile);

/// A profile and its knobs (0 = the profile's own default).
struct ProfileOptions {
  Profile profile = Profile::kNone;
  /// The server's context in tokens: vLLM's max_model_len, llama-server's --ctx-size (shared by
  /// its slots), Ollama's num_ctx.
  int context_tokens = 0;
  /// llama-server's --parallel: the slots that split its context and serve requests at once.
  int slots = 0;
};

/// What a profile sees of one chat request. Header names are lower case.
struct WireCall {
  std::string path;  // without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;
  nlohmann::ordered_json body;  // the parsed request body (an object)
  int64_t prompt_tokens = 0;    // the prompt's size as the server counts it (bytes / 4)
  int64_t arrival = 0;          // 0-based arrival number of the request at the server
};

/// A reply a profile sends instead of the simulator's.
struct WireReply {
  int status = 400;
  std::string body;
};

/// The behaviour of one provider at the HTTP edge. Implementations are immutable.
class ProviderRules {
 public:
  virtual ~ProviderRules() = default;
  /// The path clients put in their base URL, without a trailing slash ("/v1", Azure's
  /// "/openai/deployments/<deployment>", Gemini's "/v1beta/openai", ...).
  virtual std::string BasePath() const { return "/v1"; }
  /// A refusal (wrong path, missing authentication or query, a parameter or size the provider
  /// refuses) or nullopt when the request is served.
  virtual std::optional<WireReply> Refuse(const WireCall& call) const = 0;
  /// Changes what the simulator is asked (a seed the provider ignores, a prompt it truncates).
  virtual void AdjustRequest(const WireCall& call, llm::ChatRequest& request) const;
  /// Changes the reply body (hidden reasoning, truncated usage, an error inside a 200 body).
  virtual void AdjustReply(const WireCall& call, nlohmann::ordered_json& reply) const;
  /// Extra fields of each GET <base>/models entry (vLLM's max_model_len).
  virtual nlohmann::ordered_json ModelFields() const { return nlohmann::ordered_json::object(); }
  /// Requests served at once (llama-server's slots); 0 = the server's own setting.
  virtual int Slots() const { return 0; }
  /// The body of GET /props (llama-server's server properties), or null when the provider has
  /// no such endpoint.
  virtual nlohmann::ordered_json Props() const { return nullptr; }
  /// The model the server lists when none is configured (e.g. "gpt-5-mini").
  virtual std::string DefaultModel() const = 0;
};

/// The rules of `options.profile`.
std::unique_ptr<ProviderRules> MakeProviderRules(const ProfileOptions& options);

}  // namespace judgeopt::io
