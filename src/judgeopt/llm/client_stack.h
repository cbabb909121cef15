#pragma once
// The one place where the LLM client decorators are composed (DESIGN.md §5): for every role,
//
//   [TripwireClient guard, openai roles] -> BudgetClient (ledger, hard budget; cache hits free)
//     -> CachingClient (response cache)
//     -> backend: sim                      (in-process simulator, from an injected factory)
//               | RetryingClient -> TripwireClient sensor -> OpenAiClient (endpoint pool, rate
//                 limiters, HttpTransport)
//               | ReplayClient             (cache only; a miss is an error)
//               | ConcurrencyLimitClient -> python role's client (a Python function, from an
//                 injected factory: the judgeopt Python module's; never retried)
//
// The guard and the sensor of an openai role share one Tripwire (llm/tripwire.h): when the
// role's first attempts all fail the same systematic way, no further call of the role is sent.
//
// Core code: only ports (ResponseCache, HttpTransport, Clock) are injected; the SQLite cache,
// libcurl transport and simulator are wired by io/client_stack_factory.h, the python roles'
// clients by the Python module (src/python/python_role.h).

#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/clock.h"
#include "judgeopt/base/result.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/endpoint_pool.h"
#include "judgeopt/llm/http_transport.h"
#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

class Tripwire;

/// What a ClientStack is built over. Everything is optional except what the configured backends
/// need: `make_transport` for openai roles, `make_sim` for sim roles, `make_python` for python
/// roles, `cache` for replay roles.
struct ClientStackPorts {
  /// The response cache shared by every role; null = no cache (--no-cache). Backend replay needs
  /// one.
  std::shared_ptr<ResponseCache> cache;
  /// Called at most once, when the first openai role is built; the transport is shared by all
  /// roles (it must be thread-safe).
  std::function<Result<std::unique_ptr<HttpTransport>>()> make_transport;
  /// Called at most once, when the first sim role is built; the simulator is shared by all roles.
  std::function<Result<std::unique_ptr<LlmClient>>()> make_sim;
  /// Called once per python role when it is built: the client that calls the role's function.
  std::function<Result<std::unique_ptr<LlmClient>>(Role)> make_python;
  /// Backoff sleeps, rate limiting and latency measurement. Null = a RealClock owned by the stack.
  Clock* clock = nullptr;
  /// Where API keys are read from at call time (never stored). Null = the process environment.
  EnvLookup env;
  /// Hard caps for the whole command (all roles together).
  Budget budget;
  /// Backend replay answers from entries recorded under these endpoint kinds, tried in order.
  std::vector<std::string> replay_kinds = {"openai", "sim"};
  /// The roles to build (and validate); the others answer every call with kInvalidArgument.
  std::vector<Role> roles = {std::begin(kAllRoles), std::end(kAllRoles)};
};

/// The composed clients of all five roles, the shared ledger, endpoint pool and transport.
/// Created once per command. For() hands out a client owned by the stack, which must outlive
/// every use of it. Thread-safe: every client may be called from many threads at once; ledger()
/// may be read at any time.
///
/// Every ChatResponse that comes back carries cache_hit, attempts (0 for a hit), latency_ms
/// (0 for a hit), cost_usd (0 for a hit) and usage (the original usage for a hit). A request
/// whose `model` or `extra_body_json` is empty gets the role's configured value before it is
/// keyed or sent. A call the budget does not allow fails with ErrorCode::kBudgetExceeded and a
/// message saying what was spent and how to continue; calls already paid for are answered from
/// the cache at no cost even when the budget is exhausted.
class ClientStack {
 public:
  /// Validates every role (ValidateRole) and builds its chain. With a dollar budget
  /// (ports.budget.max_usd), every openai role's model must have a price in config.prices, else
  /// kInvalidArgument naming the model, the role and the [llm.prices] lines to add: an unpriced
  /// model counts as $0, so the budget could never stop it (sim and replay roles are free). Fails, naming the role, when a
  /// backend lacks its port (no transport / simulator factory, replay without a cache) or the
  /// configuration is invalid. Ports are taken over (the transport and simulator are made here).
  static Result<std::unique_ptr<ClientStack>> Create(const LlmConfig& config,
                                                     ClientStackPorts ports);
  ~ClientStack();
  ClientStack(const ClientStack&) = delete;
  ClientStack& operator=(const ClientStack&) = delete;

  /// The full client of `role` (for a role that was not built: a client whose every call fails
  /// with kInvalidArgument naming the role).
  LlmClient& For(Role role);

  /// A request pre-filled with the role's model, temperature, max_tokens and extra_body.
  ChatRequest NewRequest(Role role) const { return MakeRequest(config_, role); }

  LedgerSnapshot ledger() const;
  /// Ledger::RenderTable() of the shared ledger.
  std::string LedgerTable() const;
  /// The roles that got at least one simulated reply so far, cache hits included, in role order
  /// (Ledger::SimulatedRoles): what decides a command's SIMULATED label. Any time, any thread.
  std::vector<Role> SimulatedRoles() const { return ledger_->SimulatedRoles(); }
  /// The ledger itself, for callers that book or inspect more (shared with every role).
  const std::shared_ptr<Ledger>& shared_ledger() const { return ledger_; }

  const LlmConfig& config() const { return config_; }
  /// The cache key namespace of a role's replies: "sim", "openai" or "replay".
  std::string_view endpoint_kind(Role role) const;
  /// The ledger's endpoint label of a role (e.g. "openai http://127.0.0.1:8000/v1", "sim").
  const std::string& endpoint_label(Role role) const;
  /// The endpoint pool of the openai roles (null when no role uses openai).
  EndpointPool* endpoint_pool() const { return pool_.get(); }

 private:
  explicit ClientStack(const LlmConfig& config);
  Status Build(ClientStackPorts& ports);
  Result<std::unique_ptr<LlmClient>> MakeChain(Role role, ClientStackPorts& ports);
  Result<std::unique_ptr<LlmClient>> MakeBackend(Role role, ClientStackPorts& ports);
  Result<LlmClient*> SharedSim(ClientStackPorts& ports);
  Result<HttpTransport*> SharedTransport(ClientStackPorts& ports);

  LlmConfig config_;
  std::unique_ptr<Clock> owned_clock_;
  Clock* clock_ = nullptr;
  std::shared_ptr<Ledger> ledger_;
  std::shared_ptr<ResponseCache> cache_;
  std::unique_ptr<HttpTransport> transport_;
  std::unique_ptr<EndpointPool> pool_;
  std::unique_ptr<LlmClient> sim_;
  PerRole<std::string> labels_;
  PerRole<std::unique_ptr<LlmClient>> clients_;
  PerRole<std::shared_ptr<Tripwire>> tripwires_;  // openai roles only
};

/// The cache key namespace for a backend ("sim", "openai", "replay").
std::string_view EndpointKindOf(Backend backend);

}  // namespace judgeopt::llm
