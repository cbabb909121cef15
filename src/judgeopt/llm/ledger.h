#pragma once
// What model calls cost: the call Ledger (calls, tokens and dollars per role and per endpoint and
// model, cache hits apart), the hard budgets checked before a call is sent, and the BudgetClient
// decorator that applies both. See docs/cache.md, "Budgets".

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/llm/usage_tally.h"

namespace judgeopt::llm {

/// Hard caps for one command; unset = no cap.
struct Budget {
  std::optional<double> max_usd;
  std::optional<int64_t> max_calls;
  bool operator==(const Budget&) const = default;
};

/// Counters of one ledger line. `calls` are calls sent to a model (failed ones included); cache
/// hits are not calls. Tokens and dollars are those of successful sent calls; `refused` counts
/// calls the budget refused and `saved_usd` is what the hits would have cost at today's prices.
/// `simulated` counts the replies (sent calls and cache hits) that judgeopt's simulator wrote
/// (ChatResponse::simulated): what decides the SIMULATED label (docs/simulator.md).
struct LedgerLine : UsageTally {
  int64_t refused = 0;
  double saved_usd = 0.0;
  int64_t simulated = 0;
  void Add(const LedgerLine& other);
};

struct LedgerSnapshot {
  LedgerLine total;
  std::map<std::string, LedgerLine> by_role;
  /// Keyed by (endpoint name, request model).
  std::map<std::pair<std::string, std::string>, LedgerLine> by_endpoint;
  /// Models called without a configured price (their calls are counted as $0).
  std::set<std::string> unpriced_models;
  Budget budget;
};

/// One budget slot held while a call is in flight: settle it with Ledger::Settle.
struct Reservation {
  double usd = 0.0;
};

/// The account of every call of one command, and its budget. Thread-safe (one mutex); shared by
/// the BudgetClients of all roles, so the budget is global. Costs: LlmConfig::CostUsd with `prices`
/// over the built-in table (llm/price_table.h).
/// Before each call a projected cost is reserved (prompt estimate bytes/4 plus max_tokens of
/// output, scaled up by the worst actual/projected ratio seen so far for the model) and settled
/// with the real cost after the reply, so concurrent callers can never jointly break the budget.
class Ledger {
 public:
  /// `prices` are the configured ones (`[llm.prices]`); the built-in table fills the rest.
  explicit Ledger(PriceMap prices = {}, Budget budget = {});

  /// Dollars for `usage` at `model`'s price; nullopt when the model has no price.
  std::optional<double> Cost(std::string_view model, const Usage& usage) const;
  /// The projected (upper-bound) cost of sending `request`.
  double ProjectedUsd(const ChatRequest& request) const;

  /// Reserves one call and its projected cost, or fails with kBudgetExceeded (message: what was
  /// spent and how to continue) when that would break max_calls or max_usd.
  Result<Reservation> Reserve(const ChatRequest& request, std::string_view endpoint);
  /// Releases `reservation` and books the outcome: a success at its real cost (returned), an
  /// error as a failed call, a reply marked cache_hit as a free hit.
  double Settle(const Reservation& reservation, const ChatRequest& request,
                std::string_view endpoint, const Result<ChatResponse>& outcome);
  /// Books a cache hit that needed no reservation.
  void RecordHit(const ChatRequest& request, std::string_view endpoint,
                 const ChatResponse& response);
  /// Books a call that the budget refused.
  void RecordRefusal(const ChatRequest& request, std::string_view endpoint);

  LedgerSnapshot Snapshot() const;
  /// The roles that have received at least one simulated reply so far (sent or from the cache),
  /// in role order. May be asked at any time, also while calls are in flight.
  std::vector<Role> SimulatedRoles() const;
  /// Text tables: per role (with a total), per endpoint and model, then budget use and unpriced
  /// models.
  std::string RenderTable() const;

 private:
  /// Prompt estimate + max_tokens at the model's price, before scaling (0 when unpriced).
  double BaseProjection(const ChatRequest& request) const;
  double ProjectedUsdLocked(const ChatRequest& request) const;
  Error Refusal(const ChatRequest& request, std::string_view endpoint, double projected) const;
  void Book(const ChatRequest& request, std::string_view endpoint, const LedgerLine& delta);

  /// Holds only the prices: its CostUsd is the one cost formula.
  LlmConfig pricing_;
  const Budget budget_;
  mutable std::mutex mu_;
  LedgerSnapshot book_;
  double reserved_usd_ = 0.0;
  int64_t reserved_calls_ = 0;
  /// Worst actual/projected cost ratio seen per model (>= 1), applied to later projections.
  std::map<std::string, double, std::less<>> projection_scale_;
};

/// Decorator: the budget gate and the ledger entry of every call. Before a call it reserves the
/// projected cost; a call that does not fit is not sent: it is answered by `free_source` when
/// that can answer without spending (a ReplayClient over the cache), else refused with
/// kBudgetExceeded. Cache hits returned by the inner stack cost nothing and do not count against
/// max_calls. Sets ChatResponse::cost_usd. Owns the inner client, shares the ledger and the free
/// source. Thread-safe.
class BudgetClient final : public LlmClient {
 public:
  struct Options {
    /// Ledger line name of the endpoint (e.g. "openai https://api.openai.com/v1", "sim").
    std::string endpoint;
    /// Optional: answers calls that do not fit the budget when it can do so for free.
    std::shared_ptr<LlmClient> free_source;
  };
  BudgetClient(std::unique_ptr<LlmClient> inner, std::shared_ptr<Ledger> ledger, Options options);

  Result<ChatResponse> Complete(const ChatRequest& request) override;

 private:
  std::unique_ptr<LlmClient> inner_;
  std::shared_ptr<Ledger> ledger_;
  Options options_;
};

}  // namespace judgeopt::llm
