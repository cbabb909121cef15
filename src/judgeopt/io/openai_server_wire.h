#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The server side of the OpenAI chat-completions wire format, for the loopback simulator server:
// request body -> ChatRequest (the inverse of llm::BuildChatBody) and ChatResponse -> reply body
// (what llm::ParseChatResponse reads). Pure functions; no I/O.

#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::io {

/// Parses a chat-completions request body. Reads model (required), messages (required; content as
/// a string or an array of text parts), temperature (default 1.0, as OpenAI), max_tokens or
/// max_completion_tokens, seed and response_format; every other top-level key goes, in order, into
/// extra_body_json. `"stream": true` and `n` > 1 are refused. Errors are kBadRequest and name the
/// field. Role is kJudge (the wire does not carry it); sample_index is 0 (repeated samples differ
/// by their seed); `user`, an opaque end-user label, is accepted and dropped.
Result<llm::ChatRequest> ParseChatRequestBody(std::string_view body);

/// A `chat.completion` object with one choice: content, finish_reason (default "stop"), model
/// (the response's, else `request_model`) and usage; `id` names the completion.
std::string BuildChatReplyBody(const llm::ChatResponse& response, std::string_view request_model,
                               std::string_view id);

/// An OpenAI-style error object: {"error": {"message", "type", "code"}}.
std::string BuildErrorBody(std::string_view message, std::string_view type, std::string_view code);

/// The HTTP status that carries `code` (400 bad input, 401 auth, 404 not found, 429 rate
/// limited, 503 unavailable, 504 timeout, 500 otherwise).
int HttpStatusFor(ErrorCode code);

}  // namespace judgeopt::io
