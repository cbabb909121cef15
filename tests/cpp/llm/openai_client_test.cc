#include "judgeopt/llm/openai_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeClock;
using fakes::FakeTransport;

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

RoleConfig Role1(std::vector<EndpointConfig> endpoints) {
  RoleConfig rc;
  rc.backend = Backend::kOpenAi;
  rc.model = "m";
  rc.timeout_s = 42;
  rc.connect_timeout_s = 3;
  rc.endpoints = std::move(endpoints);
  return rc;
}

EndpointConfig Ep(std::string url, std::string key_env = "OPENAI_API_KEY") {
  EndpointConfig e;
  e.base_url = std::move(url);
  e.api_key_env = std::move(key_env);
  return e;
}

ChatRequest Hello() {
  ChatRequest r;
  r.model = "m";
  r.messages = {{"user", "hello"}};
  r.max_tokens = 20;
  return r;
}

std::string HeaderValue(const HttpRequest& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k == name) return v;
  }
  return "";
}

struct Fixture {
  FakeClock clock;
  FakeTransport transport{&clock, 0.25};
  EndpointPool pool{&clock};
};

TEST(OpenAiClientTest, SendsTheWireRequestWithKeyAndTimeouts) {
  Fixture f;
  auto client = OpenAiClient::Create(Role1({Ep("http://127.0.0.1:9/v1/")}), &f.pool, &f.transport,
                                     &f.clock, MapEnv({{"OPENAI_API_KEY", "k-123"}}));
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  f.transport.Enqueue(FakeTransport::ChatOk("4"));
  auto reply = (*client)->Complete(Hello());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "4");
  EXPECT_EQ(reply->usage.prompt_tokens, 10);
  EXPECT_EQ(reply->usage.completion_tokens, 5);
  EXPECT_EQ(reply->attempts, 1);
  EXPECT_NEAR(reply->latency_ms, 250.0, 1e-6);

  ASSERT_EQ(f.transport.calls(), 1);
  HttpRequest sent = f.transport.requests()[0];
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(HeaderValue(sent, "Authorization"), "Bearer k-123");
  EXPECT_EQ(HeaderValue(sent, "Content-Type"), "application/json");
  EXPECT_EQ(sent.body, *BuildChatBody(Hello()));
  EXPECT_DOUBLE_EQ(sent.total_timeout_s, 42);
  EXPECT_DOUBLE_EQ(sent.connect_timeout_s, 3);
}

TEST(OpenAiClientTest, NoAuthorizationHeaderWhenTheKeyVariableIsUnset) {
  Fixture f;
  auto client = OpenAiClient::Create(Role1({Ep("http://127.0.0.1:9")}), &f.pool, &f.transport,
                                     &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  f.transport.Enqueue(FakeTransport::ChatOk("ok"));
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  EXPECT_EQ(HeaderValue(f.transport.requests()[0], "Authorization"), "");
}

TEST(OpenAiClientTest, KeyIsReadAtCallTime) {
  Fixture f;
  std::string current = "first";
  EnvLookup env = [&current](const std::string&) -> std::optional<std::string> { return current; };
  auto client =
      OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock, env);
  ASSERT_TRUE(client.ok());
  f.transport.SetHandler([](const HttpRequest&) { return FakeTransport::ChatOk("x"); });
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  current = "second";
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  EXPECT_EQ(HeaderValue(f.transport.requests()[0], "Authorization"), "Bearer first");
  EXPECT_EQ(HeaderValue(f.transport.requests()[1], "Authorization"), "Bearer second");
}

TEST(OpenAiClientTest, Http401NamesUrlAndVariableButNeverTheKey) {
  const char* kVar = "JUDGEOPT_TEST_FAKE_KEY_401";
  const std::string kKey = "sk-test-DO-NOT-LEAK-7f3a9c";
  ASSERT_EQ(setenv(kVar, kKey.c_str(), 1), 0);
  Fixture f;
  auto client = OpenAiClient::Create(Role1({Ep("http://127.0.0.1:9/v1", kVar)}), &f.pool,
                                     &f.transport, &f.clock, ProcessEnv());
  ASSERT_TRUE(client.ok());
  f.transport.Enqueue(
      FakeTransport::Reply(401, R"({"error":{"message":"Incorrect API key provided: )" + kKey +
                                    R"(","code":"invalid_api_key"}})"));
  auto reply = (*client)->Complete(Hello());
  unsetenv(kVar);
  ASSERT_FALSE(reply.ok());
  const std::string text = reply.error().ToString();
  EXPECT_EQ(reply.error().code, ErrorCode::kAuth);
  EXPECT_NE(text.find("http://127.0.0.1:9/v1"), std::string::npos) << text;
  EXPECT_NE(text.find(kVar), std::string::npos) << text;
  EXPECT_EQ(text.find(kKey), std::string::npos) << text;
  EXPECT_EQ(text.find("DO-NOT-LEAK"), std::string::npos) << text;
  EXPECT_EQ(HeaderValue(f.transport.requests()[0], "Authorization"), "Bearer " + kKey);
}

TEST(OpenAiClientTest, TransportAndStatusErrorsPassThroughTyped) {
  Fixture f;
  auto client =
      OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  f.transport.Enqueue(FakeTransport::Failure(ErrorCode::kTimeout, "POST x: timed out"));
  f.transport.Enqueue(FakeTransport::Reply(503, "busy", {{"retry-after", "4"}}));
  f.transport.Enqueue(FakeTransport::Reply(200, R"({"choices":[]})"));
  auto timeout = (*client)->Complete(Hello());
  auto busy = (*client)->Complete(Hello());
  auto malformed = (*client)->Complete(Hello());
  ASSERT_FALSE(timeout.ok() || busy.ok() || malformed.ok());
  EXPECT_EQ(timeout.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(busy.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(busy.error().http_status, 503);
  EXPECT_DOUBLE_EQ(*busy.error().retry_after_s, 4.0);
  EXPECT_TRUE(malformed.error().retryable());
  EXPECT_EQ(f.pool.in_flight(0), 0);  // every slot was given back
}

TEST(OpenAiClientTest, ReplyHeadersPaceTheEndpointsLimiter) {
  Fixture f;
  auto client =
      OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  HttpResponse first = FakeTransport::ChatOk("a");
  first.headers["x-ratelimit-remaining-requests"] = "0";
  first.headers["x-ratelimit-reset-requests"] = "5s";
  f.transport.Enqueue(first);
  f.transport.Enqueue(FakeTransport::Reply(
      429, "{}", {{"retry-after", "7"}, {"x-ratelimit-remaining-tokens", "0"},
                  {"x-ratelimit-reset-tokens", "9s"}}));
  f.transport.Enqueue(FakeTransport::ChatOk("c"));
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  EXPECT_TRUE(f.clock.sleeps().empty());
  EXPECT_FALSE((*client)->Complete(Hello()).ok());  // waited for the reset, then got a 429
  ASSERT_TRUE((*client)->Complete(Hello()).ok());   // waited for the 429's token reset
  std::vector<double> sleeps = f.clock.sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  // Waits count from when each reply arrived, which is when its headers were read.
  EXPECT_NEAR(sleeps[0], 5.0, 1e-9);
  EXPECT_NEAR(sleeps[1], 9.0, 1e-9);
}

// A 429's retry-after is the wait before resending that request (RetryingClient's business); the
// endpoint's next request, another call's, goes at once. Before issue 15 it waited 7 s.
TEST(OpenAiClientTest, RetryAfterOfOneCallDoesNotHoldTheNextCall) {
  Fixture f;
  auto client =
      OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  f.transport.Enqueue(FakeTransport::Reply(429, "{}", {{"retry-after", "7"}}));
  f.transport.Enqueue(FakeTransport::ChatOk("b"));
  auto refused = (*client)->Complete(Hello());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().retry_after_s, 7.0);  // handed to the caller's retry
  EXPECT_LE(f.pool.endpoint(0).limiter().ReadyAt(), f.clock.NowSeconds());
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  EXPECT_TRUE(f.clock.sleeps().empty());
}

// The server saying the key's budget is spent (remaining 0) holds every call until its reset, and
// a 429's retry-after stands in for a reset the server did not send.
TEST(OpenAiClientTest, SpentBudgetWithRetryAfterHoldsEveryCall) {
  Fixture f;
  auto client =
      OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  f.transport.Enqueue(FakeTransport::Reply(
      429, "{}", {{"retry-after", "7"}, {"x-ratelimit-remaining-requests", "0"}}));
  f.transport.SetHandler([](const HttpRequest&) { return FakeTransport::ChatOk("x"); });
  ASSERT_FALSE((*client)->Complete(Hello()).ok());
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  ASSERT_EQ(f.clock.sleeps().size(), 1u);
  EXPECT_NEAR(f.clock.sleeps()[0], 7.0, 1e-9);
  ASSERT_TRUE((*client)->Complete(Hello()).ok());  // the window rolled over: no further wait
  EXPECT_EQ(f.clock.sleeps().size(), 1u);
}

TEST(OpenAiClientTest, RpmLimitSpacesCalls) {
  Fixture f;
  EndpointConfig ep = Ep("http://h:1");
  ep.rpm = 60;
  auto client = OpenAiClient::Create(Role1({ep}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  f.transport.SetHandler([](const HttpRequest&) { return FakeTransport::ChatOk("x"); });
  for (int i = 0; i < 4; ++i) ASSERT_TRUE((*client)->Complete(Hello()).ok());
  EXPECT_NEAR(f.clock.total_slept(), 3 * (1.0 - 0.25), 1e-9);
}

TEST(OpenAiClientTest, RoundRobinAlternatesEndpointsAndKeys) {
  Fixture f;
  RoleConfig rc = Role1({Ep("http://a:1", "KEY_A"), Ep("http://b:1", "KEY_B")});
  auto client = OpenAiClient::Create(rc, &f.pool, &f.transport, &f.clock,
                                     MapEnv({{"KEY_A", "ka"}, {"KEY_B", "kb"}}));
  ASSERT_TRUE(client.ok());
  f.transport.SetHandler([](const HttpRequest&) { return FakeTransport::ChatOk("x"); });
  for (int i = 0; i < 4; ++i) ASSERT_TRUE((*client)->Complete(Hello()).ok());
  auto sent = f.transport.requests();
  ASSERT_EQ(sent.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    bool even = i % 2 == 0;
    EXPECT_EQ(sent[i].url,
              even ? "http://a:1/v1/chat/completions" : "http://b:1/v1/chat/completions");
    EXPECT_EQ(HeaderValue(sent[i], "Authorization"), even ? "Bearer ka" : "Bearer kb");
  }
}

TEST(OpenAiClientTest, ConcurrencyIsBoundedPerEndpoint) {
  Fixture f;
  EndpointConfig ep = Ep("http://h:1");
  ep.max_concurrency = 3;
  auto client = OpenAiClient::Create(Role1({ep}), &f.pool, &f.transport, &f.clock, MapEnv({}));
  ASSERT_TRUE(client.ok());
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0, peak = 0;
  f.transport.SetHandler([&](const HttpRequest&) {
    std::unique_lock<std::mutex> lock(mu);
    peak = std::max(peak, ++in_flight);
    cv.notify_all();
    // Hold the slot until the bound is reached (or a generous timeout, so a bug cannot hang).
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return peak >= 3; });
    --in_flight;
    return FakeTransport::ChatOk("x");
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) ok += (*client)->Complete(Hello()).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 24);
  EXPECT_EQ(peak, 3);
  EXPECT_EQ(f.pool.in_flight(0), 0);
}

TEST(OpenAiClientTest, HttpRoleClientRetriesAndValidates) {
  Fixture f;
  RoleConfig rc = Role1({Ep("http://h:1")});
  rc.retry = {3, 0.5, 4.0};
  auto client =
      MakeHttpRoleClient(rc, Role::kJudge, &f.pool, &f.transport, &f.clock, 1, MapEnv({}));
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  f.transport.Enqueue(FakeTransport::Reply(500, "oops"));
  f.transport.Enqueue(FakeTransport::ChatOk("fine"));
  auto reply = (*client)->Complete(Hello());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->attempts, 2);
  EXPECT_EQ(reply->content, "fine");

  rc.model.clear();
  auto invalid = MakeHttpRoleClient(rc, Role::kLoss, &f.pool, &f.transport, &f.clock, 1);
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("llm.loss.model"), std::string::npos);
}

TEST(OpenAiClientTest, TheSimulatedHeaderMarksTheReply) {
  Fixture f;
  auto client = OpenAiClient::Create(Role1({Ep("http://h:1")}), &f.pool, &f.transport, &f.clock,
                                     MapEnv({}));
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  HttpResponse marked = FakeTransport::ChatOk("3");
  marked.headers["x-judgeopt-simulated"] = "true";
  f.transport.Enqueue(marked);
  f.transport.Enqueue(FakeTransport::ChatOk("3"));
  auto sim = (*client)->Complete(Hello());
  auto real = (*client)->Complete(Hello());
  ASSERT_TRUE(sim.ok() && real.ok());
  EXPECT_TRUE(sim->simulated);
  EXPECT_FALSE(real->simulated);
}

TEST(OpenAiClientTest, SimulatedHeaderNamesAndValuesAreCaseInsensitive) {
  EXPECT_TRUE(MarkedSimulated({{"X-Judgeopt-Simulated", "true"}}));
  EXPECT_TRUE(MarkedSimulated({{"x-JUDGEOPT-simulated", " TRUE "}}));
  EXPECT_TRUE(MarkedSimulated({{"x-judgeopt-simulated", "1"}}));
  EXPECT_FALSE(MarkedSimulated({{"x-judgeopt-simulated", "false"}}));
  EXPECT_FALSE(MarkedSimulated({{"x-judgeopt-simulated", ""}}));
  EXPECT_FALSE(MarkedSimulated({{"x-simulated", "true"}}));
  EXPECT_FALSE(MarkedSimulated({}));
}

}  // namespace
}  // namespace judgeopt::llm
