#pragma once
// LlmClient for OpenAI-compatible chat-completions servers, over the HttpTransport port.

#include <memory>
#include <string_view>

#include "judgeopt/base/clock.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/endpoint_pool.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {

/// The response header with which `judgeopt sim-server` marks every chat reply ("true"): the
/// reply was written by judgeopt's simulator. docs/simulator.md, "The SIMULATED label".
inline constexpr std::string_view kSimulatedHeader = "X-Judgeopt-Simulated";

/// True when `headers` carry kSimulatedHeader (name matched case-insensitively) with the value
/// "true" or "1" (case-insensitive, surrounding spaces ignored).
bool MarkedSimulated(const HttpHeaders& headers);

/// One attempt per Complete() call against the endpoints of one role:
///   1. choose an endpoint and take one of its concurrency slots (EndpointPool, blocking);
///   2. wait for its rate limiter (prompt estimate + max_tokens tokens reserved);
///   3. read the API key from the environment variable named by the endpoint (never stored), POST
///      the request (EndpointRequest: the key header of the endpoint's auth, its extra headers,
///      query and CA bundle) with the role's connect and total timeouts and low-speed limit;
///   4. settle the token reservation with the real usage (0 for a failure), then report the
///      reply's headers to that endpoint's limiter (x-ratelimit-*, which then override the local
///      counts; a retry-after goes back to the caller in the Error, holding only this call);
///   5. map the reply: 2xx -> ChatResponse (latency_ms filled, attempts = 1, simulated when
///      MarkedSimulated(headers)), anything else -> a typed Error (see openai_wire.h).
/// Retries are not done here: wrap it in a RetryingClient (MakeHttpRoleClient does).
/// Thread-safe. Does not own the pool, the transport or the clock, which must outlive it.
class OpenAiClient final : public LlmClient {
 public:
  /// Registers the role's endpoints with `pool`. Fails on an invalid endpoint URL.
  static Result<std::unique_ptr<OpenAiClient>> Create(const RoleConfig& role, EndpointPool* pool,
                                                      HttpTransport* transport, Clock* clock,
                                                      EnvLookup env = ProcessEnv());

  Result<ChatResponse> Complete(const ChatRequest& request) override;

  /// The endpoint ids this client chooses among (for tests and stats).
  std::vector<std::size_t> endpoint_ids() const;

 private:
  OpenAiClient(const RoleConfig& role, EndpointGroup group, EndpointPool* pool,
               HttpTransport* transport, Clock* clock, EnvLookup env);
  /// This role's settings of endpoint `id` (its auth, headers and CA bundle).
  const EndpointConfig& OwnConfig(std::size_t id) const;
  HttpRequest MakeHttpRequest(const Endpoint& endpoint, const EndpointConfig& own,
                              std::string body, const std::optional<std::string>& key) const;

  double timeout_s_;
  double connect_timeout_s_;
  LowSpeedLimit low_speed_;
  EndpointPool* pool_;
  HttpTransport* transport_;
  Clock* clock_;
  EnvLookup env_;
  EndpointGroup group_;  // its cursor is advanced by pool_ under the pool's mutex
};

/// The HTTP stack of one role: RetryingClient(policy of the role, `seed`) over an OpenAiClient.
/// Fails when the role is not valid for the openai backend (ValidateRole).
Result<std::unique_ptr<LlmClient>> MakeHttpRoleClient(const RoleConfig& role_config, Role role,
                                                      EndpointPool* pool, HttpTransport* transport,
                                                      Clock* clock, uint64_t seed,
                                                      EnvLookup env = ProcessEnv());

}  // namespace judgeopt::llm
