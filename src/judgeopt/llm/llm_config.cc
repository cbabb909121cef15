#include "judgeopt/llm/llm_config.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/endpoint_http.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

using config::Json;
using config::TreePath;

constexpr NamedValue<Backend> kBackends[] = {{Backend::kSim, "sim"},
                                             {Backend::kOpenAi, "openai"},
                                             {Backend::kReplay, "replay"},
                                             {Backend::kPython, "python"}};

constexpr NamedValue<TokenParam> kTokenParams[] = {
    {TokenParam::kAuto, "auto"},
    {TokenParam::kMaxTokens, "max_tokens"},
    {TokenParam::kMaxCompletionTokens, "max_completion_tokens"}};

constexpr NamedValue<AuthScheme> kAuthSchemes[] = {
    {AuthScheme::kBearer, "bearer"}, {AuthScheme::kApiKey, "api-key"}, {AuthScheme::kNone, "none"}};

const std::vector<std::string> kTopKeys = {"defaults",  "judge",      "loss",   "gradient",
                                           "optimizer", "diagnostic", "prices", "seed"};
const std::vector<std::string> kRoleKeys = {
    "backend",    "model",     "base_url",          "api_key_env", "temperature",
    "max_tokens", "timeout_s", "connect_timeout_s", "extra_body",  "max_concurrency",
    "rpm",        "tpm",       "endpoints",         "selection",   "retry",
    "token_param", "reasoning_effort", "allow_insecure_http", "low_speed", "auth",
    "extra_headers", "query", "ca_bundle", "circuit_breaker_s"};
const std::vector<std::string> kEndpointKeys = {
    "base_url", "api_key_env", "max_concurrency", "rpm",      "tpm",
    "auth",     "extra_headers", "query",         "ca_bundle"};
const std::vector<std::string> kLowSpeedKeys = {"bytes_per_s", "window_s"};
const std::vector<std::string> kRetryKeys = {"max_attempts", "base_delay_s", "max_delay_s"};
const std::vector<std::string> kPriceKeys = {"input_usd_per_mtok", "output_usd_per_mtok",
                                             "cached_input_usd_per_mtok"};

struct RoleDefaults {
  double temperature;
  int max_tokens;
  double timeout_s;
};

RoleDefaults DefaultsFor(Role role) {
  switch (role) {
    case Role::kJudge:
      return {0.1, 256, 60.0};
    case Role::kLoss:
      return {0.3, 1024, 60.0};
    case Role::kGradient:
      return {0.3, 8192, 600.0};
    case Role::kOptimizer:
      return {0.7, 16384, 600.0};
    case Role::kDiagnostic:
      return {0.0, 16, 60.0};
  }
  return {0.0, 256, 60.0};
}

bool IsEnvName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// A role while it is being parsed: the role-level endpoint fields are the template that the
// entries of `endpoints` inherit from, or the single endpoint when there is no list.
struct RoleDraft {
  RoleConfig config;
  EndpointConfig endpoint;
  std::optional<std::pair<Json, TreePath>> endpoint_list;
};

Status CheckRange(bool ok, const TreePath& at, const std::string& key, std::string_view what) {
  if (ok) return Status::Ok();
  return at.Key(key).Fail(std::string(what));
}

// A table of string values (`extra_headers`, `query`), each entry checked by `check`.
Status ReadStringTable(const Json& obj, const std::string& key, const TreePath& at,
                       const std::function<Status(const std::string&, const std::string&)>& check,
                       std::map<std::string, std::string>& out) {
  if (!obj.contains(key)) return Status::Ok();
  const Json& table = obj[key];
  if (!table.is_object()) return at.Key(key).Fail("expected a table of name = \"value\"");
  out.clear();
  for (const auto& [name, value] : table.items()) {
    if (!value.is_string()) return at.Key(key).Key(name).Fail("expected a string");
    Status st = check(name, value.get<std::string>());
    if (!st.ok()) return at.Key(key).Fail(st.error().message);
    out[name] = value.get<std::string>();
  }
  return Status::Ok();
}

// auth, extra_headers, query, ca_bundle: what a request to the endpoint carries besides the body.
Status ReadEndpointRequestFields(const Json& obj, const TreePath& at, EndpointConfig& ep) {
  if (obj.contains("auth")) {
    JO_ASSIGN_OR_RETURN(std::string name, config::GetString(obj, "auth", at));
    std::optional<AuthScheme> auth = FindEnum<AuthScheme>(name);
    if (!auth) return at.Key("auth").Fail(InvalidChoiceMessage(EnumChoices<AuthScheme>(), name));
    ep.auth = *auth;
  }
  JO_RETURN_IF_ERROR(ReadStringTable(obj, "extra_headers", at, CheckExtraHeader, ep.extra_headers));
  JO_RETURN_IF_ERROR(ReadStringTable(
      obj, "query", at, [](const std::string& name, const std::string&) {
        return CheckQueryParam(name);
      }, ep.query));
  JO_ASSIGN_OR_RETURN(ep.ca_bundle, config::GetString(obj, "ca_bundle", at, ep.ca_bundle));
  if (obj.contains("ca_bundle") && !ep.ca_bundle.empty()) {
    std::error_code ec;
    const bool file = std::filesystem::is_regular_file(ep.ca_bundle, ec);
    if (!file || !std::ifstream(ep.ca_bundle).good()) {
      return at.Key("ca_bundle").Fail("cannot read the PEM file '" + ep.ca_bundle +
                                      "' (missing, unreadable or not a file)");
    }
  }
  return Status::Ok();
}

Status ReadEndpointFields(const Json& obj, const TreePath& at, EndpointConfig& ep) {
  if (obj.contains("base_url")) {
    JO_ASSIGN_OR_RETURN(ep.base_url, config::RequiredString(obj, "base_url", at));
    auto url = ChatCompletionsUrl(ep.base_url);
    if (!url.ok()) return at.Key("base_url").Fail(url.error().message);
  }
  JO_RETURN_IF_ERROR(ReadEndpointRequestFields(obj, at, ep));
  JO_ASSIGN_OR_RETURN(ep.api_key_env, config::GetString(obj, "api_key_env", at, ep.api_key_env));
  JO_RETURN_IF_ERROR(CheckRange(IsEnvName(ep.api_key_env), at, "api_key_env",
                                "must name an environment variable (letters, digits, '_'); "
                                "put the key itself in that variable, never in the config"));
  JO_ASSIGN_OR_RETURN(long long conc,
                      config::GetInt(obj, "max_concurrency", at, ep.max_concurrency));
  JO_RETURN_IF_ERROR(
      CheckRange(conc >= 1 && conc <= 4096, at, "max_concurrency", "must be between 1 and 4096"));
  ep.max_concurrency = static_cast<int>(conc);
  JO_ASSIGN_OR_RETURN(ep.rpm, config::GetNumber(obj, "rpm", at, ep.rpm));
  JO_RETURN_IF_ERROR(CheckRange(ep.rpm >= 0, at, "rpm", "must be >= 0 (0 = unlimited)"));
  JO_ASSIGN_OR_RETURN(ep.tpm, config::GetNumber(obj, "tpm", at, ep.tpm));
  JO_RETURN_IF_ERROR(CheckRange(ep.tpm >= 0, at, "tpm", "must be >= 0 (0 = unlimited)"));
  return Status::Ok();
}

Status ReadRetry(const Json& obj, const TreePath& at, RetryPolicy& retry) {
  JO_RETURN_IF_ERROR(config::CheckKeys(obj, kRetryKeys, at));
  JO_ASSIGN_OR_RETURN(long long attempts,
                      config::GetInt(obj, "max_attempts", at, retry.max_attempts));
  JO_RETURN_IF_ERROR(CheckRange(attempts >= 1 && attempts <= 100, at, "max_attempts",
                                "must be between 1 and 100"));
  retry.max_attempts = static_cast<int>(attempts);
  JO_ASSIGN_OR_RETURN(retry.base_delay_s,
                      config::GetNumber(obj, "base_delay_s", at, retry.base_delay_s));
  JO_RETURN_IF_ERROR(CheckRange(retry.base_delay_s >= 0, at, "base_delay_s", "must be >= 0"));
  JO_ASSIGN_OR_RETURN(retry.max_delay_s,
                      config::GetNumber(obj, "max_delay_s", at, retry.max_delay_s));
  return CheckRange(retry.max_delay_s >= retry.base_delay_s, at, "max_delay_s",
                    "must be >= base_delay_s");
}

// `temperature`: a number, or "omit" (no temperature in the body).
Status ReadTemperature(const Json& obj, const TreePath& at, RoleConfig& rc) {
  auto it = obj.find("temperature");
  if (it != obj.end() && it->is_string()) {
    if (it->get<std::string>() != "omit") {
      return at.Key("temperature").Fail("must be a number in [0, 2] or \"omit\"");
    }
    rc.omit_temperature = true;
    return Status::Ok();
  }
  JO_ASSIGN_OR_RETURN(rc.temperature, config::GetNumber(obj, "temperature", at, rc.temperature));
  if (it != obj.end()) rc.omit_temperature = false;
  return Status::Ok();
}

// token_param and reasoning_effort: how the body is shaped for the server.
Status ReadShaping(const Json& obj, const TreePath& at, RoleConfig& rc) {
  if (obj.contains("token_param")) {
    JO_ASSIGN_OR_RETURN(std::string name, config::GetString(obj, "token_param", at));
    std::optional<TokenParam> param = FindEnum<TokenParam>(name);
    if (!param) {
      return at.Key("token_param").Fail(InvalidChoiceMessage(EnumChoices<TokenParam>(), name));
    }
    rc.token_param = *param;
  }
  JO_ASSIGN_OR_RETURN(rc.reasoning_effort,
                      config::GetString(obj, "reasoning_effort", at, rc.reasoning_effort));
  JO_ASSIGN_OR_RETURN(rc.allow_insecure_http, config::GetBool(obj, "allow_insecure_http", at,
                                                              rc.allow_insecure_http));
  return Status::Ok();
}

Status ReadLowSpeed(const Json& obj, const TreePath& at, LowSpeedLimit& limit) {
  JO_RETURN_IF_ERROR(config::CheckKeys(obj, kLowSpeedKeys, at));
  JO_ASSIGN_OR_RETURN(limit.bytes_per_s, config::GetNumber(obj, "bytes_per_s", at,
                                                           limit.bytes_per_s));
  JO_RETURN_IF_ERROR(CheckRange(limit.bytes_per_s >= 0, at, "bytes_per_s", "must be >= 0 (0 = off)"));
  JO_ASSIGN_OR_RETURN(limit.window_s, config::GetNumber(obj, "window_s", at, limit.window_s));
  return CheckRange(limit.window_s >= 0, at, "window_s", "must be >= 0 (0 = off)");
}

Status ReadSampling(const Json& obj, const TreePath& at, RoleConfig& rc) {
  JO_ASSIGN_OR_RETURN(rc.model, config::GetString(obj, "model", at, rc.model));
  JO_RETURN_IF_ERROR(ReadTemperature(obj, at, rc));
  JO_RETURN_IF_ERROR(ReadShaping(obj, at, rc));
  JO_RETURN_IF_ERROR(CheckRange(rc.temperature >= 0 && rc.temperature <= 2, at, "temperature",
                                "must be in [0, 2]"));
  JO_ASSIGN_OR_RETURN(long long max_tokens, config::GetInt(obj, "max_tokens", at, rc.max_tokens));
  JO_RETURN_IF_ERROR(CheckRange(max_tokens >= 1 && max_tokens <= 10'000'000, at, "max_tokens",
                                "must be between 1 and 10000000"));
  rc.max_tokens = static_cast<int>(max_tokens);
  JO_ASSIGN_OR_RETURN(rc.timeout_s, config::GetNumber(obj, "timeout_s", at, rc.timeout_s));
  JO_RETURN_IF_ERROR(CheckRange(rc.timeout_s > 0, at, "timeout_s", "must be > 0"));
  JO_ASSIGN_OR_RETURN(rc.connect_timeout_s,
                      config::GetNumber(obj, "connect_timeout_s", at, rc.connect_timeout_s));
  return CheckRange(rc.connect_timeout_s > 0, at, "connect_timeout_s", "must be > 0");
}

Status ApplyRoleTable(const Json& obj, const TreePath& at, RoleDraft& draft) {
  JO_RETURN_IF_ERROR(config::CheckKeys(obj, kRoleKeys, at));
  RoleConfig& rc = draft.config;
  if (obj.contains("backend")) {
    JO_ASSIGN_OR_RETURN(std::string name, config::GetString(obj, "backend", at));
    auto backend = ParseBackend(name);
    if (!backend.ok()) return at.Key("backend").Fail(backend.error().message);
    rc.backend = *backend;
  }
  JO_RETURN_IF_ERROR(ReadSampling(obj, at, rc));
  JO_ASSIGN_OR_RETURN(rc.circuit_breaker_s,
                      config::GetNumber(obj, "circuit_breaker_s", at, rc.circuit_breaker_s));
  JO_RETURN_IF_ERROR(CheckRange(rc.circuit_breaker_s >= 0, at, "circuit_breaker_s",
                                "must be >= 0 (0 switches the circuit breaker off)"));
  if (obj.contains("extra_body")) {
    if (!obj["extra_body"].is_object()) return at.Key("extra_body").Fail("expected a table");
    rc.extra_body_json = obj["extra_body"].empty() ? "" : obj["extra_body"].dump();
  }
  if (obj.contains("selection")) {
    JO_ASSIGN_OR_RETURN(std::string name, config::GetString(obj, "selection", at));
    auto selection = ParseSelection(name);
    if (!selection.ok()) return at.Key("selection").Fail(selection.error().message);
    rc.selection = *selection;
  }
  if (obj.contains("retry")) JO_RETURN_IF_ERROR(ReadRetry(obj["retry"], at.Key("retry"), rc.retry));
  if (obj.contains("low_speed")) {
    JO_RETURN_IF_ERROR(ReadLowSpeed(obj["low_speed"], at.Key("low_speed"), rc.low_speed));
  }
  JO_RETURN_IF_ERROR(ReadEndpointFields(obj, at, draft.endpoint));
  if (obj.contains("endpoints")) {
    const Json& list = obj["endpoints"];
    if (!list.is_array() || list.empty()) {
      return at.Key("endpoints").Fail("expected a non-empty list of endpoint tables");
    }
    draft.endpoint_list.emplace(list, at.Key("endpoints"));
  }
  return Status::Ok();
}

Result<RoleConfig> FinishRole(RoleDraft draft) {
  RoleConfig rc = std::move(draft.config);
  rc.endpoints.clear();
  if (!draft.endpoint_list) {
    rc.endpoints.push_back(draft.endpoint);
    return rc;
  }
  const auto& [list, at] = *draft.endpoint_list;
  for (std::size_t i = 0; i < list.size(); ++i) {
    EndpointConfig ep = draft.endpoint;
    JO_RETURN_IF_ERROR(config::CheckKeys(list[i], kEndpointKeys, at.Index(i)));
    JO_RETURN_IF_ERROR(ReadEndpointFields(list[i], at.Index(i), ep));
    rc.endpoints.push_back(std::move(ep));
  }
  return rc;
}

Result<PriceMap> ReadPrices(const Json& obj, const TreePath& at) {
  PriceMap prices;
  if (!obj.is_object()) return at.Fail("expected a table of model -> price");
  for (const auto& [model, entry] : obj.items()) {
    TreePath here = at.Key(model);
    JO_RETURN_IF_ERROR(config::CheckKeys(entry, kPriceKeys, here));
    ModelPrice price;
    JO_ASSIGN_OR_RETURN(price.input_usd_per_mtok,
                        config::RequiredNumber(entry, "input_usd_per_mtok", here));
    JO_ASSIGN_OR_RETURN(price.output_usd_per_mtok,
                        config::RequiredNumber(entry, "output_usd_per_mtok", here));
    JO_RETURN_IF_ERROR(CheckRange(price.input_usd_per_mtok >= 0 && price.output_usd_per_mtok >= 0,
                                  here, "input_usd_per_mtok", "prices must be >= 0"));
    if (entry.contains("cached_input_usd_per_mtok")) {
      JO_ASSIGN_OR_RETURN(double cached,
                          config::RequiredNumber(entry, "cached_input_usd_per_mtok", here));
      JO_RETURN_IF_ERROR(
          CheckRange(cached >= 0, here, "cached_input_usd_per_mtok", "prices must be >= 0"));
      price.cached_input_usd_per_mtok = cached;
    }
    prices[model] = price;
  }
  return prices;
}

Json EndpointToJson(const EndpointConfig& ep) {
  Json out{{"base_url", ep.base_url},
           {"api_key_env", ep.api_key_env},
           {"max_concurrency", ep.max_concurrency},
           {"rpm", ep.rpm},
           {"tpm", ep.tpm}};
  // Written only when set, so configs that never name them keep their stored form and hashes.
  if (ep.auth != AuthScheme::kBearer) out["auth"] = EnumName(ep.auth);
  if (!ep.extra_headers.empty()) out["extra_headers"] = ep.extra_headers;
  if (!ep.query.empty()) out["query"] = ep.query;
  if (!ep.ca_bundle.empty()) out["ca_bundle"] = ep.ca_bundle;
  return out;
}

Json RoleToJson(const RoleConfig& rc) {
  Json out = Json::object();
  out["backend"] = BackendName(rc.backend);
  out["model"] = rc.model;
  out["temperature"] = rc.temperature;
  out["max_tokens"] = rc.max_tokens;
  // Written only when set, so configs that never name them keep their stored form and hashes.
  if (rc.omit_temperature) out["temperature"] = "omit";
  if (rc.token_param != TokenParam::kAuto) out["token_param"] = EnumName(rc.token_param);
  if (!rc.reasoning_effort.empty()) out["reasoning_effort"] = rc.reasoning_effort;
  if (rc.allow_insecure_http) out["allow_insecure_http"] = true;
  if (rc.circuit_breaker_s != kDefaultCircuitBreakerS) {
    out["circuit_breaker_s"] = rc.circuit_breaker_s;
  }
  out["timeout_s"] = rc.timeout_s;
  out["connect_timeout_s"] = rc.connect_timeout_s;
  if (rc.low_speed != LowSpeedLimit{}) {
    out["low_speed"] = Json{{"bytes_per_s", rc.low_speed.bytes_per_s},
                            {"window_s", rc.low_speed.window_s}};
  }
  out["extra_body"] = rc.extra_body_json.empty() ? Json::object() : Json::parse(rc.extra_body_json);
  out["selection"] = SelectionName(rc.selection);
  out["retry"] = Json{{"max_attempts", rc.retry.max_attempts},
                      {"base_delay_s", rc.retry.base_delay_s},
                      {"max_delay_s", rc.retry.max_delay_s}};
  Json endpoints = Json::array();
  for (const auto& ep : rc.endpoints) endpoints.push_back(EndpointToJson(ep));
  out["endpoints"] = std::move(endpoints);
  return out;
}

}  // namespace

std::span<const NamedValue<Backend>> NamesOf(Backend) { return kBackends; }
std::span<const NamedValue<TokenParam>> NamesOf(TokenParam) { return kTokenParams; }
std::span<const NamedValue<AuthScheme>> NamesOf(AuthScheme) { return kAuthSchemes; }

bool UsesReasoningApi(std::string_view model) {
  const std::size_t slash = model.rfind('/');
  if (slash != std::string_view::npos) model.remove_prefix(slash + 1);
  for (std::string_view family : {"o1", "o3", "o4", "gpt-5"}) {
    if (!model.starts_with(family)) continue;
    if (model.size() == family.size() || model[family.size()] == '-') return true;
  }
  return false;
}

std::string_view BackendName(Backend backend) {
  for (const NamedValue<Backend>& entry : kBackends) {
    if (entry.value == backend) return entry.name;
  }
  return "sim";
}

Result<Backend> ParseBackend(std::string_view name) {
  if (std::optional<Backend> backend = FindEnum<Backend>(name)) return *backend;
  return InvalidArgument("backend " + InvalidChoiceMessage(EnumChoices<Backend>(), name));
}

std::string_view SelectionName(EndpointSelection selection) {
  return selection == EndpointSelection::kLeastLoaded ? "least_loaded" : "round_robin";
}

Result<EndpointSelection> ParseSelection(std::string_view name) {
  if (name == "round_robin") return EndpointSelection::kRoundRobin;
  if (name == "least_loaded") return EndpointSelection::kLeastLoaded;
  return InvalidArgument("unknown endpoint selection '" + std::string(name) +
                         "' (expected round_robin or least_loaded)");
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<ModelPrice> LlmConfig::PriceFor(std::string_view model) const {
  return LookupPrice(prices, model);
}

double LlmConfig::CostUsd(std::string_view model, const Usage& usage) const {
  auto price = PriceFor(model);
  if (!price) return 0.0;
  const int64_t cached = usage.BilledCachedTokens();
  const double cached_price = price->cached_input_usd_per_mtok.value_or(price->input_usd_per_mtok);
  return (static_cast<double>(usage.prompt_tokens - cached) * price->input_usd_per_mtok +
          static_cast<double>(cached) * cached_price +
          static_cast<double>(usage.BilledOutputTokens()) * price->output_usd_per_mtok) /
         1e6;
}

RoleConfig DefaultRoleConfig(Role role, const EnvLookup& env) {
  RoleDefaults d = DefaultsFor(role);
  RoleConfig rc;
  rc.temperature = d.temperature;
  rc.max_tokens = d.max_tokens;
  rc.timeout_s = d.timeout_s;
  EndpointConfig ep;
  auto base = env(std::string(kBaseUrlEnv));
  ep.base_url = base && !base->empty() ? *base : std::string(kDefaultBaseUrl);
  rc.endpoints.push_back(std::move(ep));
  return rc;
}

LlmConfig DefaultLlmConfig(const EnvLookup& env) {
  LlmConfig config;
  for (Role r : kAllRoles) config.role(r) = DefaultRoleConfig(r, env);
  return config;
}

Result<LlmConfig> ParseLlmConfig(const Json& tree, const std::string& origin,
                                 const EnvLookup& env) {
  TreePath at(origin);
  JO_RETURN_IF_ERROR(config::CheckKeys(tree, kTopKeys, at));
  LlmConfig out = DefaultLlmConfig(env);
  for (Role r : kAllRoles) {
    RoleDraft draft{DefaultRoleConfig(r, env), EndpointConfig{}, std::nullopt};
    draft.endpoint = draft.config.endpoints.front();
    if (tree.contains("defaults")) {
      JO_RETURN_IF_ERROR(ApplyRoleTable(tree["defaults"], at.Key("defaults"), draft));
    }
    std::string name(RoleName(r));
    if (tree.contains(name)) JO_RETURN_IF_ERROR(ApplyRoleTable(tree[name], at.Key(name), draft));
    JO_ASSIGN_OR_RETURN(out.role(r), FinishRole(std::move(draft)));
  }
  if (tree.contains("prices")) {
    JO_ASSIGN_OR_RETURN(out.prices, ReadPrices(tree["prices"], at.Key("prices")));
  }
  JO_ASSIGN_OR_RETURN(long long seed, config::GetInt(tree, "seed", at, 0));
  JO_RETURN_IF_ERROR(CheckRange(seed >= 0, at, "seed", "must be >= 0"));
  out.retry_seed = static_cast<uint64_t>(seed);
  return out;
}

Json LlmConfigToJson(const LlmConfig& config) {
  Json out = Json::object();
  for (Role r : kAllRoles) out[std::string(RoleName(r))] = RoleToJson(config.role(r));
  Json prices = Json::object();
  for (const auto& [model, p] : config.prices) {
    prices[model] = Json{{"input_usd_per_mtok", p.input_usd_per_mtok},
                         {"output_usd_per_mtok", p.output_usd_per_mtok}};
    if (p.cached_input_usd_per_mtok) {
      prices[model]["cached_input_usd_per_mtok"] = *p.cached_input_usd_per_mtok;
    }
  }
  out["prices"] = std::move(prices);
  out["seed"] = config.retry_seed;
  return out;
}

namespace {

void ApplyEndpointOverrides(const LlmOverrides& overrides, EndpointConfig& ep) {
  if (overrides.base_url) ep.base_url = *overrides.base_url;
  if (overrides.concurrency) ep.max_concurrency = *overrides.concurrency;
  if (overrides.api_key_env) ep.api_key_env = *overrides.api_key_env;
  if (overrides.auth) ep.auth = *overrides.auth;
  for (const auto& [name, value] : overrides.headers) ep.extra_headers[name] = value;
  for (const auto& [name, value] : overrides.query) ep.query[name] = value;
}

}  // namespace

Status ApplyOverrides(LlmConfig& config, const LlmOverrides& overrides,
                      std::span<const Role> roles) {
  if (overrides.base_url) {
    auto url = ChatCompletionsUrl(*overrides.base_url);
    if (!url.ok()) return url.error().WithContext("--base-url");
  }
  if (overrides.concurrency && *overrides.concurrency < 1) {
    return InvalidArgument("--concurrency must be >= 1");
  }
  if (overrides.api_key_env && !IsEnvName(*overrides.api_key_env)) {
    return InvalidArgument(
        "--api-key-env takes the NAME of an environment variable (letters, digits and '_', not "
        "starting with a digit), not a key; the value given is not shown");
  }
  for (const auto& [name, value] : overrides.headers) {
    Status st = CheckExtraHeader(name, value);
    if (!st.ok()) return st.error().WithContext("--header");
  }
  for (const auto& [name, value] : overrides.query) {
    Status st = CheckQueryParam(name);
    if (!st.ok()) return st.error().WithContext("--query");
  }
  for (Role r : roles) {
    RoleConfig& rc = config.role(r);
    if (overrides.backend) rc.backend = *overrides.backend;
    if (overrides.model) rc.model = *overrides.model;
    if (overrides.token_param) rc.token_param = *overrides.token_param;
    if (overrides.reasoning_effort) rc.reasoning_effort = *overrides.reasoning_effort;
    for (auto& ep : rc.endpoints) ApplyEndpointOverrides(overrides, ep);
  }
  return Status::Ok();
}

Status ValidateRole(const RoleConfig& role_config, Role role) {
  std::string where = "llm." + std::string(RoleName(role));
  if (role_config.endpoints.empty()) return InvalidArgument(where + ": no endpoint configured");
  if (role_config.backend != Backend::kOpenAi) return Status::Ok();
  if (role_config.model.empty()) {
    return InvalidArgument(where +
                           ".model: backend 'openai' needs a model name (set it in the "
                           "config or pass --model)");
  }
  for (std::size_t i = 0; i < role_config.endpoints.size(); ++i) {
    auto url = ChatCompletionsUrl(role_config.endpoints[i].base_url);
    if (!url.ok()) {
      return url.error().WithContext(where + ".endpoints[" + std::to_string(i) + "].base_url");
    }
  }
  return Status::Ok();
}

bool IsPlainHttpToRemoteHost(std::string_view base_url) {
  base_url = Trim(base_url);
  constexpr std::string_view kHttp = "http://";
  if (!base_url.starts_with(kHttp)) return false;
  std::string_view host = base_url.substr(kHttp.size());
  host = host.substr(0, host.find('/'));
  if (host.starts_with("[")) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? host.size() - 1
                                                                    : host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  const std::string lower = AsciiLower(host);
  return !(lower == "localhost" || lower == "::1" || lower.starts_with("127."));
}

Status CheckKeyTransport(const RoleConfig& role_config, Role role, const EnvLookup& env) {
  if (role_config.allow_insecure_http) return Status::Ok();
  for (const EndpointConfig& ep : role_config.endpoints) {
    if (!IsPlainHttpToRemoteHost(ep.base_url)) continue;
    if (!EndpointKey(ep, env)) continue;  // no key is sent, so nothing to protect
    return InvalidArgument(fmt::format(
        "llm.{}: refusing to send the API key in {} over plain http to {} (not a loopback "
        "address): anyone on the way could read it. Use https, unset {} for a server that needs "
        "no key, or set allow_insecure_http = true under [llm.{}]",
        RoleName(role), ep.api_key_env, ep.base_url, ep.api_key_env, RoleName(role)));
  }
  return Status::Ok();
}

void ShapeRequest(const RoleConfig& rc, ChatRequest& request) {
  const bool reasoning = UsesReasoningApi(request.model);
  request.max_completion_tokens =
      rc.token_param == TokenParam::kMaxCompletionTokens ||
      (rc.token_param == TokenParam::kAuto && reasoning);
  request.omit_temperature = rc.omit_temperature || reasoning;
  request.reasoning_effort = rc.reasoning_effort;
}

ChatRequest MakeRequest(const LlmConfig& config, Role role) {
  const RoleConfig& rc = config.role(role);
  ChatRequest request;
  request.role = role;
  request.model = rc.model;
  request.temperature = rc.temperature;
  request.max_tokens = rc.max_tokens;
  request.extra_body_json = rc.extra_body_json;
  return request;
}

std::string ModelOrSimName(const RoleConfig& role_config) {
  return role_config.model.empty() ? std::string(kSimModelName) : role_config.model;
}

int WorkersFor(const RoleConfig& role_config, int concurrency) {
  if (role_config.backend == Backend::kOpenAi || role_config.backend == Backend::kPython) {
    int workers = 0;
    for (const auto& ep : role_config.endpoints) workers += ep.max_concurrency;
    return workers;
  }
  return concurrency > 0 ? concurrency : 8;
}

}  // namespace judgeopt::llm
