// Fuzz target: the sim-server's request handling without sockets: the chat-completions body parser
// (io/openai_server_wire.h) and every provider profile's rules (io/provider_profiles.h) on the
// parsed body. Input: the request body; a first line "#path?query" picks the path (default
// "/v1/chat/completions") and query.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "judgeopt/io/openai_server_wire.h"
#include "judgeopt/io/provider_profiles.h"

namespace {

namespace io = judgeopt::io;

std::vector<std::unique_ptr<io::ProviderRules>> AllRules() {
  std::vector<std::unique_ptr<io::ProviderRules>> rules;
  for (const auto& named : io::NamesOf(io::Profile{})) {
    rules.push_back(io::MakeProviderRules({.profile = named.value, .context_tokens = 512}));
  }
  return rules;
}

void ReadTarget(std::string_view line, io::WireCall& call) {
  const std::size_t q = line.find('?');
  call.path = std::string(line.substr(0, q));
  if (q == std::string_view::npos) return;
  std::string_view query = line.substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    call.query[std::string(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const auto rules = AllRules();
  std::string_view body = judgeopt::fuzz::AsText(data, size);
  io::WireCall call;
  call.path = "/v1/chat/completions";
  if (!body.empty() && body.front() == '#') {
    const std::size_t end = std::min(body.find('\n'), body.size());
    ReadTarget(body.substr(1, end - 1), call);
    body.remove_prefix(std::min(end + 1, body.size()));
  }
  auto request = io::ParseChatRequestBody(body);
  call.body = nlohmann::ordered_json::parse(body, nullptr, false);
  if (!request.ok() || !call.body.is_object()) return 0;
  call.headers = {{"authorization", "Bearer sk-fuzz"}, {"api-key", "sk-fuzz"}};
  call.prompt_tokens = static_cast<int64_t>(body.size() / 4);
  call.arrival = static_cast<int64_t>(size % 7);
  for (const auto& rule : rules) {
    if (rule->Refuse(call)) continue;
    judgeopt::llm::ChatRequest adjusted = *request;
    rule->AdjustRequest(call, adjusted);
    judgeopt::llm::ChatResponse response;
    response.content = adjusted.messages.empty() ? "" : adjusted.messages.back().content;
    response.finish_reason = "stop";
    nlohmann::ordered_json reply = nlohmann::ordered_json::parse(
        io::BuildChatReplyBody(response, adjusted.model, "chatcmpl-fuzz"));
    rule->AdjustReply(call, reply);
    (void)reply.dump();
  }
  return 0;
}
