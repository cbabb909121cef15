#pragma once
// Per-role LLM settings: backend, model, sampling defaults, endpoints (with concurrency and rate
// limits), retry policy and prices. Parsed from the `[llm]` table of a config tree; unknown keys
// are rejected naming the key. API keys are never part of this object: it holds only the NAME of
// the environment variable, and the key is read from the environment at call time.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/llm/price_table.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Where a role's calls go: kSim the in-process simulator, kOpenAi an OpenAI-compatible HTTP
/// endpoint, kReplay the response cache only, kPython a Python function given to the judgeopt
/// Python module (docs/python.md; the CLI has none to give, and refuses the backend when the
/// client stack is built).
enum class Backend { kSim, kOpenAi, kReplay, kPython };
/// The name table of Backend (base/enum_names.h): "sim", "openai", "replay", "python". The
/// `backend` key of a config, --backend's help, its check and ParseBackend all read it.
std::span<const NamedValue<Backend>> NamesOf(Backend);
std::string_view BackendName(Backend backend);
/// A name of the table; otherwise fails listing them.
Result<Backend> ParseBackend(std::string_view name);

/// Which body key carries a role's max_tokens. kAuto picks by model family (UsesReasoningApi):
/// max_completion_tokens for OpenAI's reasoning models, max_tokens for everything else.
enum class TokenParam { kAuto, kMaxTokens, kMaxCompletionTokens };
/// "auto", "max_tokens", "max_completion_tokens" (the `token_param` key of a role).
std::span<const NamedValue<TokenParam>> NamesOf(TokenParam);

/// True for the model families of OpenAI's reasoning API (o1, o3, o4, gpt-5 and their dated or
/// sized variants, with or without a vendor prefix such as "openai/"): they take
/// max_completion_tokens instead of max_tokens and refuse any temperature other than the default.
bool UsesReasoningApi(std::string_view model);

/// How an endpoint sends its API key: kBearer `Authorization: Bearer <key>` (OpenAI and most
/// compatible servers), kApiKey `api-key: <key>` (Azure OpenAI classic endpoints), kNone no key
/// header at all, even when the key's variable is set.
enum class AuthScheme { kBearer, kApiKey, kNone };
/// "bearer", "api-key", "none" (the `auth` key of a role or endpoint, and --auth).
std::span<const NamedValue<AuthScheme>> NamesOf(AuthScheme);

enum class EndpointSelection { kRoundRobin, kLeastLoaded };
std::string_view SelectionName(EndpointSelection selection);  // "round_robin", "least_loaded"
Result<EndpointSelection> ParseSelection(std::string_view name);

/// Reads one environment variable (nullopt when unset). Injected so tests need not touch the real
/// environment; ProcessEnv() reads it with std::getenv.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnv();

inline constexpr std::string_view kDefaultApiKeyEnv = "OPENAI_API_KEY";
inline constexpr std::string_view kBaseUrlEnv = "OPENAI_BASE_URL";
inline constexpr std::string_view kDefaultBaseUrl = "https://api.openai.com/v1";

/// One server + key pair. rpm/tpm of 0 mean "no client-side limit".
struct EndpointConfig {
  std::string base_url;
  std::string api_key_env = std::string(kDefaultApiKeyEnv);
  int max_concurrency = 16;
  double rpm = 0.0;
  double tpm = 0.0;
  AuthScheme auth = AuthScheme::kBearer;
  /// Sent with every request to this endpoint (never a key header: CheckExtraHeader). Values are
  /// never written to errors or logs.
  std::map<std::string, std::string> extra_headers{};
  /// Appended, URL-encoded, to the chat-completions and models URLs (e.g. Azure's api-version).
  std::map<std::string, std::string> query{};
  /// PEM file of the certificate authorities to trust (libcurl CURLOPT_CAINFO); "" = system's.
  std::string ca_bundle{};
  bool operator==(const EndpointConfig&) const = default;
};

/// Capped exponential backoff with full jitter: before retry k (k = 1, 2, ...) wait a uniform
/// random time in [0, min(max_delay_s, base_delay_s * 2^(k-1))], and at least Retry-After.
struct RetryPolicy {
  int max_attempts = 6;  // total attempts, the first included
  double base_delay_s = 1.0;
  double max_delay_s = 60.0;
  bool operator==(const RetryPolicy&) const = default;
};

/// A reply whose body, once begun, arrives slower than `bytes_per_s` over `window_s` seconds has
/// stalled: it fails as a kTimeout (retried) long before the total timeout. Measured from the
/// first response byte on, because a non-streaming reply is legitimately silent while the model
/// generates. 0 in either field disables it.
struct LowSpeedLimit {
  double bytes_per_s = 1.0;
  double window_s = 30.0;
  bool operator==(const LowSpeedLimit&) const = default;
};
/// The default circuit breaker window of a role, in seconds.
inline constexpr double kDefaultCircuitBreakerS = 60.0;

struct RoleConfig {
  Backend backend = Backend::kSim;
  /// Model name sent to the server; "" lets the sim backend choose (openai requires one).
  std::string model;
  double temperature = 0.0;
  /// `temperature = "omit"`: the body carries no temperature (the server's default applies).
  /// Reasoning models (UsesReasoningApi) never get one, whatever this says.
  bool omit_temperature = false;
  int max_tokens = 256;
  TokenParam token_param = TokenParam::kAuto;
  /// Sent as `reasoning_effort` when not empty (e.g. "minimal", "low", "medium", "high").
  std::string reasoning_effort;
  /// Allows sending the API key over plain http to a host outside the loopback range
  /// (CheckKeyTransport refuses it otherwise).
  bool allow_insecure_http = false;
  double timeout_s = 60.0;
  double connect_timeout_s = 10.0;
  LowSpeedLimit low_speed;
  /// The circuit breaker's window (llm/tripwire.h): after the role's first success, when every
  /// attempt fails with a transient error for this many seconds, the role stops. 0 = off.
  double circuit_breaker_s = kDefaultCircuitBreakerS;
  /// JSON object text merged into every request body ("" = none).
  std::string extra_body_json;
  /// At least one after parsing.
  std::vector<EndpointConfig> endpoints;
  EndpointSelection selection = EndpointSelection::kRoundRobin;
  RetryPolicy retry;
  bool operator==(const RoleConfig&) const = default;
};

/// The whole LLM configuration. Value type; thread-compatible.
struct LlmConfig {
  PerRole<RoleConfig> roles;
  /// `[llm.prices]`: overrides the built-in table (llm/price_table.h).
  PriceMap prices;
  /// Seeds the retry jitter (timing only; never changes a result).
  uint64_t retry_seed = 0;

  const RoleConfig& role(Role r) const { return roles[r]; }
  RoleConfig& role(Role r) { return roles[r]; }
  /// `prices`, then the built-in table (LookupPrice).
  std::optional<ModelPrice> PriceFor(std::string_view model) const;
  /// Dollars for `usage` at the model's price; 0 when the model has no price. The one place money
  /// is computed: uncached prompt tokens at the input price, cached ones (Usage::
  /// BilledCachedTokens) at the cached-input price (the input price when the model has none),
  /// Usage::BilledOutputTokens at the output price.
  double CostUsd(std::string_view model, const Usage& usage) const;
  bool operator==(const LlmConfig&) const = default;
};

/// Built-in defaults (the study's settings): temperature judge 0.1, loss 0.3, gradient 0.3,
/// optimizer 0.7, diagnostic 0.0; max_tokens 256 / 1024 / 8192 / 16384 / 16; timeouts
/// 60 / 60 / 600 / 600 / 60 s; backend sim; one endpoint whose base URL is $OPENAI_BASE_URL or
/// https://api.openai.com/v1 and whose key variable is OPENAI_API_KEY.
LlmConfig DefaultLlmConfig(const EnvLookup& env = ProcessEnv());
RoleConfig DefaultRoleConfig(Role role, const EnvLookup& env = ProcessEnv());

/// Parses the `[llm]` table: optional `defaults` (applied to every role), one table per role,
/// `prices`, and `seed`. Missing keys keep the built-in defaults. Errors name `origin` and the key.
Result<LlmConfig> ParseLlmConfig(const config::Json& tree, const std::string& origin,
                                 const EnvLookup& env = ProcessEnv());

/// The resolved configuration as a tree ParseLlmConfig accepts (every role with its endpoint
/// list). Holds key variable names only, never key values.
config::Json LlmConfigToJson(const LlmConfig& config);

/// Command-line overrides (--backend, --base-url, --model, --concurrency).
struct LlmOverrides {
  std::optional<Backend> backend{};
  std::optional<std::string> base_url{};  // replaces the base URL of every endpoint of the role
  std::optional<std::string> model{};
  std::optional<int> concurrency{};  // max_concurrency of every endpoint of the role
  /// The NAME of the environment variable holding the key, for every endpoint of the role.
  std::optional<std::string> api_key_env{};
  std::optional<TokenParam> token_param{};
  std::optional<std::string> reasoning_effort{};
  std::optional<AuthScheme> auth{};  // every endpoint of the role
  /// Added to (replacing same-named entries of) every endpoint's extra_headers / query.
  std::map<std::string, std::string> headers{};
  std::map<std::string, std::string> query{};
};

/// Applies `overrides` to `roles` (all roles by default). Fails on an invalid URL, concurrency,
/// variable name (a pasted key is refused without being echoed) or header (CheckExtraHeader).
Status ApplyOverrides(LlmConfig& config, const LlmOverrides& overrides,
                      std::span<const Role> roles = kAllRoles);

/// Checks what a backend needs before any call: openai needs a model and valid endpoint URLs.
Status ValidateRole(const RoleConfig& role_config, Role role);

/// True when `base_url` is plain http to a host outside the loopback range (anything but
/// localhost, 127.0.0.0/8 and ::1).
bool IsPlainHttpToRemoteHost(std::string_view base_url);

/// An API key never travels in clear over the network unless asked: fails (kInvalidArgument,
/// naming the role, the URL, the key's variable and the settings that fix it) when an endpoint of
/// `role_config` is IsPlainHttpToRemoteHost and its key variable is set, unless
/// allow_insecure_http, or the endpoint's auth is kNone (no key is sent). Never reads more than
/// whether the variable is set.
Status CheckKeyTransport(const RoleConfig& role_config, Role role, const EnvLookup& env);

/// Sets the request's body shaping from the role (token_param, temperature "omit",
/// reasoning_effort), resolving kAuto and the temperature by the request's model family
/// (UsesReasoningApi). The client stack applies it to every request of an openai or replay role
/// once the model is known; the simulator needs no shaping.
void ShapeRequest(const RoleConfig& rc, ChatRequest& request);

/// A request pre-filled with the role's model, temperature, max_tokens and extra_body.
ChatRequest MakeRequest(const LlmConfig& config, Role role);

/// The model name used where a sim or replay role names none: in judge requests, provenance and
/// banners.
inline constexpr const char* kSimModelName = "judgeopt-sim";
/// The role's model, or kSimModelName when it names none.
std::string ModelOrSimName(const RoleConfig& role_config);

/// How many calls a command keeps in flight at once when `role_config` is its first role (its
/// WorkPool size): for an openai or python role, the max_concurrency of its endpoints summed (the
/// endpoint pool or the python role's limit bounds each one); otherwise `concurrency` when above
/// 0 (--concurrency), else 8.
int WorkersFor(const RoleConfig& role_config, int concurrency);

}  // namespace judgeopt::llm
