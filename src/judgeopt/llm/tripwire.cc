#include "judgeopt/llm/tripwire.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "judgeopt/llm/limit_errors.h"

namespace judgeopt::llm {
namespace {

// The key under which identical systematic failures are counted; nullopt for any other outcome.
std::optional<std::string> SystematicKey(const Error& error) {
  if (error.not_connected) return std::string("no connection");
  if (error.http_status != 0 && ClassifyLimitMessage(error.message)) {
    return std::string("over a context or token limit");
  }
  const bool refused = error.code == ErrorCode::kBadRequest || error.code == ErrorCode::kAuth;
  if (refused && error.http_status != 0) {
    return std::to_string(error.http_status) + " " + error.message;
  }
  return std::nullopt;
}

struct KnownParameter {
  std::string_view name;
  std::string_view advice;  // each "%" stands for the role's config table, e.g. "[llm.judge]"
};

// Longer names first where one contains another.
constexpr KnownParameter kKnownParameters[] = {
    {"max_completion_tokens", "set % token_param = \"max_tokens\""},
    {"max_tokens",
     "set % token_param = \"max_completion_tokens\" (a reasoning model), or change % "
     "max_tokens"},
    {"temperature",
     "set % temperature = \"omit\" or a value the model accepts (some reasoning models accept "
     "only their default)"},
    {"reasoning_effort", "remove % reasoning_effort (and any in extra_body)"},
    {"response_format", "use --judge-mode without structured output, or another model"},
    {"top_p", "remove it from % extra_body"},
    {"user", "remove it from % extra_body"},
    {"seed", "this server does not take a seed; use another endpoint or model"},
};

// The earliest position in `text` at which `name` appears quoted ('x', "x", `x`), or npos.
std::size_t QuotedAt(std::string_view text, std::string_view name) {
  std::size_t best = std::string_view::npos;
  for (char q : {'\'', '"', '`'}) {
    const std::string quoted = q + std::string(name) + q;
    best = std::min(best, text.find(quoted));
  }
  return best;
}

std::string Substitute(std::string_view advice, const std::string& table) {
  std::string out;
  for (char c : advice) {
    if (c == '%') {
      out += table;
    } else {
      out += c;
    }
  }
  return out;
}

std::string TripMessage(Role role, const std::string& model, const Error& cause) {
  const std::string table = "[llm." + std::string(RoleName(role)) + "]";
  std::string message = "llm." + std::string(RoleName(role)) + " (model '" + model + "'): ";
  if (cause.not_connected) {
    message += "cannot connect; the first " + std::to_string(kTripwireThreshold) +
               " attempts found no server, so no further calls were made: " + cause.message +
               "; check that the server is running and " + table + " base_url (--base-url)";
    return message;
  }
  message += "the first " + std::to_string(kTripwireThreshold) +
             " calls all failed the same way and none succeeded, so no further calls were "
             "made: " + cause.message;
  // A limit refusal carries its own advice (NameLimitError).
  const std::string advice =
      ClassifyLimitMessage(cause.message) ? "" : ParameterAdvice(role, cause.message);
  if (!advice.empty()) message += "; " + advice;
  return message;
}

}  // namespace

std::string ParameterAdvice(Role role, std::string_view server_message) {
  const KnownParameter* first = nullptr;
  std::size_t first_at = std::string_view::npos;
  for (const auto& p : kKnownParameters) {
    const std::size_t at = QuotedAt(server_message, p.name);
    if (at < first_at) {
      first = &p;
      first_at = at;
    }
  }
  if (first == nullptr) return "";
  const std::string table = "[llm." + std::string(RoleName(role)) + "]";
  return "the server rejects the parameter '" + std::string(first->name) + "': " +
         Substitute(first->advice, table);
}

void Tripwire::Observe(const ChatRequest& request, const Result<ChatResponse>& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  if (tripped_) return;
  if (outcome.ok() && !truncation_warned_) {
    if (std::optional<std::string> warning = TruncationWarning(role_, request, *outcome)) {
      spdlog::warn("{}", *warning);
      truncation_warned_ = true;
    }
  }
  if (disarmed_) {
    tripped_ = breaker_.Observe(role_, request.model, outcome);
    return;
  }
  if (outcome.ok()) {
    disarmed_ = true;
    return;
  }
  std::optional<std::string> key = SystematicKey(outcome.error());
  if (!key) {
    run_length_ = 0;
    run_key_.clear();
    return;
  }
  run_length_ = *key == run_key_ ? run_length_ + 1 : 1;
  run_key_ = std::move(*key);
  if (run_length_ < kTripwireThreshold) return;
  tripped_ = Error(ErrorCode::kCancelled, TripMessage(role_, request.model, outcome.error()));
  tripped_->http_status = outcome.error().http_status;
  tripped_->not_connected = outcome.error().not_connected;
}

std::optional<Error> Tripwire::Tripped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tripped_;
}

Result<ChatResponse> TripwireClient::Complete(const ChatRequest& request) {
  if (std::optional<Error> tripped = wire_->Tripped()) return *tripped;
  Result<ChatResponse> outcome = inner_->Complete(request);
  if (position_ == Position::kGuard) return outcome;
  if (!outcome.ok()) {
    if (std::optional<Error> named = NameLimitError(wire_->role(), request, outcome.error())) outcome = *named;
  }
  wire_->Observe(request, outcome);
  if (!outcome.ok()) {
    if (std::optional<Error> tripped = wire_->Tripped()) return *tripped;
  }
  return outcome;
}

}  // namespace judgeopt::llm
