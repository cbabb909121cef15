#include "judgeopt/llm/client_stack.h"

#include <fmt/format.h>

#include <utility>

#include "judgeopt/base/interrupt.h"
#include "judgeopt/llm/concurrency_limit.h"
#include "judgeopt/llm/openai_client.h"
#include "judgeopt/llm/retry.h"
#include "judgeopt/llm/tripwire.h"

namespace judgeopt::llm {
namespace {

/// Forwards to a client owned elsewhere (the simulator shared by every role).
class BorrowedClient final : public LlmClient {
 public:
  explicit BorrowedClient(LlmClient* inner) : inner_(inner) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    return inner_->Complete(request);
  }

 private:
  LlmClient* inner_;
};

/// Fills latency_ms (and call_ms: the simulator never retries) from the clock when the backend
/// reports none (the in-process simulator).
class TimedClient final : public LlmClient {
 public:
  TimedClient(std::unique_ptr<LlmClient> inner, Clock* clock)
      : inner_(std::move(inner)), clock_(clock) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    const double start = clock_->NowSeconds();
    Result<ChatResponse> r = inner_->Complete(request);
    if (r.ok() && r->latency_ms == 0.0) r->latency_ms = (clock_->NowSeconds() - start) * 1000.0;
    if (r.ok() && r->call_ms == 0.0) r->call_ms = r->latency_ms;
    return r;
  }

 private:
  std::unique_ptr<LlmClient> inner_;
  Clock* clock_;
};

/// Gives a request the role's model and extra_body when it names none and, for an HTTP role
/// (openai, or replay of one), the role's body shape (ShapeRequest), before it is keyed.
class RoleDefaultsClient final : public LlmClient {
 public:
  RoleDefaultsClient(std::unique_ptr<LlmClient> inner, RoleConfig role)
      : inner_(std::move(inner)), role_(std::move(role)) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    // The simulator needs no shaping: a request that names its model and extra body goes through
    // uncopied (the in-process path makes many small calls).
    const bool fill = (request.model.empty() && !role_.model.empty()) ||
                      (request.extra_body_json.empty() && !role_.extra_body_json.empty());
    const bool http = role_.backend == Backend::kOpenAi || role_.backend == Backend::kReplay;
    if (!http && !fill) return inner_->Complete(request);
    ChatRequest filled = request;
    if (filled.model.empty()) filled.model = role_.model;
    if (filled.extra_body_json.empty()) filled.extra_body_json = role_.extra_body_json;
    // The body's shape for an HTTP server (kept for replay, so its keys match what was sent).
    if (http) ShapeRequest(role_, filled);
    return inner_->Complete(filled);
  }

 private:
  std::unique_ptr<LlmClient> inner_;
  const RoleConfig role_;
};

/// Sends no new call once the process was asked to stop (SIGINT/SIGTERM, base/interrupt.h): the
/// call fails at once with kCancelled, which stops the command's current step unrecorded.
class InterruptClient final : public LlmClient {
 public:
  explicit InterruptClient(std::unique_ptr<LlmClient> inner) : inner_(std::move(inner)) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    if (const int signal = InterruptSignal(); signal != 0) {
      return Error(ErrorCode::kCancelled, fmt::format("interrupted by {}: no new model calls are "
                                                      "sent",
                                                      InterruptName(signal)));
    }
    return inner_->Complete(request);
  }

 private:
  std::unique_ptr<LlmClient> inner_;
};

/// Backend replay over several endpoint kinds: the first kind that has the reply answers; when
/// none has it, the error of the first kind (it names the request hash) is returned.
class MultiKindReplay final : public LlmClient {
 public:
  MultiKindReplay(const std::shared_ptr<ResponseCache>& cache,
                  const std::vector<std::string>& kinds) {
    for (const auto& kind : kinds) replays_.push_back(std::make_unique<ReplayClient>(cache, kind));
  }
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    std::optional<Error> first;
    for (auto& replay : replays_) {
      Result<ChatResponse> r = replay->Complete(request);
      if (r.ok() || r.error().code != ErrorCode::kNotFound) return r;
      if (!first) first = r.error();
    }
    return *first;
  }

 private:
  std::vector<std::unique_ptr<ReplayClient>> replays_;
};

/// The ledger entry of a backend that never sends anything (replay): every answer is booked as a
/// free cache hit and no budget is reserved, so a spent budget never stops a replay.
class FreeLedgerClient final : public LlmClient {
 public:
  FreeLedgerClient(std::unique_ptr<LlmClient> inner, std::shared_ptr<Ledger> ledger,
                   std::string endpoint)
      : inner_(std::move(inner)), ledger_(std::move(ledger)), endpoint_(std::move(endpoint)) {}
  Result<ChatResponse> Complete(const ChatRequest& request) override {
    Result<ChatResponse> r = inner_->Complete(request);
    if (r.ok()) {
      r->cost_usd = 0.0;
      ledger_->RecordHit(request, endpoint_, *r);
    }
    return r;
  }

 private:
  std::unique_ptr<LlmClient> inner_;
  std::shared_ptr<Ledger> ledger_;
  std::string endpoint_;
};

/// Stands in for a role the command did not ask for.
class UnbuiltRoleClient final : public LlmClient {
 public:
  explicit UnbuiltRoleClient(Role role) : role_(role) {}
  Result<ChatResponse> Complete(const ChatRequest&) override {
    return InvalidArgument("no client was built for the " + std::string(RoleName(role_)) +
                           " role in this command (ClientStackPorts::roles)");
  }

 private:
  Role role_;
};

std::string EndpointLabel(const RoleConfig& rc) {
  if (rc.backend != Backend::kOpenAi) return std::string(BackendName(rc.backend));
  std::string label = "openai " + rc.endpoints.front().base_url;
  if (rc.endpoints.size() > 1) label += " (+" + std::to_string(rc.endpoints.size() - 1) + ")";
  return label;
}

}  // namespace

std::string_view EndpointKindOf(Backend backend) { return BackendName(backend); }

ClientStack::ClientStack(const LlmConfig& config) : config_(config) {}

ClientStack::~ClientStack() = default;

namespace {

// A dollar budget cannot stop a model it cannot price: refuse it before the first call.
Status CheckBudgetPrices(const LlmConfig& config, const std::vector<Role>& roles,
                         const Budget& budget) {
  if (!budget.max_usd) return Status::Ok();
  for (Role role : roles) {
    const RoleConfig& rc = config.role(role);
    if (rc.backend != Backend::kOpenAi || rc.model.empty()) continue;
    if (config.PriceFor(rc.model)) continue;  // [llm.prices] or the built-in table
    return InvalidArgument(fmt::format(
        "--max-usd needs a price for every model it pays for, and model '{}' (role {}) has "
        "none (it is not in the built-in price table, docs/llm.md \"Prices\"): its calls would "
        "count as $0 and the budget could not stop them. Add its price to the config, e.g.\n"
        "  [llm.prices.\"{}\"]\n  input_usd_per_mtok = <dollars per million input tokens>\n"
        "  output_usd_per_mtok = <dollars per million output tokens>\n"
        "or use --max-calls instead",
        rc.model, RoleName(role), rc.model));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ClientStack>> ClientStack::Create(const LlmConfig& config,
                                                         ClientStackPorts ports) {
  JO_RETURN_IF_ERROR(CheckBudgetPrices(config, ports.roles, ports.budget));
  for (Role role : ports.roles) {
    JO_RETURN_IF_ERROR(ValidateRole(config.role(role), role));
    if (config.role(role).backend == Backend::kReplay && !ports.cache) {
      return InvalidArgument("llm." + std::string(RoleName(role)) +
                             ": backend 'replay' answers only from the response cache, which is "
                             "switched off (--no-cache)");
    }
    if (config.role(role).backend == Backend::kReplay && ports.replay_kinds.empty()) {
      return InvalidArgument("backend 'replay' needs at least one endpoint kind to replay");
    }
  }
  std::unique_ptr<ClientStack> stack(new ClientStack(config));
  JO_RETURN_IF_ERROR(stack->Build(ports));
  return stack;
}

Status ClientStack::Build(ClientStackPorts& ports) {
  if (ports.clock == nullptr) {
    owned_clock_ = std::make_unique<RealClock>();
    ports.clock = owned_clock_.get();
  }
  if (!ports.env) ports.env = ProcessEnv();
  clock_ = ports.clock;
  cache_ = ports.cache;
  ledger_ = std::make_shared<Ledger>(config_.prices, ports.budget);
  for (Role role : kAllRoles) {
    labels_[role] = EndpointLabel(config_.role(role));
    clients_[role] = std::make_unique<UnbuiltRoleClient>(role);
  }
  for (Role role : ports.roles) {
    JO_ASSIGN_OR_RETURN(clients_[role], MakeChain(role, ports));
  }
  return Status::Ok();
}

Result<std::unique_ptr<LlmClient>> ClientStack::MakeChain(Role role, ClientStackPorts& ports) {
  const RoleConfig& rc = config_.role(role);
  const std::string& label = labels_[role];
  std::unique_ptr<LlmClient> chain;
  if (rc.backend == Backend::kReplay) {
    chain = std::make_unique<FreeLedgerClient>(
        std::make_unique<MultiKindReplay>(cache_, ports.replay_kinds), ledger_, label);
  } else {
    auto backend = MakeBackend(role, ports);
    if (!backend.ok()) return backend.error().WithContext("llm." + std::string(RoleName(role)));
    chain = std::move(backend).value();
    std::shared_ptr<LlmClient> free_source;
    if (cache_) {
      const std::string kind(EndpointKindOf(rc.backend));
      chain = std::make_unique<CachingClient>(std::move(chain), cache_,
                                              CachingClient::Options{kind, false});
      free_source = std::make_shared<ReplayClient>(cache_, kind);
    }
    chain = std::make_unique<BudgetClient>(std::move(chain), ledger_,
                                           BudgetClient::Options{label, free_source});
    if (tripwires_[role]) {
      chain = std::make_unique<TripwireClient>(TripwireClient::Position::kGuard, std::move(chain),
                                               tripwires_[role]);
    }
  }
  return std::unique_ptr<LlmClient>(std::make_unique<InterruptClient>(
      std::make_unique<RoleDefaultsClient>(std::move(chain), rc)));
}

Result<std::unique_ptr<LlmClient>> ClientStack::MakeBackend(Role role, ClientStackPorts& ports) {
  const RoleConfig& rc = config_.role(role);
  switch (rc.backend) {
    case Backend::kSim: {
      JO_ASSIGN_OR_RETURN(LlmClient * sim, SharedSim(ports));
      return std::unique_ptr<LlmClient>(
          std::make_unique<TimedClient>(std::make_unique<BorrowedClient>(sim), clock_));
    }
    case Backend::kOpenAi: {
      JO_RETURN_IF_ERROR(CheckKeyTransport(rc, role, ports.env));
      JO_ASSIGN_OR_RETURN(HttpTransport * transport, SharedTransport(ports));
      if (!pool_) pool_ = std::make_unique<EndpointPool>(clock_);
      JO_ASSIGN_OR_RETURN(std::unique_ptr<OpenAiClient> http,
                          OpenAiClient::Create(rc, pool_.get(), transport, clock_, ports.env));
      tripwires_[role] = std::make_shared<Tripwire>(
          role, BreakerSettings{clock_, rc.circuit_breaker_s, labels_[role]});
      auto sensed = std::make_unique<TripwireClient>(TripwireClient::Position::kSensor,
                                                     std::move(http), tripwires_[role]);
      return std::unique_ptr<LlmClient>(std::make_unique<RetryingClient>(
          std::move(sensed), rc.retry, clock_, config_.retry_seed));
    }
    case Backend::kPython: {
      if (!ports.make_python) {
        return InvalidArgument(
            "backend 'python' calls a Python function, which only the judgeopt Python module "
            "can give (docs/python.md)");
      }
      JO_ASSIGN_OR_RETURN(std::unique_ptr<LlmClient> python, ports.make_python(role));
      const int limit = rc.endpoints.empty() ? 1 : rc.endpoints.front().max_concurrency;
      return std::unique_ptr<LlmClient>(std::make_unique<ConcurrencyLimitClient>(
          std::make_unique<TimedClient>(std::move(python), clock_), limit));
    }
    case Backend::kReplay:
      break;  // built by Build(): it needs no backend port
  }
  return InternalError("no live backend for '" + std::string(BackendName(rc.backend)) + "'");
}

Result<LlmClient*> ClientStack::SharedSim(ClientStackPorts& ports) {
  if (!sim_) {
    if (!ports.make_sim) {
      return InvalidArgument("backend 'sim' is not available here (no simulator was provided)");
    }
    JO_ASSIGN_OR_RETURN(sim_, ports.make_sim());
  }
  return sim_.get();
}

Result<HttpTransport*> ClientStack::SharedTransport(ClientStackPorts& ports) {
  if (!transport_) {
    if (!ports.make_transport) {
      return InvalidArgument("backend 'openai' is not available here (no HTTP transport)");
    }
    JO_ASSIGN_OR_RETURN(transport_, ports.make_transport());
  }
  return transport_.get();
}

LlmClient& ClientStack::For(Role role) { return *clients_[role]; }

LedgerSnapshot ClientStack::ledger() const { return ledger_->Snapshot(); }

std::string ClientStack::LedgerTable() const { return ledger_->RenderTable(); }

std::string_view ClientStack::endpoint_kind(Role role) const {
  return EndpointKindOf(config_.role(role).backend);
}

const std::string& ClientStack::endpoint_label(Role role) const {
  return labels_[role];
}

}  // namespace judgeopt::llm
