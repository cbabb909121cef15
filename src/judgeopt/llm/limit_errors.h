#pragma once
// Errors that name the setting (issue 16, point 3): a server's refusal of a request that is too
// long for its context or asks for more output tokens than it allows, rewritten to say which
// role, model and setting, and a warning when a server seems to cut prompts silently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Which limit a refusal is about.
enum class LimitKind {
  kContext,   // prompt + max_tokens exceed the model's context
  kTokenCap,  // max_tokens above what the server accepts for any prompt
};

/// The limit a server's error message (any case) is about; nullopt when it is about neither.
/// Recognized: OpenAI `context_length_exceeded` / "maximum context length" and "max_tokens is
/// too large"; vLLM "This model's maximum context length is ... However, you requested ...";
/// TGI "Input validation error: `inputs` tokens + `max_new_tokens` must be <= ..."; llama.cpp
/// "the request exceeds the available context size" / "Context size has been exceeded";
/// Anthropic "prompt is too long" and "maximum allowed number of output tokens"; DeepSeek "Invalid max_tokens value, the valid range of
/// max_tokens is [1, 8192]"; Fireworks "max_tokens > 4096 must have stream=true".
std::optional<LimitKind> ClassifyLimitMessage(std::string_view message);

/// The largest max_tokens a token-cap message states ("[1, 8192]" -> 8192, "max_tokens > 4096"
/// -> 4096, "at most 4096 completion tokens" -> 4096, Anthropic's "max_tokens: 16384 > 8192"
/// -> 8192, OpenRouter's "can only afford 12000" -> 12000); nullopt when it states none.
std::optional<int64_t> StatedTokenCap(std::string_view message);

/// For an HTTP refusal (400, 413, 422, or llama.cpp's 500) that ClassifyLimitMessage recognizes:
/// the error to report instead, kBadRequest (never retried: the same request is refused again),
/// naming the role, the model, the role's max_tokens, the prompt's estimated tokens and the
/// change to make. nullopt for any other error.
std::optional<Error> NameLimitError(Role role, const ChatRequest& request, const Error& error);

/// Far fewer prompt tokens reported than estimated: below this share of ApproxPromptTokens ...
inline constexpr double kTruncationShare = 0.5;
/// ... for a prompt estimated at this many tokens or more (short prompts vary too much).
inline constexpr int64_t kTruncationMinTokens = 512;

/// The warning for a reply whose server-reported prompt_tokens are far fewer than the local
/// estimate (the server may be truncating the prompt: Ollama's num_ctx, LM Studio's context
/// length); nullopt otherwise, and for usage that the server did not report.
std::optional<std::string> TruncationWarning(Role role, const ChatRequest& request,
                                             const ChatResponse& response);

}  // namespace judgeopt::llm
