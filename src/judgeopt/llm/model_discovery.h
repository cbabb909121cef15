#pragma once
// Which model to call when a role names none: an OpenAI-compatible server lists what it serves at
// GET <base>/models; a server that serves exactly one model (a local vLLM, llama.cpp server or
// judgeopt sim-server) is unambiguous, so `--backend openai --base-url URL` works without
// `--model`. Several models (a hosted API) still need an explicit choice.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {

/// The models URL of a base URL ("http://h:p" -> "http://h:p/v1/models"), normalized as
/// ChatCompletionsUrl does.
Result<std::string> ModelsUrl(std::string_view base_url);

/// The model ids `endpoint` serves (GET <base>/models with its query, headers and API key, as
/// EndpointRequest sends them). Errors name the
/// URL and, for 401/403, the key's environment variable, never the key.
Result<std::vector<std::string>> ListServedModels(HttpTransport& transport,
                                                  const EndpointConfig& endpoint,
                                                  const EnvLookup& env, double timeout_s = 10.0);

/// For each of `roles` whose backend is openai and whose model is empty: asks its first endpoint
/// (once per base URL) and, when it serves exactly one model, uses it, adding a line to `notes`.
/// No model or several are an error naming the role, the URL and the models served, and asking
/// for --model or llm.<role>.model.
Status FillServedModels(LlmConfig& config, std::span<const Role> roles, HttpTransport& transport,
                        const EnvLookup& env, std::vector<std::string>& notes);

}  // namespace judgeopt::llm
