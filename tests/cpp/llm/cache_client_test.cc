#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "cpp/data/temp_dir.h"
#include "fakes/cache_fake_client.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/store/response_cache.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

struct Stack {
  CountingClient* fake = nullptr;
  std::shared_ptr<ResponseCache> cache;
  std::unique_ptr<CachingClient> client;
};

Stack MakeStack(std::shared_ptr<ResponseCache> cache, bool bypass = false,
                CountingClient::Script script = nullptr) {
  Stack s;
  auto fake = std::make_unique<CountingClient>(std::move(script));
  s.fake = fake.get();
  s.cache = std::move(cache);
  s.client = std::make_unique<CachingClient>(std::move(fake), s.cache,
                                             CachingClient::Options{"openai", bypass});
  return s;
}

TEST(CachingClientTest, MissCallsInnerThenHitAnswersFromCache) {
  Stack s = MakeStack(std::make_shared<MemoryResponseCache>());
  ChatRequest req = MakeTestRequest("rate this");

  Result<ChatResponse> first = s.client->Complete(req);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->cache_hit);
  EXPECT_EQ(first->content, "echo:rate this#0");
  EXPECT_EQ(s.fake->calls(), 1);

  Result<ChatResponse> second = s.client->Complete(req);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(second->content, first->content);
  EXPECT_EQ(second->usage.prompt_tokens, 10);
  EXPECT_EQ(second->attempts, 0);
  EXPECT_EQ(second->cost_usd, 0.0);
  EXPECT_EQ(s.fake->calls(), 1) << "a hit makes no new call";

  ChatRequest other_sample = req;
  other_sample.sample_index = 1;
  ASSERT_TRUE(s.client->Complete(other_sample).ok());
  EXPECT_EQ(s.fake->calls(), 2);

  ChatRequest relabelled = req;
  relabelled.role = Role::kLoss;
  relabelled.tag = "elsewhere";
  Result<ChatResponse> third = s.client->Complete(relabelled);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->cache_hit);
  EXPECT_EQ(s.fake->calls(), 2);

  Result<CacheStats> stats = s.cache->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->hits, 2);
  EXPECT_EQ(stats->misses, 2);
  EXPECT_EQ(stats->entries, 2);
}

TEST(CachingClientTest, ErrorsAreNeverCached) {
  int n = 0;
  Stack s = MakeStack(std::make_shared<MemoryResponseCache>(), false,
                      [&n](const ChatRequest& r) -> Result<ChatResponse> {
                        ++n;
                        if (n == 1) return Error(ErrorCode::kUnavailable, "server on fire");
                        return CountingClient::DefaultReply(r);
                      });
  ChatRequest req = MakeTestRequest("x");
  Result<ChatResponse> failed = s.client->Complete(req);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  Result<ChatResponse> good = s.client->Complete(req);
  ASSERT_TRUE(good.ok());
  EXPECT_FALSE(good->cache_hit);
  EXPECT_EQ(s.fake->calls(), 2);
  Result<ChatResponse> hit = s.client->Complete(req);
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_EQ(s.fake->calls(), 2);
}

// An empty, cut-off or filtered reply is the model's answer: kept with its finish_reason, so a
// rerun pays nothing and meets the same outcome (never a good reply in its place).
TEST(CachingClientTest, EmptyCutOffAndFilteredRepliesReplayAsWhatTheyWere) {
  struct Case {
    const char* text;
    const char* finish;
  };
  for (const Case c : {Case{"", "stop"}, Case{"{\"a\": ", "length"},
                       Case{"partial", "content_filter"}}) {
    Stack s = MakeStack(std::make_shared<MemoryResponseCache>(), false,
                        [c](const ChatRequest& r) -> Result<ChatResponse> {
                          ChatResponse resp = CountingClient::DefaultReply(r);
                          resp.content = c.text;
                          resp.finish_reason = c.finish;
                          return resp;
                        });
    ChatRequest req = MakeTestRequest("x");
    ASSERT_TRUE(s.client->Complete(req).ok());
    Result<ChatResponse> again = s.client->Complete(req);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->cache_hit) << c.finish;
    EXPECT_EQ(again->content, c.text);
    EXPECT_EQ(again->finish_reason, c.finish);
    EXPECT_EQ(s.fake->calls(), 1);
    ChatRequest longer = req;  // raising max_tokens is a new request
    longer.max_tokens += 100;
    ASSERT_TRUE(s.client->Complete(longer).ok());
    EXPECT_EQ(s.fake->calls(), 2);
  }
}

TEST(CachingClientTest, BypassNeitherReadsNorWrites) {
  auto cache = std::make_shared<MemoryResponseCache>();
  Stack filler = MakeStack(cache);
  ASSERT_TRUE(filler.client->Complete(MakeTestRequest("a")).ok());

  Stack s = MakeStack(cache, /*bypass=*/true);
  Result<ChatResponse> r = s.client->Complete(MakeTestRequest("a"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->cache_hit);
  ASSERT_TRUE(s.client->Complete(MakeTestRequest("b")).ok());
  EXPECT_EQ(s.fake->calls(), 2);
  EXPECT_EQ(cache->Stats()->entries, 1) << "bypass must not write";
}

TEST(CachingClientTest, ConcurrentIdenticalRequestsCostOneCall) {
  Stack s = MakeStack(std::make_shared<MemoryResponseCache>());
  constexpr int kThreads = 16;
  std::vector<Result<ChatResponse>> results(kThreads, Error(ErrorCode::kInternal, "unset"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = s.client->Complete(MakeTestRequest("same")); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(s.fake->calls(), 1);
  int paid = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->content, "echo:same#0");
    paid += r->cache_hit ? 0 : 1;
  }
  EXPECT_EQ(paid, 1);
}

TEST(CachingClientTest, ConcurrentDistinctRequestsOnSqliteCacheAllStored) {
  data::testing::TempDir dir;
  auto opened = store::SqliteResponseCache::Open(dir.path() + "/cache.db");
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  std::shared_ptr<ResponseCache> cache = std::move(opened).value();
  Stack s = MakeStack(cache);
  constexpr int kThreads = 8, kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every request twice: half of them are hits or in-flight joins.
        ChatRequest r = MakeTestRequest("item " + std::to_string((t * kPerThread + i) / 2));
        if (!s.client->Complete(r).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(s.fake->calls(), kThreads * kPerThread / 2);
  EXPECT_EQ(cache->Stats()->entries, kThreads * kPerThread / 2);
}

}  // namespace
}  // namespace judgeopt::llm
