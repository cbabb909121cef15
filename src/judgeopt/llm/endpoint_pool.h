#pragma once
// The endpoints (server + API-key variable) that model calls go to, with their concurrency slots
// and rate limiters, and the choice of endpoint for each call.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/clock.h"
#include "judgeopt/base/result.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/llm/rate_limiter.h"

namespace judgeopt::llm {

/// One server + key pair: its chat-completions URL, the name of its key variable, its limits and
/// its rate limiter. Created and owned by EndpointPool; thread-safe (the limiter locks itself,
/// the rest is immutable after registration).
class Endpoint {
 public:
  Endpoint(EndpointConfig config, std::string chat_url, Clock* clock);
  const EndpointConfig& config() const { return config_; }
  /// "<base>/v1/chat/completions", with the endpoint's query ("?api-version=...") when it has one.
  const std::string& chat_url() const { return chat_url_; }
  RateLimiter& limiter() { return limiter_; }
  const RateLimiter& limiter() const { return limiter_; }

 private:
  friend class EndpointPool;
  EndpointConfig config_;
  std::string chat_url_;
  RateLimiter limiter_;
  int in_flight_ = 0;    // guarded by the pool's mutex
  int64_t started_ = 0;  // guarded by the pool's mutex
};

/// The endpoints of one role and how to choose among them. The cursor is advanced by the pool
/// under its mutex; a group belongs to one client and must be used with the pool that made it.
struct EndpointGroup {
  std::vector<std::size_t> ids;
  /// The group's own settings for ids[i] (its auth, extra headers and CA bundle, which a shared
  /// Endpoint registered by another role may not have).
  std::vector<EndpointConfig> configs;
  EndpointSelection selection = EndpointSelection::kRoundRobin;
  std::size_t cursor = 0;
};

/// Registry of endpoints shared by every role. Roles that name the same chat URL (query included:
/// EndpointChatUrl) and key variable share one Endpoint: one concurrency bound (the larger max_concurrency asked for) and one rate
/// limiter (the stricter non-zero rpm/tpm), because servers count limits per key.
///
/// Acquire() hands out a Lease on one slot of one endpoint of a group, blocking while every
/// endpoint of the group is at its max_concurrency. Round robin takes the next endpoint after the
/// cursor that has a free slot; least loaded takes the one with the lowest in_flight /
/// max_concurrency (ties from the cursor on). Both prefer endpoints whose rate limiter is not
/// holding requests back. Thread-safe (one mutex + condition variable). Endpoints live as long as
/// the pool; the pool must outlive every client and lease that uses it. Does not own the clock.
class EndpointPool {
 public:
  explicit EndpointPool(Clock* clock);
  EndpointPool(const EndpointPool&) = delete;
  EndpointPool& operator=(const EndpointPool&) = delete;

  /// Registers the endpoints of a role (merging with ones already known) and returns its group.
  /// Fails on an invalid base URL, naming it.
  Result<EndpointGroup> Register(const std::vector<EndpointConfig>& endpoints,
                                 EndpointSelection selection);

  /// A held concurrency slot; releases it on destruction. Movable, not copyable.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Endpoint& endpoint() const { return *endpoint_; }
    std::size_t id() const { return id_; }

   private:
    friend class EndpointPool;
    Lease(EndpointPool* pool, std::size_t id, Endpoint* endpoint);
    EndpointPool* pool_;
    std::size_t id_;
    Endpoint* endpoint_;
  };

  /// Blocks until an endpoint of `group` has a free slot, then takes it.
  Lease Acquire(EndpointGroup& group);
  /// Takes a slot if one is free now; nullopt otherwise.
  std::optional<Lease> TryAcquire(EndpointGroup& group);

  std::size_t size() const;
  Endpoint& endpoint(std::size_t id);
  int in_flight(std::size_t id) const;
  /// How many leases endpoint `id` has handed out in total.
  int64_t started(std::size_t id) const;

 private:
  std::optional<std::size_t> ChooseLocked(EndpointGroup& group) const;
  Lease TakeLocked(EndpointGroup& group, std::size_t pos);
  void Release(std::size_t id);

  Clock* clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
};

}  // namespace judgeopt::llm
