// ClientStack: the per-role composition of budget -> cache -> retry -> backend over fake ports.

#include "judgeopt/llm/client_stack.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/cache_fake_client.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "judgeopt/llm/tripwire.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

LlmConfig SimConfig() {
  LlmConfig config = DefaultLlmConfig(NoEnv());
  return config;
}

LlmConfig OpenAiConfig(const std::string& model = "gpt-test") {
  LlmConfig config = DefaultLlmConfig(NoEnv());
  LlmOverrides o;
  o.backend = Backend::kOpenAi;
  o.model = model;
  o.base_url = "http://127.0.0.1:9/v1";
  EXPECT_TRUE(ApplyOverrides(config, o).ok());
  for (Role r : kAllRoles) config.role(r).retry.max_attempts = 3;
  config.prices["gpt-test"] = ModelPrice{1.0, 2.0};
  return config;
}

/// Ports over a counting simulator (owned by the stack; `sims` counts factory calls).
struct SimPorts {
  CountingClient* sim = nullptr;
  int sims = 0;
  std::shared_ptr<ResponseCache> cache = std::make_shared<MemoryResponseCache>();
  fakes::FakeClock clock;

  ClientStackPorts Make(bool with_cache = true) {
    ClientStackPorts ports;
    if (with_cache) ports.cache = cache;
    ports.clock = &clock;
    ports.env = NoEnv();
    ports.make_sim = [this]() -> Result<std::unique_ptr<LlmClient>> {
      ++sims;
      auto client = std::make_unique<CountingClient>();
      sim = client.get();
      return std::unique_ptr<LlmClient>(std::move(client));
    };
    return ports;
  }
};

/// Ports over a scripted transport (owned by the test; the stack gets a forwarding wrapper).
struct HttpPorts {
  fakes::FakeClock clock;
  fakes::FakeTransport transport{&clock, 0.25};
  std::shared_ptr<ResponseCache> cache = std::make_shared<MemoryResponseCache>();

  ClientStackPorts Make() {
    ClientStackPorts ports;
    ports.cache = cache;
    ports.clock = &clock;
    ports.env = NoEnv();
    ports.make_transport = fakes::ForwardingTransport::Port(&transport);
    return ports;
  }
};

TEST(ClientStackTest, SimMissThenHitKeepsPerCallFields) {
  SimPorts p;
  auto stack = ClientStack::Create(SimConfig(), p.Make());
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  ChatRequest req = MakeTestRequest("hello");
  auto first = (*stack)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->cache_hit);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(first->usage.prompt_tokens, 10);
  EXPECT_GT(first->latency_ms, 0.0);  // the fake's own latency
  auto second = (*stack)->For(Role::kLoss).Complete(req);  // another role, same request
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(second->attempts, 0);
  EXPECT_EQ(second->cost_usd, 0.0);
  EXPECT_EQ(second->usage.completion_tokens, 5);
  EXPECT_EQ(second->content, first->content);
  EXPECT_EQ(p.sims, 1);  // one simulator shared by every role
  EXPECT_EQ(p.sim->calls(), 1);
  LedgerSnapshot ledger = (*stack)->ledger();
  EXPECT_EQ(ledger.total.calls, 1);
  EXPECT_EQ(ledger.total.cache_hits, 1);
  EXPECT_EQ((*stack)->endpoint_kind(Role::kJudge), "sim");
  EXPECT_EQ((*stack)->endpoint_label(Role::kJudge), "sim");
}

TEST(ClientStackTest, NoCacheSendsEveryCall) {
  SimPorts p;
  auto stack = ClientStack::Create(SimConfig(), p.Make(/*with_cache=*/false));
  ASSERT_TRUE(stack.ok());
  ChatRequest req = MakeTestRequest("hello");
  ASSERT_TRUE((*stack)->For(Role::kJudge).Complete(req).ok());
  auto again = (*stack)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->cache_hit);
  EXPECT_EQ(p.sim->calls(), 2);
  auto stats = p.cache->Stats();
  EXPECT_EQ(stats->entries, 0);
}

TEST(ClientStackTest, OpenAiRetriesAndReportsAttemptsLatencyCostAndModel) {
  HttpPorts p;
  p.transport.Enqueue(fakes::FakeTransport::Reply(503, "{\"error\":{\"message\":\"busy\"}}"));
  p.transport.Enqueue(fakes::FakeTransport::ChatOk("4"));
  auto stack = ClientStack::Create(OpenAiConfig(), p.Make());
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  ChatRequest req = MakeTestRequest("rate this", "");  // the role's model is filled in
  auto r = (*stack)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->content, "4");
  EXPECT_EQ(r->attempts, 2);
  EXPECT_FALSE(r->cache_hit);
  EXPECT_NEAR(r->latency_ms, 250.0, 1e-6);  // the successful attempt on the fake clock
  EXPECT_NEAR(r->cost_usd, (10 * 1.0 + 5 * 2.0) / 1e6, 1e-12);
  ASSERT_EQ(p.transport.calls(), 2);
  auto body = nlohmann::json::parse(p.transport.requests()[1].body);
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(p.transport.requests()[1].url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ((*stack)->endpoint_label(Role::kJudge), "openai http://127.0.0.1:9/v1");
  // The same request again: the cache answers, nothing is sent.
  auto hit = (*stack)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_EQ(p.transport.calls(), 2);
  EXPECT_EQ((*stack)->ledger().total.calls, 1);
}

TEST(ClientStackTest, RoleExtraBodyIsSentWhenTheRequestHasNone) {
  HttpPorts p;
  p.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return fakes::FakeTransport::ChatOk("ok");
  });
  LlmConfig config = OpenAiConfig();
  config.role(Role::kGradient).extra_body_json = R"({"thinking":{"type":"disabled"}})";
  auto stack = ClientStack::Create(config, p.Make());
  ASSERT_TRUE(stack.ok());
  ASSERT_TRUE((*stack)->For(Role::kGradient).Complete(MakeTestRequest("x", "gpt-test")).ok());
  auto body = nlohmann::json::parse(p.transport.requests()[0].body);
  EXPECT_EQ(body["thinking"]["type"], "disabled");
}

TEST(ClientStackTest, SystematicRefusalStopsTheRoleAfterThreeRequestsAndBooksOnlyThose) {
  HttpPorts p;
  p.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return fakes::FakeTransport::Reply(
        400, R"({"error":{"message":"Unsupported parameter: 'max_tokens'","type":"x"}})");
  });
  auto stack = ClientStack::Create(OpenAiConfig(), p.Make());
  ASSERT_TRUE(stack.ok());
  for (int i = 0; i < 10; ++i) {
    auto r = (*stack)->For(Role::kJudge).Complete(MakeTestRequest("x" + std::to_string(i), ""));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, i < 2 ? ErrorCode::kBadRequest : ErrorCode::kCancelled) << i;
  }
  EXPECT_EQ(p.transport.calls(), kTripwireThreshold);
  EXPECT_EQ((*stack)->ledger().total.calls, kTripwireThreshold);
  // Another role has its own tripwire: it still sends.
  EXPECT_FALSE((*stack)->For(Role::kLoss).Complete(MakeTestRequest("y", "")).ok());
  EXPECT_EQ(p.transport.calls(), kTripwireThreshold + 1);
}

TEST(ClientStackTest, RefusedConnectionsStopRetryingAndTheRole) {
  HttpPorts p;
  p.transport.SetHandler([](const HttpRequest& req) -> Result<HttpResponse> {
    Error e(ErrorCode::kUnavailable, "POST " + req.url + ": Connection refused");
    e.not_connected = true;
    return e;
  });
  LlmConfig config = OpenAiConfig();
  config.role(Role::kJudge).retry.max_attempts = 6;
  auto stack = ClientStack::Create(config, p.Make());
  ASSERT_TRUE(stack.ok());
  auto first = (*stack)->For(Role::kJudge).Complete(MakeTestRequest("a", ""));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kCancelled);
  EXPECT_NE(first.error().message.find("cannot connect"), std::string::npos);
  EXPECT_NE(first.error().message.find("http://127.0.0.1:9/v1"), std::string::npos);
  EXPECT_EQ(p.transport.calls(), kTripwireThreshold);  // not 6 attempts
  EXPECT_FALSE((*stack)->For(Role::kJudge).Complete(MakeTestRequest("b", "")).ok());
  EXPECT_EQ(p.transport.calls(), kTripwireThreshold);
}

TEST(ClientStackTest, BudgetCapIsNeverExceededAndPaidCallsStayFree) {
  HttpPorts p;
  p.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return fakes::FakeTransport::ChatOk("5");
  });
  ClientStackPorts ports = p.Make();
  ports.budget.max_calls = 2;
  auto stack = ClientStack::Create(OpenAiConfig(), std::move(ports));
  ASSERT_TRUE(stack.ok());
  LlmClient& judge = (*stack)->For(Role::kJudge);
  ASSERT_TRUE(judge.Complete(MakeTestRequest("a", "gpt-test")).ok());
  ASSERT_TRUE(judge.Complete(MakeTestRequest("b", "gpt-test")).ok());
  auto refused = judge.Complete(MakeTestRequest("c", "gpt-test"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(refused.error().message.find("Spent so far: 2 calls"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("rerun"), std::string::npos);
  EXPECT_EQ(p.transport.calls(), 2);
  // Already paid for: answered from the cache although the budget is spent.
  auto paid = judge.Complete(MakeTestRequest("a", "gpt-test"));
  ASSERT_TRUE(paid.ok());
  EXPECT_TRUE(paid->cache_hit);
  EXPECT_EQ(p.transport.calls(), 2);
  LedgerSnapshot ledger = (*stack)->ledger();
  EXPECT_EQ(ledger.total.calls, 2);
  EXPECT_EQ(ledger.total.refused, 1);
}

// An unpriced model counts as $0, so a dollar budget could never stop it: refused before any
// call, naming the model, the role and the lines to add. Calls budgets and free backends pass.
TEST(ClientStackTest, ADollarBudgetWithAnUnpricedModelIsRefusedBeforeAnyCall) {
  HttpPorts p;
  int sent = 0;
  p.transport.SetHandler([&sent](const HttpRequest&) -> Result<HttpResponse> {
    ++sent;
    return fakes::FakeTransport::ChatOk("5");
  });
  ClientStackPorts ports = p.Make();
  ports.budget.max_usd = 1.0;
  auto refused = ClientStack::Create(OpenAiConfig("gpt-unpriced"), std::move(ports));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  for (const char* part : {"--max-usd", "'gpt-unpriced'", "role judge",
                           "[llm.prices.\"gpt-unpriced\"]", "input_usd_per_mtok", "--max-calls"}) {
    EXPECT_NE(refused.error().message.find(part), std::string::npos)
        << part << " in: " << refused.error().message;
  }
  EXPECT_EQ(sent, 0);

  ClientStackPorts priced = p.Make();
  priced.budget.max_usd = 1.0;
  EXPECT_TRUE(ClientStack::Create(OpenAiConfig(), std::move(priced)).ok());
  ClientStackPorts calls_only = p.Make();
  calls_only.budget.max_calls = 5;
  EXPECT_TRUE(ClientStack::Create(OpenAiConfig("gpt-unpriced"), std::move(calls_only)).ok());
  SimPorts sim;
  ClientStackPorts free_ports = sim.Make();
  free_ports.budget.max_usd = 1.0;
  EXPECT_TRUE(ClientStack::Create(SimConfig(), std::move(free_ports)).ok());
}

// An openai role shapes every request for its model, whoever built it: a reasoning model gets
// max_completion_tokens and no temperature, and the shaped request is what the cache keys.
TEST(ClientStackTest, AnHttpRoleShapesRequestsForAReasoningModel) {
  HttpPorts p;
  std::vector<std::string> bodies;
  p.transport.SetHandler([&bodies](const HttpRequest& req) -> Result<HttpResponse> {
    bodies.push_back(req.body);
    return fakes::FakeTransport::ChatOk("5");
  });
  auto stack = ClientStack::Create(OpenAiConfig("gpt-5-mini"), p.Make());
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  ASSERT_TRUE((*stack)->For(Role::kJudge).Complete(MakeTestRequest("a", "gpt-5-mini")).ok());
  ASSERT_TRUE((*stack)->For(Role::kJudge).Complete(MakeTestRequest("b", "gpt-test")).ok());
  ASSERT_EQ(bodies.size(), 2u);
  const auto reasoning = nlohmann::json::parse(bodies[0]);
  EXPECT_TRUE(reasoning.contains("max_completion_tokens"));
  EXPECT_FALSE(reasoning.contains("max_tokens"));
  EXPECT_FALSE(reasoning.contains("temperature"));
  const auto plain = nlohmann::json::parse(bodies[1]);
  EXPECT_TRUE(plain.contains("max_tokens"));
  EXPECT_TRUE(plain.contains("temperature"));
}

TEST(ClientStackTest, AKeyBoundForPlainHttpToAnotherMachineStopsTheStackBeforeAnyCall) {
  HttpPorts p;
  LlmConfig config = OpenAiConfig();
  for (Role r : kAllRoles) {
    for (EndpointConfig& ep : config.role(r).endpoints) ep.base_url = "http://10.1.2.3:8000/v1";
  }
  ClientStackPorts ports = p.Make();
  ports.env = [](const std::string&) { return std::optional<std::string>("sk-set"); };
  auto stack = ClientStack::Create(config, std::move(ports));
  ASSERT_FALSE(stack.ok());
  EXPECT_NE(stack.error().message.find("refusing to send the API key"), std::string::npos)
      << stack.error().message;
  EXPECT_EQ(p.transport.requests().size(), 0u);
}

TEST(ClientStackTest, ReplayAnswersWhatASimRunRecordedAndNamesTheHashOfAMiss) {
  SimPorts p;
  ChatRequest req = MakeTestRequest("recorded");
  {
    auto live = ClientStack::Create(SimConfig(), p.Make());
    ASSERT_TRUE(live.ok());
    ASSERT_TRUE((*live)->For(Role::kJudge).Complete(req).ok());
  }
  LlmConfig config = SimConfig();
  LlmOverrides o;
  o.backend = Backend::kReplay;
  ASSERT_TRUE(ApplyOverrides(config, o).ok());
  ClientStackPorts ports = p.Make();
  ports.make_sim = nullptr;  // replay needs no simulator
  ports.budget.max_calls = 0;  // and costs nothing: a spent budget does not stop it
  auto replay = ClientStack::Create(config, std::move(ports));
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  auto hit = (*replay)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(hit.ok()) << hit.error().ToString();
  EXPECT_TRUE(hit->cache_hit);
  auto miss = (*replay)->For(Role::kJudge).Complete(MakeTestRequest("never sent"));
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.error().code, ErrorCode::kNotFound);
  EXPECT_NE(miss.error().message.find(RequestKey(MakeTestRequest("never sent"), "openai")),
            std::string::npos)
      << miss.error().message;
}

TEST(ClientStackTest, MissingPortsAndBadConfigFailNamingTheRole) {
  SimPorts p;
  LlmConfig replay = SimConfig();
  replay.role(Role::kLoss).backend = Backend::kReplay;
  auto no_cache = ClientStack::Create(replay, p.Make(/*with_cache=*/false));
  ASSERT_FALSE(no_cache.ok());
  EXPECT_NE(no_cache.error().message.find("llm.loss"), std::string::npos);

  ClientStackPorts no_transport = p.Make();
  auto openai = ClientStack::Create(OpenAiConfig(), std::move(no_transport));
  ASSERT_FALSE(openai.ok());
  EXPECT_NE(openai.error().message.find("llm.judge"), std::string::npos)
      << openai.error().message;

  HttpPorts h;
  auto no_model = ClientStack::Create(OpenAiConfig(""), h.Make());
  ASSERT_FALSE(no_model.ok());
  EXPECT_NE(no_model.error().message.find("--model"), std::string::npos);
}

TEST(ClientStackTest, OnlyTheRequestedRolesAreBuilt) {
  HttpPorts p;
  p.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return fakes::FakeTransport::ChatOk("ok");
  });
  LlmConfig config = OpenAiConfig();
  config.role(Role::kOptimizer).model = "";  // invalid, but not built
  ClientStackPorts ports = p.Make();
  ports.roles = {Role::kJudge};
  auto stack = ClientStack::Create(config, std::move(ports));
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  EXPECT_TRUE((*stack)->For(Role::kJudge).Complete(MakeTestRequest("x", "gpt-test")).ok());
  auto other = (*stack)->For(Role::kOptimizer).Complete(MakeTestRequest("x", "gpt-test"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("optimizer"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::llm
