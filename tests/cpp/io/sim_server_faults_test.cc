#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>

#include "fakes/cache_fake_client.h"
#include "judgeopt/io/sim_server.h"

namespace judgeopt::io {
namespace {

using nlohmann::json;
using testing_util::CountingClient;

std::string Body(int i) {
  json body = {{"model", "m"},
               {"messages", {{{"role", "user"}, {"content", "request " + std::to_string(i)}}}}};
  return body.dump();
}

SimServerOptions Always(Fault fault) {
  SimServerOptions o;
  o.fail_rate = 1.0;
  o.fail_kinds = {fault};
  return o;
}

httplib::Result PostBody(int port, const std::string& body, int read_timeout_ms = 10000) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::milliseconds(read_timeout_ms));
  return client.Post("/v1/chat/completions", body, "application/json");
}

TEST(SimServerFaultTest, RateLimitCarriesRetryAfter) {
  CountingClient inner;
  SimServerOptions o = Always(Fault::kRateLimit);
  o.retry_after_s = 1.5;
  SimServer server(&inner, o);
  ASSERT_TRUE(server.Start().ok());
  httplib::Result res = PostBody(server.port(), Body(0));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "2");  // whole seconds, rounded up
  EXPECT_EQ(res->get_header_value("retry-after-ms"), "1500");
  EXPECT_TRUE(json::parse(res->body)["error"].is_object());
  EXPECT_EQ(inner.calls(), 0);
  EXPECT_EQ(server.Stats().faults[Fault::kRateLimit], 1);
}

TEST(SimServerFaultTest, ServerErrors) {
  for (auto [fault, status] : {std::pair{Fault::kServerError, 500}, {Fault::kUnavailable, 503}}) {
    CountingClient inner;
    SimServer server(&inner, Always(fault));
    ASSERT_TRUE(server.Start().ok());
    httplib::Result res = PostBody(server.port(), Body(1));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status);
    EXPECT_EQ(inner.calls(), 0);
  }
}

TEST(SimServerFaultTest, MalformedBodyIsNotJson) {
  CountingClient inner;
  SimServerOptions o;
  o.malformed_rate = 1.0;
  SimServer server(&inner, o);
  ASSERT_TRUE(server.Start().ok());
  httplib::Result res = PostBody(server.port(), Body(2));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(json::accept(res->body)) << res->body;
  EXPECT_EQ(server.Stats().faults[Fault::kMalformed], 1);
}

TEST(SimServerFaultTest, DroppedConnectionGivesTheClientNoReply) {
  CountingClient inner;
  SimServer server(&inner, Always(Fault::kDrop));
  ASSERT_TRUE(server.Start().ok());
  httplib::Result res = PostBody(server.port(), Body(3));
  EXPECT_FALSE(res) << "status " << (res ? res->status : 0);
  EXPECT_EQ(server.Stats().faults[Fault::kDrop], 1);
}

TEST(SimServerFaultTest, StallOutlastsTheClientTimeoutAndStopStillReturns) {
  CountingClient inner;
  SimServerOptions o = Always(Fault::kStall);
  o.stall_ms = 60000;
  SimServer server(&inner, o);
  ASSERT_TRUE(server.Start().ok());
  httplib::Result res = PostBody(server.port(), Body(4), /*read_timeout_ms=*/200);
  EXPECT_FALSE(res);
  if (!res) {
    EXPECT_EQ(res.error(), httplib::Error::Read);
  }
  EXPECT_EQ(inner.calls(), 0) << "a stalled request is answered only after the stall";
  server.Stop();  // must wake the stalled handler rather than wait a minute
  EXPECT_EQ(inner.calls(), 0);
}

TEST(SimServerFaultTest, DecisionsAreDeterministicPerSeed) {
  SimServerOptions a;
  a.fail_rate = 0.3;
  a.malformed_rate = 0.1;
  a.jitter_ms = 5.0;
  a.latency_ms = 2.0;
  SimServerOptions b = a;
  b.seed = 1;
  std::vector<Fault> seq_a, seq_a_again, seq_b;
  int failed = 0, malformed = 0;
  std::set<Fault> kinds;
  constexpr int kN = 2000;
  for (int i = 0; i < kN; ++i) {
    FaultDecision d = DecideFault(a, Body(i), 0);
    seq_a.push_back(d.fault);
    seq_a_again.push_back(DecideFault(a, Body(i), 0).fault);
    seq_b.push_back(DecideFault(b, Body(i), 0).fault);
    EXPECT_GE(d.delay_ms, 2.0);
    EXPECT_LE(d.delay_ms, 7.0);
    if (d.fault == Fault::kMalformed)
      ++malformed;
    else if (d.fault != Fault::kNone)
      ++failed;
    kinds.insert(d.fault);
  }
  EXPECT_EQ(seq_a, seq_a_again);
  EXPECT_NE(seq_a, seq_b);
  // Binomial(2000, 0.3): sd ~ 20; malformed = 0.1 of the remaining 70%: mean 140, sd ~ 11.
  EXPECT_NEAR(failed, 0.3 * kN, 100);
  EXPECT_NEAR(malformed, 0.07 * kN, 60);
  EXPECT_EQ(kinds.size(), 7u) << "every default fault kind, malformed and none occur";
}

TEST(SimServerFaultTest, RetriesOfOneRequestGetFreshDraws) {
  SimServerOptions o;
  o.fail_rate = 0.5;
  std::set<Fault> seen;
  for (int occurrence = 0; occurrence < 64; ++occurrence) {
    seen.insert(DecideFault(o, Body(7), occurrence).fault);
  }
  EXPECT_TRUE(seen.count(Fault::kNone));
  EXPECT_GT(seen.size(), 2u);
  SimServerOptions never;
  EXPECT_EQ(DecideFault(never, Body(7), 0).fault, Fault::kNone);
  EXPECT_EQ(DecideFault(never, Body(7), 0).delay_ms, 0.0);
}

TEST(SimServerFaultTest, TwoServersWithOneSeedAnswerTheSameSequence) {
  SimServerOptions o;
  o.fail_rate = 0.5;
  o.fail_kinds = {Fault::kRateLimit, Fault::kServerError, Fault::kUnavailable};
  o.malformed_rate = 0.2;
  o.retry_after_s = 0.0;
  o.seed = 42;
  auto statuses = [&](const SimServerOptions& options) {
    CountingClient inner;
    SimServer server(&inner, options);
    EXPECT_TRUE(server.Start().ok());
    std::vector<std::string> out;
    for (int i = 0; i < 30; ++i) {
      // Each body twice: the second arrival is a retry with its own draw.
      httplib::Result res = PostBody(server.port(), Body(i / 2));
      out.push_back(res ? std::to_string(res->status) + (json::accept(res->body) ? "" : "!") : "x");
    }
    return out;
  };
  std::vector<std::string> first = statuses(o);
  EXPECT_EQ(first, statuses(o));
  EXPECT_GT(std::count(first.begin(), first.end(), "200"), 0);
  EXPECT_LT(std::count(first.begin(), first.end(), "200"), 30);
}

}  // namespace
}  // namespace judgeopt::io
