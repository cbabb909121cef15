#include "judgeopt/store/response_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cpp/data/temp_dir.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;
using llm::CachedRequestSummary;
using llm::ChatResponse;

std::unique_ptr<SqliteResponseCache> OpenOrDie(const std::string& path) {
  auto cache = SqliteResponseCache::Open(path);
  EXPECT_TRUE(cache.ok()) << cache.error().ToString();
  return cache.ok() ? std::move(cache).value() : nullptr;
}

ChatResponse Reply(const std::string& content) {
  ChatResponse r;
  r.content = content;
  r.finish_reason = "length";
  r.model = "m-2024";
  r.usage.prompt_tokens = 123;
  r.usage.completion_tokens = 45;
  r.usage.total_tokens = 175;
  r.usage.cached_tokens = 100;
  r.usage.reasoning_tokens = 7;
  r.usage.estimated = true;
  r.latency_ms = 321.5;
  r.cost_usd = 0.00042;
  return r;
}

CachedRequestSummary Summary(const std::string& model) {
  return {"openai", model, "judge", "tag", 99};
}

TEST(SqliteResponseCacheTest, RoundTripsEveryFieldAndSurvivesReopen) {
  TempDir dir;
  const std::string path = dir.path() + "/cache.db";
  {
    auto cache = OpenOrDie(path);
    ASSERT_TRUE(cache->Put("k1", Summary("m"), Reply("hello \xe2\x9c\x93")).ok());
  }
  auto cache = OpenOrDie(path);
  auto got = cache->Get("k1");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_TRUE(got->has_value());
  const ChatResponse& r = **got;
  EXPECT_EQ(r.content, "hello \xe2\x9c\x93");
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_EQ(r.model, "m-2024");
  EXPECT_EQ(r.usage.prompt_tokens, 123);
  EXPECT_EQ(r.usage.completion_tokens, 45);
  EXPECT_EQ(r.usage.total_tokens, 175);
  EXPECT_EQ(r.usage.cached_tokens, 100);
  EXPECT_EQ(r.usage.reasoning_tokens, 7);
  EXPECT_TRUE(r.usage.estimated);
  EXPECT_DOUBLE_EQ(r.latency_ms, 321.5);
  EXPECT_DOUBLE_EQ(r.cost_usd, 0.00042);
  auto missing = cache->Get("k2");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto stats = cache->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->hits, 1);
  EXPECT_EQ(stats->misses, 1);
  EXPECT_EQ(stats->puts, 0) << "puts count this object's writes only";
}

TEST(SqliteResponseCacheTest, KeepsWhetherAReplyWasSimulated) {
  TempDir dir;
  auto cache = OpenOrDie(dir.path() + "/cache.db");
  ChatResponse simulated = Reply("from the simulator");
  simulated.simulated = true;
  ASSERT_TRUE(cache->Put("sim", Summary("m"), simulated).ok());
  ASSERT_TRUE(cache->Put("real", Summary("m"), Reply("from a model")).ok());
  auto a = cache->Get("sim");
  auto b = cache->Get("real");
  ASSERT_TRUE(a.ok() && a->has_value() && b.ok() && b->has_value());
  EXPECT_TRUE((*a)->simulated);
  EXPECT_FALSE((*b)->simulated);
}

TEST(SqliteResponseCacheTest, AVersionOneCacheMarksTheInProcessSimulatorsEntriesWhenMigrated) {
  TempDir dir;
  const std::string path = dir.path() + "/cache.db";
  {
    auto cache = OpenOrDie(path);
    ASSERT_TRUE(cache->Put("sim", {"sim", "m", "judge", "t", 1}, Reply("a")).ok());
    ASSERT_TRUE(cache->Put("http", Summary("m"), Reply("b")).ok());
  }
  {  // back to version 1: no simulated column
    auto db = Db::Open(path);
    ASSERT_TRUE(db.ok());
    Status st = db->Exec(
        "ALTER TABLE responses DROP COLUMN simulated; ALTER TABLE responses DROP COLUMN "
        "total_tokens; ALTER TABLE responses DROP COLUMN cached_tokens; ALTER TABLE responses "
        "DROP COLUMN reasoning_tokens; PRAGMA user_version = 1");
    ASSERT_TRUE(st.ok()) << st.error().ToString();
  }
  auto cache = OpenOrDie(path);
  auto a = cache->Get("sim");
  auto b = cache->Get("http");
  ASSERT_TRUE(a.ok() && a->has_value() && b.ok() && b->has_value());
  EXPECT_TRUE((*a)->simulated);
  EXPECT_FALSE((*b)->simulated);
  // Usage details (version 3) of an older entry: prompt + completion as the total, none cached.
  EXPECT_EQ((*b)->usage.total_tokens, 123 + 45);
  EXPECT_EQ((*b)->usage.cached_tokens, 0);
  EXPECT_EQ((*b)->usage.reasoning_tokens, 0);
}

TEST(SqliteResponseCacheTest, FirstPutOfAKeyWins) {
  TempDir dir;
  auto cache = OpenOrDie(dir.path() + "/cache.db");
  ASSERT_TRUE(cache->Put("k", Summary("m"), Reply("first")).ok());
  ASSERT_TRUE(cache->Put("k", Summary("m"), Reply("second")).ok());
  EXPECT_EQ((*cache->Get("k"))->content, "first");
  auto stats = cache->Stats();
  EXPECT_EQ(stats->entries, 1);
  EXPECT_EQ(stats->puts, 1);
}

TEST(SqliteResponseCacheTest, StatsPerModelAndClear) {
  TempDir dir;
  const std::string path = dir.path() + "/cache.db";
  auto cache = OpenOrDie(path);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache->Put("a" + std::to_string(i), Summary("alpha"), Reply("x")).ok());
  }
  ASSERT_TRUE(cache->Put("b", Summary("beta"), Reply("y")).ok());
  auto stats = cache->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->entries, 4);
  EXPECT_EQ(stats->entries_per_model.at("alpha"), 3);
  EXPECT_EQ(stats->entries_per_model.at("beta"), 1);
  EXPECT_GT(stats->bytes, 0);
  const std::string text = RenderCacheStats(*stats, path);
  EXPECT_NE(text.find(path), std::string::npos);
  EXPECT_NE(text.find("alpha"), std::string::npos);
  EXPECT_NE(text.find("entries: 4"), std::string::npos);

  auto removed = cache->Clear();
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(*removed, 4);
  EXPECT_EQ(cache->Stats()->entries, 0);
  EXPECT_FALSE(cache->Get("b")->has_value());
  ASSERT_TRUE(cache->Put("b", Summary("beta"), Reply("again")).ok());
  EXPECT_EQ((*cache->Get("b"))->content, "again");
}

TEST(SqliteResponseCacheTest, ConcurrentPutsFromThreadsIncludingTheSameKey) {
  TempDir dir;
  auto cache = OpenOrDie(dir.path() + "/cache.db");
  constexpr int kThreads = 8, kKeys = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kKeys; ++k) {
        // Every thread writes every key: heavy same-key contention.
        std::string key = "key" + std::to_string(k);
        if (!cache->Put(key, Summary("m"), Reply(key)).ok()) failures.fetch_add(1);
        auto got = cache->Get(key);
        if (!got.ok() || !got->has_value() || (**got).content != key) failures.fetch_add(1);
      }
      (void)t;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto stats = cache->Stats();
  EXPECT_EQ(stats->entries, kKeys);
  EXPECT_EQ(stats->puts, kKeys);
}

TEST(SqliteResponseCacheTest, TwoConnectionsLikeTwoProcessesShareEntries) {
  TempDir dir;
  const std::string path = dir.path() + "/cache.db";
  // Two independently opened caches: separate SQLite connections, as two runs would have.
  auto a = OpenOrDie(path);
  auto b = OpenOrDie(path);
  constexpr int kKeys = 60;
  std::atomic<int> failures{0};
  auto writer = [&](SqliteResponseCache* cache, int parity) {
    for (int k = 0; k < kKeys; ++k) {
      // Both write the even keys; each writes its own odd ones.
      if (k % 2 == 1 && (k / 2) % 2 != parity) continue;
      std::string key = "k" + std::to_string(k);
      if (!cache->Put(key, Summary("m"), Reply(key)).ok()) failures.fetch_add(1);
    }
  };
  std::thread ta(writer, a.get(), 0), tb(writer, b.get(), 1);
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  for (int k = 0; k < kKeys; ++k) {
    std::string key = "k" + std::to_string(k);
    auto from_a = a->Get(key);
    auto from_b = b->Get(key);
    ASSERT_TRUE(from_a.ok() && from_b.ok());
    ASSERT_TRUE(from_a->has_value()) << key;
    ASSERT_TRUE(from_b->has_value()) << key;
    EXPECT_EQ((**from_a).content, key);
  }
  EXPECT_EQ(a->Stats()->puts + b->Stats()->puts, kKeys);
  EXPECT_EQ(b->Stats()->entries, kKeys);
}

// Regression: concurrent first opens used to fail about 1 run in 3 with a lock error while another
// connection was creating the file or switching it to WAL; Open() now retries that phase.
TEST(SqliteResponseCacheTest, SimultaneousFirstOpensOfOneFileAllSucceed) {
  TempDir dir;
  for (int round = 0; round < 20; ++round) {
    const std::string path = dir.path() + "/fresh" + std::to_string(round) + ".db";
    constexpr int kOpeners = 4;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kOpeners; ++i) {
      threads.emplace_back([&, i] {
        auto cache = SqliteResponseCache::Open(path);
        if (!cache.ok()) {
          ADD_FAILURE() << "open: " << cache.error().ToString();
          failures.fetch_add(1);
          return;
        }
        Status put = (*cache)->Put("k" + std::to_string(i), Summary("m"), Reply("x"));
        if (!put.ok()) {
          ADD_FAILURE() << "put: " << put.error().ToString();
          failures.fetch_add(1);
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0) << "round " << round;
    EXPECT_EQ(OpenOrDie(path)->Stats()->entries, kOpeners);
  }
}

TEST(SqliteResponseCacheTest, OpenInWorkspaceCreatesTheStateFolder) {
  TempDir dir;
  Workspace ws(std::filesystem::path(dir.path()) / "project");
  auto cache = SqliteResponseCache::OpenInWorkspace(ws);
  ASSERT_TRUE(cache.ok()) << cache.error().ToString();
  EXPECT_EQ((*cache)->path(), ws.CachePath().string());
  EXPECT_TRUE(std::filesystem::exists(ws.CachePath()));
}

}  // namespace
}  // namespace judgeopt::store
