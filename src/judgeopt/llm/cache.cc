#include "judgeopt/llm/cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "judgeopt/base/sha256.h"

namespace judgeopt::llm {
namespace {

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  fmt::format_to(std::back_inserter(out), "{} {}:{}\n", name, value.size(), value);
}

// JSON text re-serialized with sorted keys and no whitespace, so that equivalent objects key
// alike. Text that is not JSON is kept verbatim (tagged, so it cannot collide with JSON).
std::string CanonicalJson(const std::string& text) {
  if (text.empty()) return "";
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return "raw:" + text;
  return "json:" + parsed.dump();
}

// A stored reply as returned for a hit: no call was made, so no attempts, latency or cost.
ChatResponse AsHit(ChatResponse response) {
  response.cache_hit = true;
  response.attempts = 0;
  response.latency_ms = 0.0;
  response.cost_usd = 0.0;
  return response;
}

}  // namespace

std::string CanonicalRequestText(const ChatRequest& request, std::string_view endpoint_kind) {
  std::string out;
  out.reserve(256 + ApproxPromptTokens(request) * 4);
  fmt::format_to(std::back_inserter(out), "judgeopt-request-key v{}\n", kCacheKeySchemaVersion);
  AppendField(out, "endpoint_kind", endpoint_kind);
  AppendField(out, "model", request.model);
  // %.17g round-trips every double; -0.0 is folded into 0.
  const double temperature = request.temperature == 0.0 ? 0.0 : request.temperature;
  AppendField(out, "temperature", fmt::format("{:.17g}", temperature));
  AppendField(out, "max_tokens", std::to_string(request.max_tokens));
  AppendField(out, "seed", request.seed ? std::to_string(*request.seed) : std::string("none"));
  AppendField(out, "sample_index", std::to_string(request.sample_index));
  AppendField(out, "response_format", CanonicalJson(request.response_format_json));
  AppendField(out, "extra_body", CanonicalJson(request.extra_body_json));
  // Body shaping changes what the server sees; keyed only when set, so older keys stay valid.
  if (request.max_completion_tokens) AppendField(out, "token_param", "max_completion_tokens");
  if (request.omit_temperature) AppendField(out, "temperature_sent", "no");
  if (!request.reasoning_effort.empty()) {
    AppendField(out, "reasoning_effort", request.reasoning_effort);
  }
  AppendField(out, "messages", std::to_string(request.messages.size()));
  for (const ChatMessage& m : request.messages) {
    AppendField(out, "role", m.role);
    AppendField(out, "content", m.content);
  }
  return out;
}

std::string RequestKey(const ChatRequest& request, std::string_view endpoint_kind) {
  return Sha256Hex(CanonicalRequestText(request, endpoint_kind));
}

CachedRequestSummary SummarizeRequest(const ChatRequest& request, std::string_view endpoint_kind) {
  CachedRequestSummary s;
  s.endpoint_kind = std::string(endpoint_kind);
  s.model = request.model;
  s.role = std::string(RoleName(request.role));
  s.tag = request.tag;
  for (const ChatMessage& m : request.messages) {
    s.prompt_bytes += static_cast<int64_t>(m.content.size());
  }
  return s;
}

// ---- MemoryResponseCache ----

Result<std::optional<ChatResponse>> MemoryResponseCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    ++counters_.misses;
    return std::optional<ChatResponse>();
  }
  ++counters_.hits;
  return std::optional<ChatResponse>(it->second.response);
}

Status MemoryResponseCache::Put(const std::string& key, const CachedRequestSummary& request,
                                const ChatResponse& response) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.emplace(key, Entry{request, response}).second) ++counters_.puts;
  return Status::Ok();
}

Result<CacheStats> MemoryResponseCache::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  CacheStats stats = counters_;
  stats.entries = static_cast<int64_t>(entries_.size());
  stats.bytes = 0;
  for (const auto& [key, entry] : entries_) {
    stats.bytes += static_cast<int64_t>(key.size() + entry.response.content.size());
    ++stats.entries_per_model[entry.request.model];
  }
  return stats;
}

Result<int64_t> MemoryResponseCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  auto n = static_cast<int64_t>(entries_.size());
  entries_.clear();
  return n;
}

// ---- CachingClient ----

CachingClient::CachingClient(std::unique_ptr<LlmClient> inner, std::shared_ptr<ResponseCache> cache,
                             Options options)
    : inner_(std::move(inner)), cache_(std::move(cache)), options_(std::move(options)) {}

Result<ChatResponse> CachingClient::Complete(const ChatRequest& request) {
  if (options_.bypass) return inner_->Complete(request);
  const std::string key = RequestKey(request, options_.endpoint_kind);

  std::shared_ptr<Flight> flight;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = in_flight_.find(key);
    if (it != in_flight_.end()) {
      // An identical request is being answered: wait for it instead of paying twice.
      std::shared_ptr<Flight> leader = it->second;
      cv_.wait(lock, [&] { return leader->done; });
      const Result<ChatResponse>& shared = *leader->result;
      if (!shared.ok()) return shared.error();
      return AsHit(shared.value());
    }
    flight = std::make_shared<Flight>();
    in_flight_.emplace(key, flight);
  }
  Result<ChatResponse> result = Lead(request, key);
  {
    std::lock_guard<std::mutex> lock(mu_);
    flight->result = result;
    flight->done = true;
    in_flight_.erase(key);
  }
  cv_.notify_all();
  return result;
}

Result<ChatResponse> CachingClient::Lead(const ChatRequest& request, const std::string& key) {
  Result<std::optional<ChatResponse>> cached = cache_->Get(key);
  if (!cached.ok()) return cached.error().WithContext("response cache lookup");
  if (cached->has_value()) return AsHit(std::move(**cached));

  Result<ChatResponse> fresh = inner_->Complete(request);
  // Every delivered reply is kept with its finish_reason, so a rerun or a replay meets the same
  // outcome: an empty reply, or one cut off at max_tokens or by a content filter, replays as
  // such (never as a good reply; llm::OutcomeOf decides again), and raising max_tokens changes
  // the key. Errors are never kept.
  if (!fresh.ok()) return fresh;
  Status stored = cache_->Put(key, SummarizeRequest(request, options_.endpoint_kind), *fresh);
  if (!stored.ok()) {
    spdlog::warn("response cache: could not store reply {}: {}", key, stored.error().ToString());
  }
  return fresh;
}

// ---- ReplayClient ----

ReplayClient::ReplayClient(std::shared_ptr<ResponseCache> cache, std::string endpoint_kind)
    : cache_(std::move(cache)), endpoint_kind_(std::move(endpoint_kind)) {}

Result<ChatResponse> ReplayClient::Complete(const ChatRequest& request) {
  const std::string key = RequestKey(request, endpoint_kind_);
  Result<std::optional<ChatResponse>> cached = cache_->Get(key);
  if (!cached.ok()) return cached.error().WithContext("replay");
  if (!cached->has_value()) {
    return NotFound(fmt::format(
        "replay: no cached reply for request {} (endpoint kind '{}', model '{}', role {}, "
        "tag '{}'); the replay backend answers only from the cache: run this once with a live "
        "backend (sim or openai) in the same workspace to record it",
        key, endpoint_kind_, request.model, RoleName(request.role), request.tag));
  }
  return AsHit(std::move(**cached));
}

}  // namespace judgeopt::llm
