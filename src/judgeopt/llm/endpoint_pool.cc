#include "judgeopt/llm/endpoint_pool.h"

#include <algorithm>
#include <utility>

#include "judgeopt/llm/endpoint_http.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

// The stricter of two limits where 0 means unlimited.
double Stricter(double a, double b) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return std::min(a, b);
}

}  // namespace

Endpoint::Endpoint(EndpointConfig config, std::string chat_url, Clock* clock)
    : config_(std::move(config)),
      chat_url_(std::move(chat_url)),
      limiter_(RateLimiter::Limits{config_.rpm, config_.tpm}, clock) {}

EndpointPool::EndpointPool(Clock* clock) : clock_(clock) {}

Result<EndpointGroup> EndpointPool::Register(const std::vector<EndpointConfig>& endpoints,
                                             EndpointSelection selection) {
  if (endpoints.empty()) return InvalidArgument("no endpoint configured");
  EndpointGroup group;
  group.selection = selection;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& config : endpoints) {
    JO_ASSIGN_OR_RETURN(std::string url, EndpointChatUrl(config));
    auto same = [&](const std::unique_ptr<Endpoint>& e) {
      return e->chat_url_ == url && e->config_.api_key_env == config.api_key_env;
    };
    auto it = std::find_if(endpoints_.begin(), endpoints_.end(), same);
    if (it == endpoints_.end()) {
      endpoints_.push_back(std::make_unique<Endpoint>(config, url, clock_));
      it = endpoints_.end() - 1;
    } else {
      Endpoint& e = **it;
      e.config_.max_concurrency = std::max(e.config_.max_concurrency, config.max_concurrency);
      e.config_.rpm = Stricter(e.config_.rpm, config.rpm);
      e.config_.tpm = Stricter(e.config_.tpm, config.tpm);
      e.limiter_.SetLimits({e.config_.rpm, e.config_.tpm});
    }
    std::size_t id = static_cast<std::size_t>(it - endpoints_.begin());
    if (std::find(group.ids.begin(), group.ids.end(), id) == group.ids.end()) {
      group.ids.push_back(id);
      group.configs.push_back(config);
    }
  }
  cv_.notify_all();  // a larger max_concurrency may free waiters
  return group;
}

std::optional<std::size_t> EndpointPool::ChooseLocked(EndpointGroup& group) const {
  const std::size_t n = group.ids.size();
  const double now = clock_->NowSeconds();
  std::optional<std::size_t> best;
  bool best_held = true;
  double best_load = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pos = (group.cursor + k) % n;
    const Endpoint& e = *endpoints_[group.ids[pos]];
    if (e.in_flight_ >= e.config_.max_concurrency) continue;
    bool held = e.limiter_.ReadyAt() > now;
    double load = static_cast<double>(e.in_flight_) / e.config_.max_concurrency;
    if (group.selection == EndpointSelection::kRoundRobin) load = 0.0;  // first free wins
    bool better = !best || (best_held && !held) || (best_held == held && load < best_load);
    if (better) {
      best = pos;
      best_held = held;
      best_load = load;
    }
  }
  return best;
}

EndpointPool::Lease EndpointPool::TakeLocked(EndpointGroup& group, std::size_t pos) {
  std::size_t id = group.ids[pos];
  Endpoint* e = endpoints_[id].get();
  ++e->in_flight_;
  ++e->started_;
  group.cursor = (pos + 1) % group.ids.size();
  return Lease(this, id, e);
}

EndpointPool::Lease EndpointPool::Acquire(EndpointGroup& group) {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<std::size_t> pos;
  cv_.wait(lock, [&] { return (pos = ChooseLocked(group)).has_value(); });
  return TakeLocked(group, *pos);
}

std::optional<EndpointPool::Lease> EndpointPool::TryAcquire(EndpointGroup& group) {
  std::lock_guard<std::mutex> lock(mu_);
  auto pos = ChooseLocked(group);
  if (!pos) return std::nullopt;
  return TakeLocked(group, *pos);
}

void EndpointPool::Release(std::size_t id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --endpoints_[id]->in_flight_;
  }
  cv_.notify_all();
}

std::size_t EndpointPool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return endpoints_.size();
}

Endpoint& EndpointPool::endpoint(std::size_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return *endpoints_.at(id);
}

int EndpointPool::in_flight(std::size_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return endpoints_.at(id)->in_flight_;
}

int64_t EndpointPool::started(std::size_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return endpoints_.at(id)->started_;
}

EndpointPool::Lease::Lease(EndpointPool* pool, std::size_t id, Endpoint* endpoint)
    : pool_(pool), id_(id), endpoint_(endpoint) {}

EndpointPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), id_(other.id_), endpoint_(other.endpoint_) {}

EndpointPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(id_);
}

}  // namespace judgeopt::llm
