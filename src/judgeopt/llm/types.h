#pragma once
// Request/response types of the LLM port. Plain values; JSON mapping lives at the edges (llm/openai_wire).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::llm {

/// The roles judgeopt calls models for; each has its own model settings, ledger line and budget share.
enum class Role { kJudge, kLoss, kGradient, kOptimizer, kDiagnostic };
inline constexpr Role kAllRoles[] = {Role::kJudge, Role::kLoss, Role::kGradient, Role::kOptimizer,
                                     Role::kDiagnostic};
std::string_view RoleName(Role role);  // "judge", "loss", "gradient", "optimizer", "diagnostic"
std::optional<Role> RoleFromName(std::string_view name);

/// Number of roles: one past the last enumerator.
inline constexpr std::size_t kRoleCount = static_cast<std::size_t>(Role::kDiagnostic) + 1;
static_assert(std::size(kAllRoles) == kRoleCount, "kAllRoles must list every Role");

/// One T per role, indexed by Role (or by the role's enum value as a size_t). An aggregate:
/// `PerRole<int> calls{}` starts every role at zero.
template <typename T>
struct PerRole : std::array<T, kRoleCount> {
  using std::array<T, kRoleCount>::operator[];
  T& operator[](Role role) { return (*this)[static_cast<std::size_t>(role)]; }
  const T& operator[](Role role) const { return (*this)[static_cast<std::size_t>(role)]; }
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
  bool operator==(const ChatMessage&) const = default;
};

/// One chat-completion request. Everything that can change the reply is a field here, so the
/// response cache can key on it.
struct ChatRequest {
  Role role = Role::kJudge;
  std::string model;
  std::vector<ChatMessage> messages;
  double temperature = 0.0;
  int max_tokens = 256;
  std::optional<int64_t> seed;
  /// Distinguishes repeated samples of the same request (e.g. candidate k of N).
  int sample_index = 0;
  /// How the body is shaped for the server (LlmConfig's token_param, temperature "omit",
  /// reasoning_effort, resolved by model family): the token limit goes in max_completion_tokens
  /// instead of max_tokens; no temperature is sent; reasoning_effort is sent when not empty.
  bool max_completion_tokens = false;
  bool omit_temperature = false;
  std::string reasoning_effort;
  /// Optional OpenAI `response_format` object, as JSON text ("" = none).
  std::string response_format_json;
  /// Extra JSON object merged into the request body ("" = none), e.g. to switch reasoning off.
  std::string extra_body_json;
  /// Free-form label for logs and the call ledger (e.g. "step3/gradient/fluency"); not sent.
  std::string tag;
};

/// Token counts of one reply, as the server reported them (docs/llm.md, "Usage and prices").
/// prompt_tokens includes cached_tokens (OpenAI's shape). Whether reasoning_tokens are part of
/// completion_tokens is told by total_tokens: see BilledOutputTokens.
struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  /// usage.total_tokens; prompt + completion when the server sent none.
  int64_t total_tokens = 0;
  /// usage.prompt_tokens_details.cached_tokens: prompt tokens the provider served from its
  /// prompt cache (billed at the cached-input price where the model has one).
  int64_t cached_tokens = 0;
  /// usage.completion_tokens_details.reasoning_tokens: hidden reasoning, billed as output.
  int64_t reasoning_tokens = 0;
  /// True when the numbers are our approximation (bytes/4) because the server sent none.
  bool estimated = false;

  /// True when the server counted reasoning outside completion_tokens: reasoning_tokens > 0 and
  /// total_tokens == prompt + completion + reasoning. OpenAI documents that completion_tokens
  /// already includes the reasoning tokens (total == prompt + completion); that is assumed
  /// whenever the total does not say otherwise.
  bool ReasoningOutsideCompletion() const;
  /// Output tokens a provider bills: completion_tokens, plus reasoning_tokens when they were
  /// counted outside it.
  int64_t BilledOutputTokens() const;
  /// cached_tokens clamped to [0, prompt_tokens].
  int64_t BilledCachedTokens() const;
};

struct ChatResponse {
  std::string content;
  std::string finish_reason;  // "stop", "length", ...
  std::string model;          // as reported by the server
  Usage usage;
  bool cache_hit = false;
  int attempts = 1;           // transport attempts, retries included
  double latency_ms = 0.0;     // the successful attempt on the wire
  /// The whole call as its caller waits for it: latency_ms plus, for a retried call, the time
  /// from its first attempt to the start of the last one (failed attempts, their waits for a slot
  /// and the backoff sleeps). Filled by RetryingClient; equals latency_ms elsewhere; 0 for a hit.
  double call_ms = 0.0;
  double cost_usd = 0.0;
  /// True when the reply was written by judgeopt's simulator: in-process, through `judgeopt
  /// sim-server` (which marks its replies), or replayed from a cached reply that was.
  bool simulated = false;
};

/// Rough token count used where a server reports none and for estimates: ceil(bytes / 4).
int64_t ApproxTokens(std::string_view text);
int64_t ApproxPromptTokens(const ChatRequest& request);

}  // namespace judgeopt::llm
