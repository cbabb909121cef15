#include "judgeopt/llm/endpoint_http.h"

#include <fmt/format.h>

#include <cctype>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 9110, section 5.6.2: the characters of a header field name.
bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string AppendQuery(std::string url, const std::map<std::string, std::string>& query) {
  char separator = '?';
  for (const auto& [name, value] : query) {
    url += separator + UrlEncode(name) + "=" + UrlEncode(value);
    separator = '&';
  }
  return url;
}

Result<std::string> EndpointChatUrl(const EndpointConfig& endpoint) {
  JO_ASSIGN_OR_RETURN(std::string url, ChatCompletionsUrl(endpoint.base_url));
  return AppendQuery(std::move(url), endpoint.query);
}

std::optional<std::string> EndpointKey(const EndpointConfig& endpoint, const EnvLookup& env) {
  if (endpoint.auth == AuthScheme::kNone || !env) return std::nullopt;
  std::optional<std::string> key = env(endpoint.api_key_env);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

HttpRequest EndpointRequest(const EndpointConfig& endpoint, std::string url,
                            const std::optional<std::string>& key) {
  HttpRequest http;
  http.url = std::move(url);
  http.ca_bundle = endpoint.ca_bundle;
  http.headers.emplace_back("Accept", "application/json");
  if (key && !key->empty()) {
    switch (endpoint.auth) {
      case AuthScheme::kBearer:
        http.headers.emplace_back("Authorization", "Bearer " + *key);
        break;
      case AuthScheme::kApiKey:
        http.headers.emplace_back("api-key", *key);
        break;
      case AuthScheme::kNone:
        break;
    }
  }
  for (const auto& [name, value] : endpoint.extra_headers) http.headers.emplace_back(name, value);
  return http;
}

bool IsKeyHeader(std::string_view name) {
  const std::string lower = AsciiLower(name);
  return lower == "authorization" || lower == "proxy-authorization" || lower == "api-key" ||
         lower == "x-api-key";
}

Status CheckExtraHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return InvalidArgument("a header name is empty");
  for (char c : name) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) {
      return InvalidArgument(fmt::format(
          "header name '{}' has a character a header name cannot have (letters, digits and "
          "!#$%&'*+-.^_`|~ only)",
          name));
    }
  }
  if (IsKeyHeader(name)) {
    return InvalidArgument(fmt::format(
        "header '{}' carries a key and is not accepted in extra_headers or --header: put the key "
        "in the environment variable named by api_key_env and choose how it is sent with auth "
        "(\"bearer\", \"api-key\" or \"none\")",
        name));
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return InvalidArgument(fmt::format(
        "the value of header '{}' has a line break or NUL (the value is not shown)", name));
  }
  return Status::Ok();
}

Status CheckQueryParam(std::string_view name) {
  if (name.empty()) return InvalidArgument("a query parameter name is empty");
  return Status::Ok();
}

HttpRequest EndpointGet(const EndpointConfig& endpoint, std::string url,
                        const std::optional<std::string>& key, double timeout_s) {
  HttpRequest http = EndpointRequest(endpoint, std::move(url), key);
  http.method = "GET";
  http.total_timeout_s = timeout_s;
  http.connect_timeout_s = timeout_s;
  return http;
}

}  // namespace judgeopt::llm
