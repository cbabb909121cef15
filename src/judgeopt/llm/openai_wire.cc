#include "judgeopt/llm/openai_wire.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"

namespace judgeopt::llm {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxServerMessage = 300;
constexpr std::string_view kChatPath = "/chat/completions";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Result<Json> ParseObject(std::string_view text, std::string_view field) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return InvalidArgument(std::string(field) +
                           " must be a JSON object, got: " + std::string(text.substr(0, 80)));
  }
  return value;
}

// choices[0].message.content as text: a string, or the concatenated text parts of an array.
std::string ContentText(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (!content.is_array()) return out;
  for (const auto& part : content) {
    if (part.is_object() && part.contains("text") && part["text"].is_string()) {
      out += part["text"].get<std::string>();
    }
  }
  return out;
}

std::string StringOr(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The message of one error object: {"error":{"message"}}, {"error":"..."}, {"message"} or
// {"detail"} (a string, or FastAPI's list of {"msg"}); "" when it has none of them.
std::string ObjectMessage(const Json& obj) {
  if (!obj.is_object()) return "";
  auto err = obj.find("error");
  if (err != obj.end() && err->is_object()) {
    std::string nested = ObjectMessage(*err);
    if (!nested.empty()) return nested;
  }
  if (err != obj.end() && err->is_string()) return err->get<std::string>();
  std::string msg = StringOr(obj, "message");
  if (msg.empty()) msg = StringOr(obj, "detail");
  auto detail = obj.find("detail");
  if (msg.empty() && detail != obj.end() && detail->is_array() && !detail->empty()) {
    msg = StringOr((*detail)[0], "msg");
  }
  return msg;
}

// The server's own explanation inside an error body: of the object, or of the first element of
// an array of error objects (Gemini's OpenAI-compatible endpoint); else the body itself.
std::string ServerMessage(std::string_view body) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string msg;
  if (!doc.is_discarded() && doc.is_array()) {
    for (const auto& element : doc) {
      msg = ObjectMessage(element);
      if (!msg.empty()) break;
    }
  } else if (!doc.is_discarded()) {
    msg = ObjectMessage(doc);
  }
  if (msg.empty()) msg = std::string(Trim(body));
  std::replace_if(
      msg.begin(), msg.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (msg.size() > kMaxServerMessage) msg = msg.substr(0, kMaxServerMessage) + "...";
  return msg;
}

// A non-negative integer at doc[key][sub] (sub empty: doc[key]); anything else (absent, null,
// negative, not an integer, a parent that is not an object) reads as nullopt.
std::optional<int64_t> UsageCount(const Json& doc, const char* key, const char* sub = nullptr) {
  auto it = doc.find(key);
  if (it == doc.end()) return std::nullopt;
  const Json* value = &*it;
  if (sub != nullptr) {
    if (!value->is_object()) return std::nullopt;
    auto inner = value->find(sub);
    if (inner == value->end()) return std::nullopt;
    value = &*inner;
  }
  if (!value->is_number_integer() || value->get<int64_t>() < 0) return std::nullopt;
  return value->get<int64_t>();
}

// The `usage` object. prompt_tokens and completion_tokens are required (else the counts are
// approximated and flagged `estimated`); total_tokens, prompt_tokens_details.cached_tokens and
// completion_tokens_details.reasoning_tokens are optional: absent or malformed reads as unknown
// (total = prompt + completion, cached and reasoning 0), never as an error. DeepSeek reports
// cache hits as a top-level prompt_cache_hit_tokens ("Context Caching", DeepSeek API Docs),
// read when cached_tokens is absent.
Usage ReadUsage(const Json& doc, const ChatRequest& request, const std::string& content) {
  Usage usage;
  auto it = doc.find("usage");
  const bool has_usage = it != doc.end() && it->is_object();
  const int64_t prompt = has_usage ? UsageCount(*it, "prompt_tokens").value_or(-1) : -1;
  const int64_t completion = has_usage ? UsageCount(*it, "completion_tokens").value_or(-1) : -1;
  if (prompt < 0 || completion < 0) {
    usage.prompt_tokens = ApproxPromptTokens(request);
    usage.completion_tokens = ApproxTokens(content);
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    usage.estimated = true;
    return usage;
  }
  const Json& u = *it;
  usage.prompt_tokens = prompt;
  usage.completion_tokens = completion;
  usage.total_tokens = UsageCount(u, "total_tokens").value_or(prompt + completion);
  usage.cached_tokens = UsageCount(u, "prompt_tokens_details", "cached_tokens")
                            .value_or(UsageCount(u, "prompt_cache_hit_tokens").value_or(0));
  usage.reasoning_tokens =
      UsageCount(u, "completion_tokens_details", "reasoning_tokens").value_or(0);
  return usage;
}

bool IsQuotaExhausted(std::string_view body) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("error")) return false;
  const Json& err = doc["error"];
  return err.is_object() && (StringOr(err, "code") == "insufficient_quota" ||
                             StringOr(err, "type") == "insufficient_quota");
}

Error Malformed(std::string what) {
  return {ErrorCode::kUnavailable, "malformed chat-completions reply: " + std::move(what)};
}

}  // namespace

Result<std::string> ChatCompletionsUrl(std::string_view base_url) {
  std::string_view url = Trim(base_url);
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos ||
      (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https")) {
    return InvalidArgument("base_url '" + std::string(url) +
                           "' must start with http:// or https://");
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    return InvalidArgument("base_url '" + std::string(url) +
                           "' must not have a query or fragment; put query parameters in the "
                           "endpoint's `query` key (e.g. query = { \"api-version\" = "
                           "\"2024-10-21\" }) or pass --query name=value");
  }
  const std::size_t host_begin = scheme_end + 3;
  while (url.size() > host_begin && EndsWith(url, "/")) url.remove_suffix(1);
  std::size_t path_begin = url.find('/', host_begin);
  std::string_view host = url.substr(std::min(host_begin, url.size()), path_begin - host_begin);
  if (host.empty() || host.front() == ':') {
    return InvalidArgument("base_url '" + std::string(base_url) + "' has no host");
  }
  std::string out(url);
  if (path_begin == std::string_view::npos) out += "/v1";
  if (!EndsWith(out, kChatPath)) out += kChatPath;
  return out;
}

Result<std::string> BuildChatBody(const ChatRequest& request) {
  Json body = Json::object();
  body["model"] = request.model;
  Json messages = Json::array();
  for (const auto& m : request.messages) {
    messages.push_back(Json{{"role", m.role}, {"content", m.content}});
  }
  body["messages"] = std::move(messages);
  if (!request.omit_temperature) body["temperature"] = request.temperature;
  body[request.max_completion_tokens ? "max_completion_tokens" : "max_tokens"] = request.max_tokens;
  if (!request.reasoning_effort.empty()) body["reasoning_effort"] = request.reasoning_effort;
  if (request.seed) body["seed"] = *request.seed;
  if (!request.response_format_json.empty()) {
    JO_ASSIGN_OR_RETURN(body["response_format"],
                        ParseObject(request.response_format_json, "response_format"));
  }
  if (!request.extra_body_json.empty()) {
    JO_ASSIGN_OR_RETURN(Json extra, ParseObject(request.extra_body_json, "extra_body"));
    for (auto& [key, value] : extra.items()) {
      if (value.is_null()) {
        body.erase(key);  // null removes a key, standard ones included
      } else {
        body[key] = value;
      }
    }
  }
  return body.dump();
}

Usage ParseUsage(std::string_view usage_json, const ChatRequest& request,
                 const std::string& content) {
  Json doc = Json::object();
  doc["usage"] = Json::parse(usage_json, nullptr, /*allow_exceptions=*/false);
  return ReadUsage(doc, request, content);
}

Result<ChatResponse> ParseChatResponse(std::string_view body, const ChatRequest& request) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Malformed("not a JSON object: " + std::string(body.substr(0, 80)));
  }
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty()) {
    if (doc.contains("error")) return Malformed("error object: " + ServerMessage(body));
    return Malformed("no choices");
  }
  const Json& choice = (*choices)[0];
  if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object()) {
    return Malformed("choices[0] has no message object");
  }
  ChatResponse out;
  auto content = choice["message"].find("content");
  if (content != choice["message"].end()) out.content = ContentText(*content);
  out.finish_reason = StringOr(choice, "finish_reason");
  // Empty or null content is the model's answer (nothing to say, a filter, a cut-off reply), not
  // a transport fault: it goes to the caller like any unusable reply, and the caller re-asks or
  // falls back, as with the in-process simulator. Resending the identical request would only get
  // the same answer again from a server that honours seeds.
  out.model = StringOr(doc, "model");
  if (out.model.empty()) out.model = request.model;
  out.usage = ReadUsage(doc, request, out.content);
  return out;
}

ErrorCode ErrorCodeForStatus(int status) {
  if (status == 401 || status == 403) return ErrorCode::kAuth;
  if (status == 408) return ErrorCode::kTimeout;
  if (status == 429) return ErrorCode::kRateLimited;
  if (status == 409 || (status >= 500 && status <= 599)) return ErrorCode::kUnavailable;
  return ErrorCode::kBadRequest;
}

Error HttpError(const HttpResponse& response, const EndpointIdentity& endpoint) {
  ErrorCode code = ErrorCodeForStatus(response.status);
  // A 429 for an exhausted account quota (as opposed to a rate) does not go away by waiting.
  const bool quota = response.status == 429 && IsQuotaExhausted(response.body);
  if (quota) code = ErrorCode::kBadRequest;
  std::string server = RedactSecrets(ServerMessage(response.body), endpoint.api_key);
  std::string message = "HTTP " + std::to_string(response.status) + " from " + endpoint.base_url;
  if (code == ErrorCode::kAuth) {
    message += ": authentication failed; check the API key in environment variable " +
               endpoint.api_key_env + (endpoint.api_key_set ? " (it is set)" : " (it is not set)");
  }
  if (quota) message += ": the account's quota is exhausted (retrying will not help)";
  if (!server.empty()) message += ": server says: " + server;
  Error error(code, std::move(message));
  error.http_status = response.status;
  error.retry_after_s = RetryAfterSeconds(response.headers);
  return error;
}

std::string RedactSecrets(std::string_view text, std::string_view secret) {
  std::string out(text);
  constexpr std::string_view kMark = "[redacted]";
  if (secret.size() >= 4) {
    for (std::size_t pos = out.find(secret); pos != std::string::npos;
         pos = out.find(secret, pos + kMark.size())) {
      out.replace(pos, secret.size(), kMark);
    }
  }
  std::size_t pos = out.find("sk-");
  while (pos != std::string::npos) {
    const unsigned char before = pos == 0 ? ' ' : static_cast<unsigned char>(out[pos - 1]);
    const bool word_start = !std::isalnum(before) && before != '-' && before != '_';
    if (!word_start) {
      pos = out.find("sk-", pos + 1);
      continue;
    }
    std::size_t end = pos;
    while (end < out.size() && !std::isspace(static_cast<unsigned char>(out[end])) &&
           out[end] != '"' && out[end] != ',' && out[end] != '\'') {
      ++end;
    }
    out.replace(pos, end - pos, kMark);
    pos = out.find("sk-", pos + kMark.size());
  }
  return out;
}

}  // namespace judgeopt::llm
