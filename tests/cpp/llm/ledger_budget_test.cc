#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fakes/cache_fake_client.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/ledger.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

// $0.001 per token either way, so dollars are easy to reason about.
PriceMap MilliPrices() {
  PriceMap p;
  p["m1"] = ModelPrice{1000.0, 1000.0};
  return p;
}

// A client whose reported usage equals the ledger's projection exactly (prompt estimate and the
// whole max_tokens), so spending is a known multiple of the projected cost.
Result<ChatResponse> ExactUsage(const ChatRequest& r) {
  ChatResponse resp = CountingClient::DefaultReply(r);
  resp.usage.prompt_tokens = ApproxPromptTokens(r);
  resp.usage.completion_tokens = r.max_tokens;
  return resp;
}

std::vector<Result<ChatResponse>> RunConcurrently(LlmClient& client, int n) {
  std::vector<Result<ChatResponse>> out(n, Error(ErrorCode::kInternal, "unset"));
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ChatRequest r = MakeTestRequest("item " + std::to_string(i % 10), "m1");  // same size
      r.sample_index = i;
      r.max_tokens = 10;
      out[i] = client.Complete(r);
    });
  }
  for (auto& t : threads) t.join();
  return out;
}

int CountCode(const std::vector<Result<ChatResponse>>& results, ErrorCode code) {
  int n = 0;
  for (const auto& r : results) n += (!r.ok() && r.error().code == code) ? 1 : 0;
  return n;
}

// A BudgetClient straight over a CountingClient, with the fake kept visible.
struct Gate {
  std::shared_ptr<Ledger> ledger;
  CountingClient* fake = nullptr;
  std::unique_ptr<BudgetClient> client;
};

Gate MakeGate(Budget budget, CountingClient::Script script = nullptr, std::string endpoint = "ep") {
  Gate g;
  g.ledger = std::make_shared<Ledger>(MilliPrices(), budget);
  auto fake = std::make_unique<CountingClient>(std::move(script));
  g.fake = fake.get();
  g.client = std::make_unique<BudgetClient>(std::move(fake), g.ledger,
                                            BudgetClient::Options{std::move(endpoint), nullptr});
  return g;
}

TEST(BudgetClientTest, MaxCallsHoldsUnderConcurrentCallers) {
  Gate g = MakeGate(Budget{std::nullopt, 5});
  auto results = RunConcurrently(*g.client, 24);
  EXPECT_EQ(g.fake->calls(), 5);
  EXPECT_EQ(CountCode(results, ErrorCode::kBudgetExceeded), 19);
  LedgerSnapshot s = g.ledger->Snapshot();
  EXPECT_EQ(s.total.calls, 5);
  EXPECT_EQ(s.total.refused, 19);
}

TEST(BudgetClientTest, MaxUsdHoldsUnderConcurrentCallers) {
  ChatRequest probe = MakeTestRequest("item 0", "m1");
  probe.max_tokens = 10;
  const double per_call = Ledger(MilliPrices()).ProjectedUsd(probe);
  ASSERT_GT(per_call, 0.0);
  const double max_usd = 7.5 * per_call;  // room for exactly 7 calls
  Gate g = MakeGate(Budget{max_usd, std::nullopt}, ExactUsage);
  auto results = RunConcurrently(*g.client, 32);
  EXPECT_EQ(g.fake->calls(), 7);
  EXPECT_EQ(CountCode(results, ErrorCode::kBudgetExceeded), 25);
  LedgerSnapshot s = g.ledger->Snapshot();
  EXPECT_LE(s.total.usd, max_usd);
  EXPECT_NEAR(s.total.usd, 7 * per_call, 1e-12);
  for (const auto& r : results) {
    if (r.ok()) {
      EXPECT_NEAR(r->cost_usd, per_call, 1e-12);
    }
  }
}

TEST(BudgetClientTest, CheaperRepliesFreeRoomForLaterCallsSequentially) {
  ChatRequest r = MakeTestRequest("x", "m1");
  r.max_tokens = 10;
  const double projected = (ApproxPromptTokens(r) + 10) * 0.001;
  const double actual = (10 + 5) * 0.001;  // CountingClient's default usage
  ASSERT_GT(projected, actual);
  const double max_usd = 0.1;
  Gate g = MakeGate(Budget{max_usd, std::nullopt});
  // Call n is sent while (n - 1) * actual + projected <= max_usd.
  int expected_calls = 0;
  while (expected_calls * actual + projected <= max_usd) ++expected_calls;
  for (int i = 0; i < expected_calls + 3; ++i) {
    r.sample_index = i;
    Result<ChatResponse> out = g.client->Complete(r);
    EXPECT_EQ(out.ok(), i < expected_calls) << "call " << i;
  }
  EXPECT_EQ(g.fake->calls(), expected_calls);
  EXPECT_LE(g.ledger->Snapshot().total.usd, max_usd);
}

TEST(BudgetClientTest, RefusalMessageSaysWhatWasSpentAndHowToContinue) {
  Gate g = MakeGate(Budget{std::nullopt, 1}, nullptr, "openai http://h/v1");
  ChatRequest r = MakeTestRequest("x", "m1");
  ASSERT_TRUE(g.client->Complete(r).ok());
  r.sample_index = 1;
  Result<ChatResponse> refused = g.client->Complete(r);
  ASSERT_FALSE(refused.ok());
  const std::string& msg = refused.error().message;
  EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExceeded);
  for (const char* needle :
       {"not sent", "call 2 of max_calls 1", "Spent so far: 1 calls", "$0.0150", "raise the budget",
        "rerun", "cache", "openai http://h/v1", "judge"}) {
    EXPECT_NE(msg.find(needle), std::string::npos) << needle << " missing from: " << msg;
  }
}

TEST(BudgetClientTest, FailedCallsCountAgainstMaxCalls) {
  Gate g = MakeGate(Budget{std::nullopt, 2}, [](const ChatRequest&) -> Result<ChatResponse> {
    return Error(ErrorCode::kUnavailable, "down");
  });
  ChatRequest r = MakeTestRequest("x", "m1");
  EXPECT_EQ(g.client->Complete(r).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(g.client->Complete(r).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(g.client->Complete(r).error().code, ErrorCode::kBudgetExceeded);
  EXPECT_EQ(g.ledger->Snapshot().total.failed, 2);
  EXPECT_EQ(g.ledger->Snapshot().total.usd, 0.0);
}

struct CachedStack {
  std::shared_ptr<Ledger> ledger;
  std::shared_ptr<ResponseCache> cache;
  CountingClient* fake = nullptr;
  std::unique_ptr<BudgetClient> client;
};

// budget -> cache -> fake, with the free source a ReplayClient over the same cache.
CachedStack MakeCachedStack(Budget budget, std::shared_ptr<ResponseCache> cache, bool free_source) {
  CachedStack s;
  s.ledger = std::make_shared<Ledger>(MilliPrices(), budget);
  s.cache = std::move(cache);
  auto fake = std::make_unique<CountingClient>();
  s.fake = fake.get();
  auto caching = std::make_unique<CachingClient>(std::move(fake), s.cache,
                                                 CachingClient::Options{"openai", false});
  std::shared_ptr<LlmClient> replay;
  if (free_source) replay = std::make_shared<ReplayClient>(s.cache, "openai");
  s.client = std::make_unique<BudgetClient>(std::move(caching), s.ledger,
                                            BudgetClient::Options{"ep", replay});
  return s;
}

TEST(BudgetClientTest, CacheHitsAreFreeAndDoNotCountAgainstMaxCalls) {
  CachedStack s = MakeCachedStack(Budget{std::nullopt, 3}, std::make_shared<MemoryResponseCache>(),
                                  /*free_source=*/false);
  for (const char* text : {"a", "a", "a", "b", "b", "c"}) {
    Result<ChatResponse> r = s.client->Complete(MakeTestRequest(text, "m1"));
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().ToString();
  }
  LedgerSnapshot snap = s.ledger->Snapshot();
  EXPECT_EQ(snap.total.calls, 3);
  EXPECT_EQ(snap.total.cache_hits, 3);
  EXPECT_NEAR(snap.total.saved_usd, 3 * 0.015, 1e-12);
  EXPECT_EQ(s.fake->calls(), 3);
  EXPECT_EQ(s.client->Complete(MakeTestRequest("d", "m1")).error().code,
            ErrorCode::kBudgetExceeded);
}

TEST(BudgetClientTest, RerunContinuesFromTheCacheWithoutNewSpending) {
  auto cache = std::make_shared<MemoryResponseCache>();
  const std::vector<std::string> work = {"p", "q", "r", "s", "t"};
  // First run: budget for 3 calls; the 4th is refused.
  CachedStack first = MakeCachedStack(Budget{std::nullopt, 3}, cache, true);
  int done = 0;
  for (const auto& w : work) {
    if (!first.client->Complete(MakeTestRequest(w, "m1")).ok()) break;
    ++done;
  }
  EXPECT_EQ(done, 3);
  EXPECT_EQ(first.fake->calls(), 3);

  // Rerun with the same budget: the 3 paid replies come from the cache, 2 new calls are paid.
  CachedStack again = MakeCachedStack(Budget{std::nullopt, 3}, cache, true);
  for (const auto& w : work) {
    Result<ChatResponse> r = again.client->Complete(MakeTestRequest(w, "m1"));
    ASSERT_TRUE(r.ok()) << w << ": " << r.error().ToString();
  }
  EXPECT_EQ(again.fake->calls(), 2);
  EXPECT_EQ(again.ledger->Snapshot().total.cache_hits, 3);

  // A third run whose budget is exhausted at once (max_calls 0) still answers from the cache
  // through the free source, and refuses only what was never paid for.
  CachedStack exhausted = MakeCachedStack(Budget{std::nullopt, 0}, cache, true);
  for (const auto& w : work) {
    Result<ChatResponse> r = exhausted.client->Complete(MakeTestRequest(w, "m1"));
    ASSERT_TRUE(r.ok()) << w;
    EXPECT_TRUE(r->cache_hit);
  }
  EXPECT_EQ(exhausted.client->Complete(MakeTestRequest("new", "m1")).error().code,
            ErrorCode::kBudgetExceeded);
  EXPECT_EQ(exhausted.fake->calls(), 0);
  EXPECT_EQ(exhausted.ledger->Snapshot().total.cache_hits, 5);
}

}  // namespace
}  // namespace judgeopt::llm
