#pragma once
// What every HTTP request to an endpoint carries, shared by chat completions (OpenAiClient) and
// model discovery: the endpoint's query parameters on the URL, the key header its auth scheme asks
// for, its extra headers and its CA bundle. Free functions; no state.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {

/// Percent-encodes every byte but the unreserved characters of RFC 3986 (A-Z a-z 0-9 - . _ ~).
std::string UrlEncode(std::string_view text);

/// `url` followed by "?name=value&..." (names and values URL-encoded, in name order); `url`
/// unchanged when `query` is empty.
std::string AppendQuery(std::string url, const std::map<std::string, std::string>& query);

/// The endpoint's chat-completions URL (ChatCompletionsUrl) with its query appended.
Result<std::string> EndpointChatUrl(const EndpointConfig& endpoint);

/// The key the endpoint sends: its variable's value; nullopt when the variable is unset or empty,
/// or when the endpoint's auth is kNone.
std::optional<std::string> EndpointKey(const EndpointConfig& endpoint, const EnvLookup& env);

/// A request to `url` with `Accept: application/json`, the key header of the endpoint's auth
/// scheme (when `key` is set), its extra headers and its CA bundle. The caller adds the method,
/// body and timeouts.
HttpRequest EndpointRequest(const EndpointConfig& endpoint, std::string url,
                            const std::optional<std::string>& key);

/// EndpointRequest as a GET (no body) with `timeout_s` for both the connect and the whole
/// request: what model discovery and `judgeopt check` read from a server besides chat calls.
HttpRequest EndpointGet(const EndpointConfig& endpoint, std::string url,
                        const std::optional<std::string>& key, double timeout_s);

/// True for the header names that carry keys (authorization, proxy-authorization, api-key,
/// x-api-key), in any case.
bool IsKeyHeader(std::string_view name);

/// A header that extra_headers (or --header) may add: a token name (RFC 9110 tchar) that is not a
/// key header (those are refused pointing to `auth`) and a value without CR, LF or NUL. Errors
/// name the header, never its value.
Status CheckExtraHeader(std::string_view name, std::string_view value);

/// A query parameter that `query` (or --query) may add: a non-empty name.
Status CheckQueryParam(std::string_view name);

}  // namespace judgeopt::llm
