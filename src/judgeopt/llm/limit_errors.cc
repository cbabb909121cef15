#include "judgeopt/llm/limit_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "judgeopt/base/strings.h"

namespace judgeopt::llm {
namespace {

struct LimitPhrase {
  std::string_view text;  // lower case
  LimitKind kind;
};

// Phrases of real provider messages, as quoted in their public issue trackers:
// OpenAI/vLLM "This model's maximum context length is 4096 tokens. However, you requested ...";
// TGI "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32768. Given: ...";
// llama.cpp server "the request exceeds the available context size. try increasing the context
// size or enable context shift" (type exceed_context_size_error, sent as 400 or 500);
// DeepSeek "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]".
constexpr LimitPhrase kPhrases[] = {
    {"context_length_exceeded", LimitKind::kContext},
    {"maximum context length", LimitKind::kContext},
    {"exceeds the available context size", LimitKind::kContext},
    {"exceed_context_size_error", LimitKind::kContext},
    {"context size has been exceeded", LimitKind::kContext},
    {"`inputs` tokens + `max_new_tokens` must be <=", LimitKind::kContext},
    {"prompt is too long", LimitKind::kContext},
    {"context window", LimitKind::kContext},
    {"invalid max_tokens value", LimitKind::kTokenCap},
    {"valid range of max_tokens", LimitKind::kTokenCap},
    {"max_tokens is too large", LimitKind::kTokenCap},
    {"must have stream=true", LimitKind::kTokenCap},
    {"max_new_tokens` must be <=", LimitKind::kTokenCap},
    // Anthropic "max_tokens: 16384 > 8192, which is the maximum allowed number of output tokens
    // for <model>".
    {"maximum allowed number of output tokens", LimitKind::kTokenCap},
};

// The first run of digits at or after `from`, when it starts within `window` characters.
std::optional<int64_t> NumberAfter(std::string_view text, std::size_t from, std::size_t window) {
  std::size_t i = from;
  const std::size_t stop = std::min(text.size(), from + window);
  while (i < stop && !std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i >= stop) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  return value;
}

std::optional<int64_t> NumberAfterPhrase(std::string_view lower, std::string_view phrase,
                                         std::size_t window) {
  const std::size_t at = lower.find(phrase);
  if (at == std::string_view::npos) return std::nullopt;
  return NumberAfter(lower, at + phrase.size(), window);
}

std::string ContextAdvice(const std::string& table) {
  return "lower max_tokens under " + table +
         " (the reply must fit in the context beside the prompt) or raise the server's context "
         "length (vLLM --max-model-len, llama.cpp -c / --ctx-size, TGI --max-total-tokens, "
         "Ollama num_ctx)";
}

std::string CapAdvice(const std::string& table, std::optional<int64_t> cap) {
  if (cap) return fmt::format("set max_tokens = {} under {} (the largest it accepts)", *cap, table);
  return "lower max_tokens under " + table + " to a value the server accepts";
}

}  // namespace

std::optional<LimitKind> ClassifyLimitMessage(std::string_view message) {
  const std::string lower = AsciiLower(message);
  for (const LimitPhrase& p : kPhrases) {
    if (lower.find(p.text) != std::string::npos) return p.kind;
  }
  return std::nullopt;
}

std::optional<int64_t> StatedTokenCap(std::string_view message) {
  const std::string lower = AsciiLower(message);
  // DeepSeek "the valid range of max_tokens is [1, 8192]": the number after the comma.
  const std::size_t range = lower.find("range of max_tokens");
  if (range != std::string::npos) {
    const std::size_t comma = lower.find(',', range);
    if (comma != std::string::npos) return NumberAfter(lower, comma, 4);
  }
  // Fireworks "Requests with max_tokens > 4096 must have stream=true".
  if (lower.find("must have stream=true") != std::string::npos) {
    if (auto n = NumberAfterPhrase(lower, "max_tokens >", 4)) return n;
  }
  // Anthropic "max_tokens: 16384 > 8192, which is the maximum ...": the number after ">".
  if (lower.find("maximum allowed number of output tokens") != std::string::npos) {
    const std::size_t colon = lower.find("max_tokens:");
    const std::size_t gt = colon == std::string::npos ? colon : lower.find('>', colon);
    if (gt != std::string::npos) return NumberAfter(lower, gt, 4);
  }
  // OpenRouter's 402 "You requested up to 16384 tokens, but can only afford 12000".
  if (auto n = NumberAfterPhrase(lower, "can only afford", 4)) return n;
  // OpenAI "This model supports at most 4096 completion tokens".
  if (auto n = NumberAfterPhrase(lower, "at most", 4)) return n;
  // TGI "`max_new_tokens` must be <= 192".
  return NumberAfterPhrase(lower, "max_new_tokens` must be <=", 4);
}

std::optional<Error> NameLimitError(Role role, const ChatRequest& request, const Error& error) {
  const int status = error.http_status;
  if (status != 400 && status != 413 && status != 422 && status != 500) return std::nullopt;
  const std::optional<LimitKind> kind = ClassifyLimitMessage(error.message);
  if (!kind) return std::nullopt;
  // A 500 is taken as a limit only in llama.cpp's words; any other 500 stays transient.
  if (status == 500 && AsciiLower(error.message).find("context size") == std::string::npos) {
    return std::nullopt;
  }
  const std::string table = "[llm." + std::string(RoleName(role)) + "]";
  const std::string advice = *kind == LimitKind::kContext
                                 ? ContextAdvice(table)
                                 : CapAdvice(table, StatedTokenCap(error.message));
  Error named(ErrorCode::kBadRequest,
              fmt::format("llm.{} (model '{}'): the server refused the request as over its {} "
                          "(max_tokens = {}, prompt about {} tokens by the bytes/4 estimate); {}; "
                          "{}",
                          RoleName(role), request.model,
                          *kind == LimitKind::kContext ? "context length" : "output token limit",
                          request.max_tokens, ApproxPromptTokens(request), advice, error.message));
  named.http_status = error.http_status;
  return named;
}

std::optional<std::string> TruncationWarning(Role role, const ChatRequest& request,
                                             const ChatResponse& response) {
  if (response.usage.estimated || response.usage.prompt_tokens <= 0) return std::nullopt;
  const int64_t estimate = ApproxPromptTokens(request);
  if (estimate < kTruncationMinTokens) return std::nullopt;
  if (static_cast<double>(response.usage.prompt_tokens) >=
      kTruncationShare * static_cast<double>(estimate)) {
    return std::nullopt;
  }
  return fmt::format(
      "llm.{} (model '{}'): the server counted {} prompt tokens for a prompt of about {} (bytes/4 "
      "estimate): it may be truncating prompts, so the model sees only part of each one. Raise "
      "the server's context length (Ollama: num_ctx, as PARAMETER num_ctx in a Modelfile or "
      "OLLAMA_CONTEXT_LENGTH on the server; LM Studio: the model's context length when it is "
      "loaded); said once per role",
      RoleName(role), request.model, response.usage.prompt_tokens, estimate);
}

}  // namespace judgeopt::llm
