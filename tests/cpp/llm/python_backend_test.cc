// The python backend of ClientStack (a Python function as a role, given by the Python module
// through ClientStackPorts::make_python): the same budget, cache and ledger as any backend, a
// bound on calls in flight, no request shaping, and a clear refusal where no function is given.

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "fakes/cache_fake_client.h"
#include "fakes/fake_clock.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/concurrency_limit.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

LlmConfig PythonJudgeConfig(int max_concurrency = 16) {
  LlmConfig config = DefaultLlmConfig([](const std::string&) { return std::nullopt; });
  RoleConfig& judge = config.role(Role::kJudge);
  judge.backend = Backend::kPython;
  judge.model = "python:my_judge";
  judge.endpoints.front().max_concurrency = max_concurrency;
  return config;
}

/// Ports whose python roles are CountingClients (one per role built; `made` lists the roles).
struct PythonPorts {
  CountingClient* judge = nullptr;
  std::vector<Role> made;
  std::shared_ptr<ResponseCache> cache = std::make_shared<MemoryResponseCache>();
  fakes::FakeClock clock;

  ClientStackPorts Make() {
    ClientStackPorts ports;
    ports.cache = cache;
    ports.clock = &clock;
    ports.make_sim = []() -> Result<std::unique_ptr<LlmClient>> {
      return std::unique_ptr<LlmClient>(std::make_unique<CountingClient>());
    };
    ports.make_python = [this](Role role) -> Result<std::unique_ptr<LlmClient>> {
      made.push_back(role);
      auto client = std::make_unique<CountingClient>();
      if (role == Role::kJudge) judge = client.get();
      return std::unique_ptr<LlmClient>(std::move(client));
    };
    return ports;
  }
};

TEST(PythonBackendTest, CallsGoThroughTheCacheAndLedgerUnderTheirOwnEndpointKind) {
  PythonPorts p;
  ClientStackPorts ports = p.Make();
  ports.budget.max_calls = 1;
  auto stack = ClientStack::Create(PythonJudgeConfig(), std::move(ports));
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  EXPECT_EQ(p.made, std::vector<Role>{Role::kJudge});  // the other roles are sim
  LlmClient& judge = (*stack)->For(Role::kJudge);
  ChatRequest request = MakeTestRequest("a", "");
  auto first = judge.Complete(request);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(p.judge->requests().front().model, "python:my_judge");  // the role's name
  auto again = judge.Complete(request);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->cache_hit);
  EXPECT_EQ(p.judge->calls(), 1);
  auto refused = judge.Complete(MakeTestRequest("b", ""));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_EQ((*stack)->endpoint_kind(Role::kJudge), "python");
  EXPECT_EQ((*stack)->endpoint_label(Role::kJudge), "python");
  const LedgerSnapshot ledger = (*stack)->ledger();
  EXPECT_EQ(ledger.by_role.at("judge").calls, 1);
  EXPECT_EQ(ledger.by_role.at("judge").cache_hits, 1);
}

TEST(PythonBackendTest, RequestsAreNotShapedForAnHttpServer) {
  PythonPorts p;
  LlmConfig config = PythonJudgeConfig();
  config.role(Role::kJudge).model = "gpt-5";  // a reasoning model, were it sent over HTTP
  auto stack = ClientStack::Create(config, p.Make());
  ASSERT_TRUE(stack.ok());
  ChatRequest request = MakeTestRequest("a", "");
  request.temperature = 0.4;
  ASSERT_TRUE((*stack)->For(Role::kJudge).Complete(request).ok());
  const ChatRequest sent = p.judge->requests().front();
  EXPECT_FALSE(sent.omit_temperature);
  EXPECT_FALSE(sent.max_completion_tokens);
  EXPECT_EQ(sent.temperature, 0.4);
}

TEST(PythonBackendTest, WithoutAFunctionTheStackIsRefusedNamingTheRole) {
  PythonPorts p;
  ClientStackPorts ports = p.Make();
  ports.make_python = nullptr;  // as the CLI builds it
  auto stack = ClientStack::Create(PythonJudgeConfig(), std::move(ports));
  ASSERT_FALSE(stack.ok());
  EXPECT_NE(stack.error().message.find("llm.judge"), std::string::npos);
  EXPECT_NE(stack.error().message.find("only the judgeopt Python module"), std::string::npos)
      << stack.error().message;
  EXPECT_EQ(*ParseBackend("python"), Backend::kPython);
}

TEST(PythonBackendTest, WorkersFillEveryEndpointOfAPythonOrOpenAiRole) {
  EXPECT_EQ(WorkersFor(PythonJudgeConfig(5).role(Role::kJudge), 0), 5);
  const LlmConfig config = PythonJudgeConfig();
  EXPECT_EQ(WorkersFor(config.role(Role::kLoss), 0), 8);  // sim: the flag, else 8
  EXPECT_EQ(WorkersFor(config.role(Role::kLoss), 3), 3);
  EXPECT_EQ(ModelOrSimName(config.role(Role::kLoss)), kSimModelName);
  EXPECT_EQ(ModelOrSimName(config.role(Role::kJudge)), "python:my_judge");
}

// Calls wait in the inner client until `release` is set, so the peak in flight is what the limit
// lets through, whatever the scheduling.
TEST(ConcurrencyLimitClientTest, NoMoreThanTheLimitAreInFlight) {
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  bool release = false;
  auto inner = std::make_unique<CountingClient>([&](const ChatRequest& r) -> Result<ChatResponse> {
    std::unique_lock<std::mutex> lock(mu);
    ++inside;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return CountingClient::DefaultReply(r);
  });
  ConcurrencyLimitClient limited(std::move(inner), 3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { EXPECT_TRUE(limited.Complete(MakeTestRequest("x")).ok()); });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return inside == 3; });
    release = true;  // the 3 inside finish; the others enter, three at a time at most
    cv.notify_all();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inside, 8);
  EXPECT_EQ(limited.peak_in_flight(), 3);
}

}  // namespace
}  // namespace judgeopt::llm
