#include "judgeopt/llm/retry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <mutex>

#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "judgeopt/llm/openai_client.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeClock;
using fakes::FakeTransport;

/// Answers from a script of results (the last one repeats); counts calls. Thread-safe.
class ScriptedClient final : public LlmClient {
 public:
  explicit ScriptedClient(std::deque<Result<ChatResponse>> script) : script_(std::move(script)) {}
  Result<ChatResponse> Complete(const ChatRequest&) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    Result<ChatResponse> next = script_.front();
    if (script_.size() > 1) script_.pop_front();
    return next;
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::deque<Result<ChatResponse>> script_;
  int calls_ = 0;
};

ChatResponse Ok(std::string content) {
  ChatResponse r;
  r.content = std::move(content);
  return r;
}

Error Fail(ErrorCode code, std::optional<double> retry_after = std::nullopt) {
  Error e(code, "scripted failure");
  e.retry_after_s = retry_after;
  return e;
}

ChatRequest Req(std::string text = "hello") {
  ChatRequest r;
  r.model = "m";
  r.messages = {{"user", std::move(text)}};
  return r;
}

struct Harness {
  FakeClock clock;
  ScriptedClient* inner = nullptr;
  std::unique_ptr<RetryingClient> client;
  Harness(std::deque<Result<ChatResponse>> script, RetryPolicy policy, uint64_t seed = 7) {
    auto scripted = std::make_unique<ScriptedClient>(std::move(script));
    inner = scripted.get();
    client = std::make_unique<RetryingClient>(std::move(scripted), policy, &clock, seed);
  }
};

TEST(BackoffTest, CapDoublesUpToTheMaximum) {
  RetryPolicy p{10, 0.5, 5.0};
  const double caps[] = {0.5, 1, 2, 4, 5, 5, 5};
  for (int retry = 1; retry <= 7; ++retry) {
    EXPECT_DOUBLE_EQ(BackoffSeconds(p, retry, 0.0, std::nullopt), 0.0);
    EXPECT_DOUBLE_EQ(BackoffSeconds(p, retry, 0.5, std::nullopt), caps[retry - 1] / 2);
    EXPECT_LT(BackoffSeconds(p, retry, 0.999999, std::nullopt), caps[retry - 1]);
  }
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 1000, 0.5, std::nullopt), 2.5);  // no overflow
}

TEST(BackoffTest, RetryAfterIsAFloor) {
  RetryPolicy p{10, 1.0, 60.0};
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 1, 0.1, 30.0), 30.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 6, 0.9, 2.0), 0.9 * 32.0);  // jitter already longer
}

TEST(RetryingClientTest, SucceedsAfterRetryableFailuresAndReportsAttempts) {
  Harness h({Fail(ErrorCode::kUnavailable), Fail(ErrorCode::kTimeout), Ok("done")}, {5, 1.0, 8.0});
  auto r = h.client->Complete(Req());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->content, "done");
  EXPECT_EQ(r->attempts, 3);
  EXPECT_EQ(h.inner->calls(), 3);
  ASSERT_EQ(h.clock.sleeps().size(), 2u);
}

TEST(RetryingClientTest, JitteredSleepsStayWithinTheCaps) {
  RetryPolicy policy{8, 1.0, 10.0};
  Harness h({Fail(ErrorCode::kRateLimited)}, policy);
  auto r = h.client->Complete(Req());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(h.inner->calls(), 8);
  std::vector<double> sleeps = h.clock.sleeps();
  ASSERT_EQ(sleeps.size(), 7u);
  double sum = 0;
  for (std::size_t k = 0; k < sleeps.size(); ++k) {
    double cap = std::min(10.0, std::ldexp(1.0, static_cast<int>(k)));
    EXPECT_GE(sleeps[k], 0.0);
    EXPECT_LE(sleeps[k], cap) << "retry " << k + 1;
    sum += sleeps[k];
  }
  EXPECT_GT(sum, 0.0);  // full jitter, but not all zero
  EXPECT_NE(r.error().message.find("gave up after 8 attempts"), std::string::npos);
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
}

TEST(RetryingClientTest, SameSeedAndRequestGiveTheSameSchedule) {
  RetryPolicy policy{6, 1.0, 30.0};
  Harness a({Fail(ErrorCode::kUnavailable)}, policy, /*seed=*/42);
  Harness b({Fail(ErrorCode::kUnavailable)}, policy, /*seed=*/42);
  Harness c({Fail(ErrorCode::kUnavailable)}, policy, /*seed=*/43);
  Harness d({Fail(ErrorCode::kUnavailable)}, policy, /*seed=*/42);
  (void)a.client->Complete(Req());
  (void)b.client->Complete(Req());
  (void)c.client->Complete(Req());
  (void)d.client->Complete(Req("another prompt"));
  EXPECT_EQ(a.clock.sleeps(), b.clock.sleeps());
  EXPECT_NE(a.clock.sleeps(), c.clock.sleeps());
  EXPECT_NE(a.clock.sleeps(), d.clock.sleeps());
}

TEST(RetryingClientTest, JitterUnitIsUniformEnough) {
  RetryingClient client(std::make_unique<ScriptedClient>(std::deque<Result<ChatResponse>>{Ok("")}),
                        {}, nullptr, 1);
  double sum = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    double u = client.JitterUnit(static_cast<uint64_t>(i), 1);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.03);
}

TEST(RetryingClientTest, RetryAfterIsHonoured) {
  Harness h({Fail(ErrorCode::kRateLimited, 30.0), Ok("x")}, {5, 0.1, 1.0});
  auto r = h.client->Complete(Req());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_GE(h.clock.sleeps()[0], 30.0);
}

TEST(RetryingClientTest, NonRetryableErrorsFailAtOnce) {
  for (ErrorCode code : {ErrorCode::kBadRequest, ErrorCode::kAuth, ErrorCode::kInvalidArgument,
                         ErrorCode::kBudgetExceeded, ErrorCode::kParse, ErrorCode::kNotFound}) {
    Harness h({Fail(code), Ok("never")}, {6, 1.0, 10.0});
    auto r = h.client->Complete(Req());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(h.inner->calls(), 1);
    EXPECT_TRUE(h.clock.sleeps().empty());
  }
}

TEST(RetryingClientTest, OneAttemptPolicyNeverRetries) {
  Harness h({Fail(ErrorCode::kUnavailable), Ok("x")}, {1, 1.0, 10.0});
  EXPECT_FALSE(h.client->Complete(Req()).ok());
  EXPECT_EQ(h.inner->calls(), 1);
}

// A judge role's HTTP client (retries: 3 attempts, 0.5 s base, 2 s cap) over a fake transport
// and clock.
struct WireClient {
  FakeClock clock;
  FakeTransport transport{&clock, 0.05};  // 50 ms on the wire per request
  EndpointPool pool{&clock};
  Result<std::unique_ptr<LlmClient>> client = Make();

  Result<std::unique_ptr<LlmClient>> Make() {
    RoleConfig rc;
    rc.model = "m";
    EndpointConfig ep;
    ep.base_url = "http://h:1";
    rc.endpoints = {ep};
    rc.retry = {3, 0.5, 2.0};
    return MakeHttpRoleClient(rc, Role::kJudge, &pool, &transport, &clock, 9,
                              [](const std::string&) { return std::nullopt; });
  }
};

// The same behaviour end to end over the wire format: every retryable HTTP outcome is retried,
// the others are not.
TEST(RetryingClientTest, HttpOutcomesOverTheWire) {
  struct Case {
    Result<HttpResponse> reply;
    bool retried;
  };
  std::vector<Case> cases = {
      {FakeTransport::Reply(408, ""), true},
      {FakeTransport::Reply(409, ""), true},
      {FakeTransport::Reply(429, "", {{"retry-after", "1"}}), true},
      {FakeTransport::Reply(500, ""), true},
      {FakeTransport::Reply(502, ""), true},
      {FakeTransport::Reply(503, ""), true},
      {FakeTransport::Failure(ErrorCode::kTimeout, "timed out"), true},
      {FakeTransport::Failure(ErrorCode::kUnavailable, "connection refused"), true},
      {FakeTransport::Reply(200, "{truncated"), true},
      {FakeTransport::Reply(400, ""), false},
      {FakeTransport::Reply(401, ""), false},
      {FakeTransport::Reply(403, ""), false},
      {FakeTransport::Reply(404, ""), false},
      {FakeTransport::Reply(422, ""), false},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    WireClient w;
    ASSERT_TRUE(w.client.ok());
    w.transport.Enqueue(cases[i].reply);
    w.transport.Enqueue(FakeTransport::ChatOk("fine"));
    auto r = (*w.client)->Complete(Req());
    EXPECT_EQ(r.ok(), cases[i].retried) << "case " << i;
    EXPECT_EQ(w.transport.calls(), cases[i].retried ? 2 : 1) << "case " << i;
    if (r.ok()) {
      EXPECT_EQ(r->attempts, 2) << "case " << i;
    }
  }
}

// An empty reply is the model's answer, not a transport fault: it reaches the caller after one
// request, where the judge re-asks and the other roles fall back (resending it unchanged would get
// the same reply from a server that honours seeds).
TEST(RetryingClientTest, EmptyContentReachesTheCallerAfterOneRequest) {
  WireClient w;
  ASSERT_TRUE(w.client.ok());
  w.transport.Enqueue(FakeTransport::Reply(
      200, R"({"choices":[{"message":{"content":""},"finish_reason":"stop"}]})"));
  w.transport.Enqueue(FakeTransport::ChatOk("fine"));
  auto r = (*w.client)->Complete(Req());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->content, "");
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(w.transport.calls(), 1);
  EXPECT_TRUE(w.clock.sleeps().empty());  // no backoff
}

// A call's retry wait is its own: call_ms counts the failed attempt and the retry-after it
// waited out, latency_ms only the successful attempt.
TEST(RetryingClientTest, CallTimeCountsTheCallsOwnRetryWait) {
  WireClient w;
  ASSERT_TRUE(w.client.ok());
  w.transport.Enqueue(FakeTransport::Reply(429, "", {{"retry-after", "1"}}));
  w.transport.Enqueue(FakeTransport::ChatOk("fine"));
  auto r = (*w.client)->Complete(Req());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attempts, 2);
  EXPECT_EQ(w.clock.sleeps(), std::vector<double>{1.0});  // the retry-after, nothing more
  EXPECT_NEAR(r->latency_ms, 50.0, 1e-6);
  EXPECT_NEAR(r->call_ms, 50.0 + 1000.0 + 50.0, 1e-6);
}

TEST(RetryingClientTest, CallTimeOfAFirstTrySuccessIsItsLatency) {
  WireClient w;
  ASSERT_TRUE(w.client.ok());
  w.transport.Enqueue(FakeTransport::ChatOk("fine"));
  auto r = (*w.client)->Complete(Req());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_NEAR(r->call_ms, 50.0, 1e-6);
  EXPECT_EQ(r->call_ms, r->latency_ms);
}

TEST(RequestFingerprintTest, EverySentFieldChangesIt) {
  ChatRequest base = Req();
  uint64_t f0 = RequestFingerprint(base);
  EXPECT_EQ(f0, RequestFingerprint(Req()));
  auto differs = [&](auto mutate) {
    ChatRequest r = base;
    mutate(r);
    return RequestFingerprint(r) != f0;
  };
  EXPECT_TRUE(differs([](ChatRequest& r) { r.model = "n"; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.messages[0].content = "hellO"; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.messages[0].role = "system"; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.temperature = 0.7; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.max_tokens = 1; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.seed = 1; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.sample_index = 1; }));
  EXPECT_TRUE(differs([](ChatRequest& r) { r.extra_body_json = "{}"; }));
  EXPECT_FALSE(differs([](ChatRequest& r) { r.tag = "not sent"; }));
}

}  // namespace
}  // namespace judgeopt::llm
