// The whole client stack against the loopback server: BudgetClient -> CachingClient (SQLite) ->
// RetryingClient -> OpenAiClient -> CurlTransport -> SimServer with injected faults. Backoff waits
// go to a fake clock; only stalls (past a short client timeout) take real time.

#include <gtest/gtest.h>

#include "cpp/data/temp_dir.h"
#include "fakes/cache_fake_client.h"
#include "fakes/fake_clock.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/io/curl_transport.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/openai_client.h"
#include "judgeopt/store/response_cache.h"

namespace judgeopt::io {
namespace {

using testing_util::CountingClient;

constexpr int kRequests = 120;

llm::ChatRequest Request(int i) {
  llm::ChatRequest r = testing_util::MakeTestRequest("example " + std::to_string(i), "sim-model");
  r.seed = 7;
  return r;
}

struct Pass {
  std::vector<Result<llm::ChatResponse>> results;
  llm::LedgerSnapshot ledger;
};

// One "command": a fresh stack over the shared cache file, all requests in one concurrent wave.
Pass RunPass(const std::string& base_url, const std::string& cache_path) {
  fakes::FakeClock clock;
  llm::EndpointPool pool(&clock);
  CurlTransport transport;
  auto no_env = [](const std::string&) { return std::optional<std::string>(); };
  llm::RoleConfig role = llm::DefaultRoleConfig(llm::Role::kJudge, no_env);
  role.backend = llm::Backend::kOpenAi;
  role.model = "sim-model";
  role.timeout_s = 0.5;  // a stalled request times out and is retried
  role.retry.max_attempts = 12;
  role.endpoints = {llm::EndpointConfig{base_url, "JUDGEOPT_STACK_TEST_NO_KEY", 8}};
  auto http =
      llm::MakeHttpRoleClient(role, llm::Role::kJudge, &pool, &transport, &clock, 1, no_env);
  EXPECT_TRUE(http.ok()) << http.error().ToString();
  auto opened = store::SqliteResponseCache::Open(cache_path);
  EXPECT_TRUE(opened.ok()) << opened.error().ToString();
  std::shared_ptr<llm::ResponseCache> cache = std::move(opened).value();
  auto caching = std::make_unique<llm::CachingClient>(std::move(http).value(), cache,
                                                      llm::CachingClient::Options{"openai", false});
  auto ledger = std::make_shared<llm::Ledger>();
  llm::BudgetClient client(
      std::move(caching), ledger,
      {"openai " + base_url, std::make_shared<llm::ReplayClient>(cache, "openai")});
  Pass pass;
  pass.results.assign(kRequests, Error(ErrorCode::kInternal, "unset"));
  WorkPool workers(8);
  workers.ParallelFor(kRequests, [&](std::size_t i) {
    pass.results[i] = client.Complete(Request(static_cast<int>(i)));
  });
  pass.ledger = ledger->Snapshot();
  return pass;
}

TEST(SimServerStackTest, CompletesUnderTenPercentFaultsThenRerunsFromTheCache) {
  data::testing::TempDir dir;
  const std::string cache_path = dir.path() + "/cache.db";
  CountingClient inner;
  SimServerOptions options;
  options.fail_rate = 0.1;
  options.malformed_rate = 0.05;
  options.retry_after_s = 1.0;  // honoured on the fake clock: costs no real time
  options.stall_ms = 60000;
  options.seed = 3;
  SimServer server(&inner, options);
  ASSERT_TRUE(server.Start().ok());

  Pass first = RunPass(server.base_url(), cache_path);
  for (int i = 0; i < kRequests; ++i) {
    const auto& r = first.results[i];
    ASSERT_TRUE(r.ok()) << i << ": " << r.error().ToString();
    EXPECT_EQ(r->content, CountingClient::DefaultReply(Request(i)).content);
    EXPECT_FALSE(r->cache_hit);
    EXPECT_TRUE(r->simulated) << "the server's header marks every reply";
    EXPECT_EQ(r->model, "judgeopt-sim/sim-model");
  }
  const SimServerStats after_first = server.Stats();
  EXPECT_GT(after_first.chat_requests, kRequests) << "faults must have forced retries";
  EXPECT_FALSE(after_first.faults.empty());
  EXPECT_EQ(first.ledger.total.calls, kRequests);
  EXPECT_EQ(first.ledger.total.cache_hits, 0);
  EXPECT_EQ(first.ledger.by_role.at("judge").simulated, kRequests);

  Pass second = RunPass(server.base_url(), cache_path);
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(second.results[i].ok());
    EXPECT_TRUE(second.results[i]->cache_hit);
    EXPECT_TRUE(second.results[i]->simulated) << "the cache keeps the flag";
    EXPECT_EQ(second.results[i]->content, first.results[i]->content);
  }
  EXPECT_EQ(server.Stats().chat_requests, after_first.chat_requests) << "a rerun sends nothing";
  EXPECT_EQ(second.ledger.total.calls, 0);
  EXPECT_EQ(second.ledger.total.cache_hits, kRequests);
  EXPECT_EQ(second.ledger.by_role.at("judge").simulated, kRequests);
}

}  // namespace
}  // namespace judgeopt::io
