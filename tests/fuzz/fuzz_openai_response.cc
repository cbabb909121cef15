// Fuzz target: what the OpenAI client reads from a server: the reply body (llm/openai_wire.h) and
// the headers (Retry-After, retry-after-ms, x-ratelimit-* through RateLimiter::Observe), and the
// limit messages of error bodies (llm/limit_errors.h). Input: header lines "name: value", a
// "\n----\n" line, then the body.

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fakes/fake_clock.h"
#include "fuzz_input.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/limit_errors.h"
#include "judgeopt/llm/openai_wire.h"
#include "judgeopt/llm/rate_limiter.h"

namespace {

judgeopt::llm::HttpHeaders ReadHeaders(std::string_view text) {
  judgeopt::llm::HttpHeaders headers;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers[name] = std::string(value);
  }
  return headers;
}

void CheckWait(std::optional<double> seconds) {
  if (seconds && (!std::isfinite(*seconds) || *seconds < 0)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  namespace llm = judgeopt::llm;
  const auto parts = judgeopt::fuzz::SplitParts(judgeopt::fuzz::AsText(data, size));
  const llm::HttpHeaders headers = ReadHeaders(parts.front());
  CheckWait(llm::RetryAfterSeconds(headers));
  for (const auto& [name, value] : headers) CheckWait(llm::ParseDurationSeconds(value));

  judgeopt::fakes::FakeClock clock;
  llm::RateLimiter limiter({.rpm = 60, .tpm = 10000}, &clock);
  limiter.Observe(headers);
  const double ready = limiter.ReadyAt();
  if (!std::isfinite(ready)) __builtin_trap();

  const std::string_view body = parts.size() > 1 ? parts[1] : parts.front();
  llm::ChatRequest request;
  request.model = "gpt-4o-mini";
  request.messages = {{"user", "Rate the summary."}};
  const auto reply = llm::ParseChatResponse(body, request);
  if (reply.ok() && (reply->usage.prompt_tokens < 0 || reply->usage.completion_tokens < 0)) {
    __builtin_trap();  // counts from the wire are never negative once read
  }
  (void)llm::ClassifyLimitMessage(body);
  (void)llm::StatedTokenCap(body);
  return 0;
}
