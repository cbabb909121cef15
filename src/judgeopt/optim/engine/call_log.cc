#include "judgeopt/optim/engine/call_log.h"

#include <algorithm>
#include <charconv>

#include "judgeopt/llm/cache.h"

namespace judgeopt::optim {

void CallLog::Add(CallRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  records_.push_back(std::move(record));
}

std::vector<CallRecord> CallLog::Drain() {
  std::vector<CallRecord> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out.swap(records_);
  }
  std::stable_sort(out.begin(), out.end(), [](const CallRecord& a, const CallRecord& b) {
    if (a.tag != b.tag) return a.tag < b.tag;
    return a.request_hash < b.request_hash;
  });
  return out;
}

std::size_t CallLog::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_.size();
}

namespace {

// Position of a role name in llm::kAllRoles; unknown names sort after every role.
std::size_t RoleRank(const std::string& name) {
  const std::optional<llm::Role> role = llm::RoleFromName(name);
  return role ? static_cast<std::size_t>(*role) : llm::kRoleCount;
}

}  // namespace

std::vector<std::string> MergeRoleNames(std::vector<std::string> a,
                                        const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end(), [](const std::string& x, const std::string& y) {
    const std::size_t rx = RoleRank(x), ry = RoleRank(y);
    return rx != ry ? rx < ry : x < y;
  });
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

bool AddSimulatedRoles(const std::vector<CallRecord>& calls, RunInfo& info) {
  std::vector<std::string> used;
  for (const CallRecord& c : calls) {
    if (c.simulated) used.push_back(c.role);
  }
  std::vector<std::string> roles = MergeRoleNames(info.simulated_roles, used);
  const bool simulated = info.simulated || !roles.empty();
  if (roles == info.simulated_roles && simulated == info.simulated) return false;
  info.simulated_roles = std::move(roles);
  info.simulated = simulated;
  return true;
}

TagParts ParseTag(const std::string& tag) {
  TagParts parts;
  if (tag.rfind("step", 0) != 0) return parts;
  const std::size_t slash = tag.find('/');
  if (slash == std::string::npos) return parts;
  int step = 0;
  auto [ptr, ec] = std::from_chars(tag.data() + 4, tag.data() + slash, step);
  if (ec != std::errc() || ptr != tag.data() + slash) return parts;
  parts.step = step;
  const std::size_t next = tag.find('/', slash + 1);
  parts.stage = tag.substr(slash + 1, next == std::string::npos ? std::string::npos
                                                                  : next - slash - 1);
  return parts;
}

Result<llm::ChatResponse> RecordingClient::Complete(const llm::ChatRequest& request) {
  Result<llm::ChatResponse> reply = inner_.Complete(request);
  const TagParts parts = ParseTag(request.tag);
  CallRecord r;
  r.step = parts.step;
  r.stage = parts.stage;
  r.role = std::string(llm::RoleName(request.role));
  r.request_hash = llm::RequestKey(request, endpoint_kind_);
  r.tag = request.tag;
  if (reply.ok()) {
    r.latency_ms = reply->latency_ms;
    r.prompt_tokens = reply->usage.prompt_tokens;
    r.completion_tokens = reply->usage.completion_tokens;
    r.total_tokens = reply->usage.total_tokens;
    r.cached_tokens = reply->usage.cached_tokens;
    r.reasoning_tokens = reply->usage.reasoning_tokens;
    r.cost_usd = reply->cost_usd;
    r.attempts = reply->attempts;
    r.cache_hit = reply->cache_hit;
    r.finish_reason = reply->finish_reason;
    r.simulated = reply->simulated;
  } else {
    r.error = reply.error().ToString();
  }
  log_.Add(std::move(r));
  return reply;
}

}  // namespace judgeopt::optim
