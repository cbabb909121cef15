#pragma once
// The OpenAI chat-completions wire format: ChatRequest -> JSON body, JSON reply -> ChatResponse,
// HTTP error replies -> typed Errors, and base-URL normalization. Pure functions; no I/O.

#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Maps a configured base URL to the chat-completions URL. Trailing slashes and whitespace are
/// dropped; a URL with no path gets "/v1"; then "/chat/completions" is appended unless the path
/// already ends with it. So "http://h:p", "http://h:p/", "http://h:p/v1" and "http://h:p/v1/" all
/// give "http://h:p/v1/chat/completions", and a vendor base such as
/// "https://openrouter.ai/api/v1" keeps its path. Fails (kInvalidArgument) on a scheme other than
/// http/https, an empty host, or a query/fragment.
Result<std::string> ChatCompletionsUrl(std::string_view base_url);

/// The request body: model, messages, temperature (unless omit_temperature), max_tokens (or
/// max_completion_tokens when the request says so), reasoning_effort when set, then seed and
/// response_format when set, then every key of extra_body_json: a value overrides a standard key
/// of the same name, and null removes the key. The
/// sample index is not sent: a repeated sample differs by its seed (llm/sample_seed.h), and `user`
/// is sent only when extra_body sets it.
/// Fails (kInvalidArgument) when response_format_json or extra_body_json is not a JSON object.
Result<std::string> BuildChatBody(const ChatRequest& request);

/// Parses a 2xx reply body. Reads choices[0].message.content, finish_reason, model and usage; when
/// usage is absent the token counts are approximated from `request` and the content and flagged
/// `estimated`. Malformed JSON, a reply with no choices or an error object are retryable errors
/// (kUnavailable): a well-behaved server does not send them twice in a row. Empty or null content
/// is a reply (content "", finish_reason as sent): the caller treats it as unusable.
Result<ChatResponse> ParseChatResponse(std::string_view body, const ChatRequest& request);

/// The token counts of a reply whose `usage` object is `usage_json`, read as ParseChatResponse
/// reads a reply's (prompt_tokens_details.cached_tokens, completion_tokens_details.
/// reasoning_tokens, ...): text that is no object, or lacks prompt_tokens or completion_tokens,
/// gives counts approximated from `request` and `content`, flagged `estimated`. For replies that
/// arrive by another way than HTTP (a python role's function).
Usage ParseUsage(std::string_view usage_json, const ChatRequest& request,
                 const std::string& content);

/// Who was called, for error messages. `api_key` is used only to redact the key from server text;
/// it never appears in any message.
struct EndpointIdentity {
  std::string base_url;
  std::string api_key_env;
  bool api_key_set = false;
  std::string_view api_key;
};

/// The ErrorCode for a non-2xx status: 400/404/422 and other 4xx -> kBadRequest; 401/403 -> kAuth;
/// 408 -> kTimeout; 409 and 5xx -> kUnavailable; 429 -> kRateLimited; anything else
/// (1xx/3xx) -> kBadRequest. (HttpError also maps a 429 whose error code is "insufficient_quota"
/// to kBadRequest: an exhausted account does not recover by waiting.)
ErrorCode ErrorCodeForStatus(int status);

/// Turns a non-2xx reply into an Error: code from ErrorCodeForStatus, http_status, retry_after_s
/// from the headers, and a message naming the status, the base URL and the server's own message
/// (from {"error":{"message"}} (also nested deeper), {"error":"..."}, {"message"}, {"detail"}, the
/// first such object of an array (Gemini), or the raw body; shortened, the API key redacted). 401/403 messages also name the API-key environment variable.
Error HttpError(const HttpResponse& response, const EndpointIdentity& endpoint);

/// Replaces every occurrence of `secret` (when at least 4 characters) and every word that looks
/// like an API key ("sk-...") in `text` with "[redacted]".
std::string RedactSecrets(std::string_view text, std::string_view secret);

}  // namespace judgeopt::llm
