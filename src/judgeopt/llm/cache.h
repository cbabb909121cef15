#pragma once
// The response cache: request keys, the ResponseCache port (SQLite implementation in
// store/response_cache.h), the CachingClient decorator, and the cache-only ReplayClient backend.
// See docs/cache.md.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

/// Bumped whenever the canonical request text or the meaning of a stored reply changes, so old
/// entries can never answer new requests.
inline constexpr int kCacheKeySchemaVersion = 1;

/// The exact text hashed into a key: the schema version, `endpoint_kind`, model, temperature,
/// max_tokens, seed, sample index, response_format and extra_body (JSON re-serialized with sorted
/// keys, so formatting and key order do not matter) and every message, each field
/// length-prefixed. Role and tag are not part of it: they label a call, they do not change it.
std::string CanonicalRequestText(const ChatRequest& request, std::string_view endpoint_kind);

/// Lower-case hex SHA-256 of CanonicalRequestText (64 characters).
std::string RequestKey(const ChatRequest& request, std::string_view endpoint_kind);

/// What the cache keeps about the request that produced an entry, for stats and debugging (the
/// full prompt is not stored).
struct CachedRequestSummary {
  std::string endpoint_kind;
  std::string model;
  std::string role;
  std::string tag;
  int64_t prompt_bytes = 0;
};
CachedRequestSummary SummarizeRequest(const ChatRequest& request, std::string_view endpoint_kind);

struct CacheStats {
  int64_t entries = 0;
  /// Storage used (for SQLite: the database file's pages).
  int64_t bytes = 0;
  /// Entries per request model.
  std::map<std::string, int64_t> entries_per_model;
  /// Lookups answered / not answered, and entries written, by this object in this process.
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t puts = 0;
};

/// Port: a content-addressed store of successful replies, keyed by RequestKey. Implementations
/// are thread-safe; Put of a key that already exists keeps the first reply (replies for one key
/// are interchangeable) and is not an error.
class ResponseCache {
 public:
  virtual ~ResponseCache() = default;
  /// nullopt on a miss; an Error only when the store itself fails.
  virtual Result<std::optional<ChatResponse>> Get(const std::string& key) = 0;
  virtual Status Put(const std::string& key, const CachedRequestSummary& request,
                     const ChatResponse& response) = 0;
  virtual Result<CacheStats> Stats() = 0;
  /// Removes every entry; returns how many were removed.
  virtual Result<int64_t> Clear() = 0;
};

/// A ResponseCache in memory (for tests and cacheless tools). Thread-safe (one mutex); owns its
/// entries.
class MemoryResponseCache final : public ResponseCache {
 public:
  Result<std::optional<ChatResponse>> Get(const std::string& key) override;
  Status Put(const std::string& key, const CachedRequestSummary& request,
             const ChatResponse& response) override;
  Result<CacheStats> Stats() override;
  Result<int64_t> Clear() override;

 private:
  struct Entry {
    CachedRequestSummary request;
    ChatResponse response;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  CacheStats counters_;
};

/// Decorator: answers a request from the cache when it can (cache_hit = true, attempts 0, no call
/// to the inner client) and otherwise calls the inner client and stores the reply. Every delivered
/// reply is stored with its finish_reason, complete or not (an empty, cut-off or filtered reply
/// replays as what it was; llm/reply_check.h decides what it means), so a rerun meets the same
/// outcomes and pays nothing; errors are never cached. Identical requests in flight at the
/// same time are sent once: the others wait and get the reply as a cache hit (or the same error).
/// With `bypass` (--no-cache) the cache is neither read nor written. A cache write failure is
/// logged and the paid reply is still returned. Owns the inner client, shares the cache.
/// Thread-safe.
class CachingClient final : public LlmClient {
 public:
  struct Options {
    /// Part of every key: which kind of backend produced the replies ("sim", "openai", ...).
    std::string endpoint_kind;
    bool bypass = false;
  };
  CachingClient(std::unique_ptr<LlmClient> inner, std::shared_ptr<ResponseCache> cache,
                Options options);

  Result<ChatResponse> Complete(const ChatRequest& request) override;

 private:
  struct Flight {
    bool done = false;
    std::optional<Result<ChatResponse>> result;
  };
  /// Looks the key up and, on a miss, calls the inner client and stores a success.
  Result<ChatResponse> Lead(const ChatRequest& request, const std::string& key);

  std::unique_ptr<LlmClient> inner_;
  std::shared_ptr<ResponseCache> cache_;
  Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> in_flight_;
};

/// Backend `replay`: answers only from the cache and never calls a model. A miss is a kNotFound
/// error naming the request hash, model, role and tag. Shares the cache. Thread-safe.
class ReplayClient final : public LlmClient {
 public:
  /// `endpoint_kind` must be the one the replies were recorded under (e.g. "openai").
  ReplayClient(std::shared_ptr<ResponseCache> cache, std::string endpoint_kind);

  Result<ChatResponse> Complete(const ChatRequest& request) override;

 private:
  std::shared_ptr<ResponseCache> cache_;
  std::string endpoint_kind_;
};

}  // namespace judgeopt::llm
