#include "judgeopt/llm/openai_client.h"

#include <utility>

#include "judgeopt/base/strings.h"
#include "judgeopt/llm/endpoint_http.h"
#include "judgeopt/llm/openai_wire.h"
#include "judgeopt/llm/retry.h"

namespace judgeopt::llm {

bool MarkedSimulated(const HttpHeaders& headers) {
  const std::string name = AsciiLower(kSimulatedHeader);
  for (const auto& [key, value] : headers) {
    if (AsciiLower(key) != name) continue;
    const std::string v = AsciiLower(Trim(value));
    return v == "true" || v == "1";
  }
  return false;
}

Result<std::unique_ptr<OpenAiClient>> OpenAiClient::Create(const RoleConfig& role,
                                                           EndpointPool* pool,
                                                           HttpTransport* transport, Clock* clock,
                                                           EnvLookup env) {
  JO_ASSIGN_OR_RETURN(EndpointGroup group, pool->Register(role.endpoints, role.selection));
  return std::unique_ptr<OpenAiClient>(
      new OpenAiClient(role, std::move(group), pool, transport, clock, std::move(env)));
}

OpenAiClient::OpenAiClient(const RoleConfig& role, EndpointGroup group, EndpointPool* pool,
                           HttpTransport* transport, Clock* clock, EnvLookup env)
    : timeout_s_(role.timeout_s),
      connect_timeout_s_(role.connect_timeout_s),
      low_speed_(role.low_speed),
      pool_(pool),
      transport_(transport),
      clock_(clock),
      env_(std::move(env)),
      group_(std::move(group)) {}

std::vector<std::size_t> OpenAiClient::endpoint_ids() const { return group_.ids; }

const EndpointConfig& OpenAiClient::OwnConfig(std::size_t id) const {
  for (std::size_t i = 0; i < group_.ids.size(); ++i) {
    if (group_.ids[i] == id) return group_.configs[i];
  }
  return pool_->endpoint(id).config();  // unreachable: a lease is always of the group
}

HttpRequest OpenAiClient::MakeHttpRequest(const Endpoint& endpoint, const EndpointConfig& own,
                                          std::string body,
                                          const std::optional<std::string>& key) const {
  HttpRequest http = EndpointRequest(own, endpoint.chat_url(), key);
  http.body = std::move(body);
  http.connect_timeout_s = connect_timeout_s_;
  http.total_timeout_s = timeout_s_;
  http.low_speed_bytes_per_s = low_speed_.bytes_per_s;
  http.low_speed_window_s = low_speed_.window_s;
  http.headers.emplace_back("Content-Type", "application/json");
  return http;
}

Result<ChatResponse> OpenAiClient::Complete(const ChatRequest& request) {
  JO_ASSIGN_OR_RETURN(std::string body, BuildChatBody(request));
  const int64_t reserved = ApproxPromptTokens(request) + std::max(request.max_tokens, 0);

  EndpointPool::Lease lease = pool_->Acquire(group_);
  Endpoint& endpoint = lease.endpoint();
  endpoint.limiter().Acquire(reserved);

  const EndpointConfig& own = OwnConfig(lease.id());
  const std::optional<std::string> key = EndpointKey(own, env_);
  const double start = clock_->NowSeconds();
  Result<HttpResponse> reply =
      transport_->Post(MakeHttpRequest(endpoint, own, std::move(body), key));
  const double latency_ms = (clock_->NowSeconds() - start) * 1000.0;
  if (!reply.ok()) {
    endpoint.limiter().Settle(reserved, 0);
    return reply.error();
  }
  // Settle the reservation first, then read the headers: the server's remaining counts are the
  // newer truth and must not be topped up by the refund of this request's reservation.
  auto settle_and_observe = [&](int64_t used) {
    endpoint.limiter().Settle(reserved, used);
    endpoint.limiter().Observe(reply->headers);
  };

  EndpointIdentity who{own.base_url, own.api_key_env,
                       key.has_value() && !key->empty(), key ? std::string_view(*key) : ""};
  if (reply->status < 200 || reply->status > 299) {
    settle_and_observe(0);
    return HttpError(*reply, who);
  }
  Result<ChatResponse> parsed = ParseChatResponse(reply->body, request);
  if (!parsed.ok()) {
    settle_and_observe(0);
    return Error(parsed.error()).WithContext("POST " + endpoint.chat_url());
  }
  ChatResponse out = std::move(parsed).value();
  settle_and_observe(out.usage.prompt_tokens + out.usage.completion_tokens);
  out.latency_ms = latency_ms;
  out.attempts = 1;
  out.simulated = MarkedSimulated(reply->headers);
  return out;
}

Result<std::unique_ptr<LlmClient>> MakeHttpRoleClient(const RoleConfig& role_config, Role role,
                                                      EndpointPool* pool, HttpTransport* transport,
                                                      Clock* clock, uint64_t seed, EnvLookup env) {
  RoleConfig checked = role_config;
  checked.backend = Backend::kOpenAi;
  JO_RETURN_IF_ERROR(ValidateRole(checked, role));
  JO_RETURN_IF_ERROR(CheckKeyTransport(role_config, role, env));
  JO_ASSIGN_OR_RETURN(std::unique_ptr<OpenAiClient> http,
                      OpenAiClient::Create(role_config, pool, transport, clock, std::move(env)));
  return std::unique_ptr<LlmClient>(
      std::make_unique<RetryingClient>(std::move(http), role_config.retry, clock, seed));
}

}  // namespace judgeopt::llm
