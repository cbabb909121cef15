// The SIMULATED label's source (docs/simulator.md, "The SIMULATED label"): the ledger counts the
// simulated replies of each role, sent or from the cache, and the client stack reports the roles
// that got one, whatever the configured backend.

#include <gtest/gtest.h>

#include "fakes/cache_fake_client.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/ledger.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;

// No API keys anywhere.
std::optional<std::string> NoKey(const std::string&) { return std::nullopt; }

ChatResponse Reply(bool simulated, bool hit = false) {
  ChatResponse r;
  r.content = "ok";
  r.simulated = simulated;
  r.cache_hit = hit;
  return r;
}

ChatRequest RequestOf(Role role, const std::string& text) {
  ChatRequest r = testing_util::MakeTestRequest(text);
  r.role = role;
  return r;
}

TEST(SimulatedRolesTest, LedgerCountsSimulatedRepliesPerRoleHitsIncluded) {
  Ledger ledger;
  auto book = [&](Role role, const Result<ChatResponse>& out) {
    const ChatRequest r = RequestOf(role, "x");
    Result<Reservation> res = ledger.Reserve(r, "ep");
    ASSERT_TRUE(res.ok());
    (void)ledger.Settle(*res, r, "ep", out);
  };
  book(Role::kJudge, Reply(false));
  book(Role::kOptimizer, Reply(true, /*hit=*/true));  // a replayed simulated reply counts
  book(Role::kLoss, Reply(true));
  book(Role::kGradient, Error(ErrorCode::kUnavailable, "down"));  // no reply: no label
  EXPECT_EQ(ledger.SimulatedRoles(), (std::vector<Role>{Role::kLoss, Role::kOptimizer}));
  ledger.RecordHit(RequestOf(Role::kJudge, "y"), "ep", Reply(true, true));
  EXPECT_EQ(ledger.SimulatedRoles(),
            (std::vector<Role>{Role::kJudge, Role::kLoss, Role::kOptimizer}));
  const LedgerSnapshot s = ledger.Snapshot();
  EXPECT_EQ(s.total.simulated, 3);
  EXPECT_EQ(s.by_role.at("judge").simulated, 1);
  EXPECT_EQ(s.by_role.at("gradient").simulated, 0);
}

/// A stack whose judge is an OpenAI-compatible endpoint (a scripted transport) and whose other
/// roles are a stand-in simulator (a CountingClient whose replies say simulated).
struct MixedPorts {
  fakes::FakeClock clock;
  fakes::FakeTransport transport{&clock, 0.0};
  std::shared_ptr<ResponseCache> cache = std::make_shared<MemoryResponseCache>();

  static LlmConfig Config() {
    LlmConfig config = DefaultLlmConfig(NoKey);
    RoleConfig& judge = config.role(Role::kJudge);
    judge.backend = Backend::kOpenAi;
    judge.model = "real-judge";
    judge.endpoints = {EndpointConfig{"http://127.0.0.1:9/v1", "JO_NO_KEY", 4}};
    return config;
  }

  ClientStackPorts Make() {
    ClientStackPorts ports;
    ports.cache = cache;
    ports.clock = &clock;
    ports.env = NoKey;
    ports.make_transport = fakes::ForwardingTransport::Port(&transport);
    ports.make_sim = []() -> Result<std::unique_ptr<LlmClient>> {
      return std::unique_ptr<LlmClient>(
          std::make_unique<CountingClient>([](const ChatRequest& r) -> Result<ChatResponse> {
            ChatResponse out = CountingClient::DefaultReply(r);
            out.simulated = true;
            return out;
          }));
    };
    return ports;
  }
};

TEST(SimulatedRolesTest, ARealJudgeWithSimulatedOtherRolesNamesExactlyThoseRoles) {
  MixedPorts p;
  auto stack = ClientStack::Create(MixedPorts::Config(), p.Make());
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  p.transport.Enqueue(fakes::FakeTransport::ChatOk("4"));  // no simulated header
  auto judged = (*stack)->For(Role::kJudge).Complete(RequestOf(Role::kJudge, "judge me"));
  ASSERT_TRUE(judged.ok()) << judged.error().ToString();
  EXPECT_FALSE(judged->simulated);
  EXPECT_TRUE((*stack)->SimulatedRoles().empty());
  for (Role role : {Role::kLoss, Role::kGradient}) {
    auto reply = (*stack)->For(role).Complete(RequestOf(role, "feedback"));
    ASSERT_TRUE(reply.ok()) << reply.error().ToString();
    EXPECT_TRUE(reply->simulated);
  }
  EXPECT_EQ((*stack)->SimulatedRoles(), (std::vector<Role>{Role::kLoss, Role::kGradient}));
}

TEST(SimulatedRolesTest, AJudgeEndpointThatMarksItsRepliesIsSimulated) {
  MixedPorts p;
  auto stack = ClientStack::Create(MixedPorts::Config(), p.Make());
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  HttpResponse marked = fakes::FakeTransport::ChatOk("4");
  marked.headers["x-judgeopt-simulated"] = "true";
  p.transport.Enqueue(marked);
  const ChatRequest req = RequestOf(Role::kJudge, "judge me");
  auto first = (*stack)->For(Role::kJudge).Complete(req);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE(first->simulated);
  auto again = (*stack)->For(Role::kJudge).Complete(req);  // from the cache, still simulated
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->cache_hit);
  EXPECT_TRUE(again->simulated);
  EXPECT_EQ((*stack)->ledger().by_role.at("judge").simulated, 2);
  EXPECT_EQ((*stack)->SimulatedRoles(), (std::vector<Role>{Role::kJudge}));
}

TEST(SimulatedRolesTest, ReplayOfASimulatorsCacheEntryIsSimulated) {
  MixedPorts p;
  const ChatRequest req = RequestOf(Role::kLoss, "recorded by the simulator");
  {
    auto live = ClientStack::Create(MixedPorts::Config(), p.Make());
    ASSERT_TRUE(live.ok());
    ASSERT_TRUE((*live)->For(Role::kLoss).Complete(req).ok());
  }
  LlmConfig config = DefaultLlmConfig(NoKey);
  for (Role r : kAllRoles) config.role(r).backend = Backend::kReplay;
  ClientStackPorts ports = p.Make();
  ports.make_sim = nullptr;
  auto replay = ClientStack::Create(config, std::move(ports));
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  auto hit = (*replay)->For(Role::kLoss).Complete(req);
  ASSERT_TRUE(hit.ok()) << hit.error().ToString();
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_TRUE(hit->simulated);
  EXPECT_EQ((*replay)->SimulatedRoles(), (std::vector<Role>{Role::kLoss}));
}

}  // namespace
}  // namespace judgeopt::llm
