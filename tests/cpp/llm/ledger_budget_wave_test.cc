// Budgets under concurrency (issue 18, point 5): waves of 64 calls held in flight at once through
// one BudgetClient, with a budget (calls, then dollars) that runs out in the middle of a wave.
// The fake model holds every admitted call of a wave until the whole wave has been either admitted
// or refused, so the refusals happen while the admitted calls are still in flight. Nothing is timed:
// the hold is released by counting, never by a clock.

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "fakes/cache_fake_client.h"
#include "judgeopt/llm/ledger.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

constexpr int kWave = 64;

PriceMap MilliPrices() {
  PriceMap p;
  p["m1"] = ModelPrice{1000.0, 1000.0};  // $0.001 per token either way
  return p;
}

ChatRequest WaveRequest(int i) {
  ChatRequest r = MakeTestRequest("item " + std::to_string(i % 10), "m1");  // one size for all
  r.sample_index = i;
  r.max_tokens = 10;
  return r;
}

/// Counts the calls of the current wave that are decided (admitted into the model or refused by
/// the budget) and holds every admitted call until all kWave are decided. Thread-safe.
class WaveHold {
 public:
  void Admitted() {
    std::unique_lock<std::mutex> lock(mu_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    Decide(lock);
    cv_.wait(lock, [&] { return decided_ >= kWave; });
    --in_flight_;
  }
  void Refused() {
    std::unique_lock<std::mutex> lock(mu_);
    Decide(lock);
  }
  void NextWave() {
    std::lock_guard<std::mutex> lock(mu_);
    decided_ = 0;
    max_in_flight_ = 0;
  }
  /// The most calls of the current wave in the model at once: every admitted call, since none
  /// leaves before the whole wave is decided (so the refusals come while they are in flight).
  int max_in_flight() const {
    std::lock_guard<std::mutex> lock(mu_);
    return max_in_flight_;
  }

 private:
  void Decide(std::unique_lock<std::mutex>&) {
    if (++decided_ >= kWave) cv_.notify_all();
  }
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int decided_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

struct WaveResult {
  int ok = 0;
  int refused = 0;
  double reply_usd = 0.0;  // the sum of the replies' cost_usd
};

/// Sends one wave of kWave calls from kWave threads.
WaveResult RunWave(BudgetClient& client, WaveHold& hold, int first) {
  hold.NextWave();
  std::vector<Result<ChatResponse>> out(kWave, Error(ErrorCode::kInternal, "unset"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kWave; ++i) {
    threads.emplace_back([&, i] {
      out[i] = client.Complete(WaveRequest(first + i));
      if (!out[i].ok() && out[i].error().code == ErrorCode::kBudgetExceeded) hold.Refused();
    });
  }
  for (auto& t : threads) t.join();
  WaveResult r;
  for (const auto& o : out) {
    if (o.ok()) {
      ++r.ok;
      r.reply_usd += o->cost_usd;
    } else {
      EXPECT_EQ(o.error().code, ErrorCode::kBudgetExceeded) << o.error().ToString();
      ++r.refused;
    }
  }
  return r;
}

struct WaveGate {
  std::shared_ptr<Ledger> ledger;
  CountingClient* fake = nullptr;
  std::unique_ptr<BudgetClient> client;
  WaveHold hold;
};

/// budget -> a fake that holds each call in the wave and replies with `completion_tokens` of
/// output (the prompt as the ledger estimates it).
std::unique_ptr<WaveGate> MakeWaveGate(Budget budget, int completion_tokens) {
  auto g = std::make_unique<WaveGate>();
  g->ledger = std::make_shared<Ledger>(MilliPrices(), budget);
  WaveHold* hold = &g->hold;
  auto fake = std::make_unique<CountingClient>([hold, completion_tokens](const ChatRequest& r) {
    hold->Admitted();
    ChatResponse resp = CountingClient::DefaultReply(r);
    resp.usage.prompt_tokens = ApproxPromptTokens(r);
    resp.usage.completion_tokens = completion_tokens;
    return Result<ChatResponse>(resp);
  });
  g->fake = fake.get();
  g->client = std::make_unique<BudgetClient>(std::move(fake), g->ledger,
                                             BudgetClient::Options{"ep", nullptr});
  return g;
}

TEST(BudgetWaveTest, MaxCallsRunsOutMidWaveWith64InFlight) {
  // 100 calls: the first wave fits, the second is cut after 36 with those 36 still in flight.
  auto g = MakeWaveGate(Budget{std::nullopt, 100}, 10);
  const WaveResult first = RunWave(*g->client, g->hold, 0);
  EXPECT_EQ(first.ok, kWave);
  EXPECT_EQ(g->hold.max_in_flight(), kWave);  // all 64 were in flight at once
  const WaveResult second = RunWave(*g->client, g->hold, kWave);
  EXPECT_EQ(second.ok, 36);
  EXPECT_EQ(second.refused, 28);
  EXPECT_EQ(g->hold.max_in_flight(), 36);  // the 28 were refused while these 36 were in flight
  const WaveResult third = RunWave(*g->client, g->hold, 2 * kWave);  // nothing left
  EXPECT_EQ(third.ok, 0);
  EXPECT_EQ(third.refused, kWave);

  EXPECT_EQ(g->fake->calls(), 100);
  const LedgerSnapshot s = g->ledger->Snapshot();
  EXPECT_EQ(s.total.calls, 100);
  EXPECT_EQ(s.total.refused, 28 + kWave);  // every refused call is counted
  EXPECT_EQ(s.by_role.at("judge").refused, 28 + kWave);
  EXPECT_EQ(s.by_endpoint.at({"ep", "m1"}).refused, 28 + kWave);
}

TEST(BudgetWaveTest, MaxUsdRunsOutMidWaveWith64InFlightAndIsNeverExceeded) {
  const double per_call = Ledger(MilliPrices()).ProjectedUsd(WaveRequest(0));
  ASSERT_GT(per_call, 0.0);
  // Room for 100.5 projected calls; replies cost exactly their projection (all of max_tokens).
  const double max_usd = 100.5 * per_call;
  auto g = MakeWaveGate(Budget{max_usd, std::nullopt}, 10);
  const WaveResult first = RunWave(*g->client, g->hold, 0);
  EXPECT_EQ(first.ok, kWave);
  const WaveResult second = RunWave(*g->client, g->hold, kWave);
  EXPECT_EQ(second.ok, 36);
  EXPECT_EQ(g->hold.max_in_flight(), 36);
  const WaveResult third = RunWave(*g->client, g->hold, 2 * kWave);
  EXPECT_EQ(third.ok, 0);

  const LedgerSnapshot s = g->ledger->Snapshot();
  EXPECT_LE(s.total.usd, max_usd);
  EXPECT_NEAR(s.total.usd, 100 * per_call, 1e-9);
  EXPECT_NEAR(first.reply_usd + second.reply_usd, s.total.usd, 1e-9);
  EXPECT_EQ(s.total.calls, 100);
  EXPECT_EQ(s.total.refused, second.refused + third.refused);
  EXPECT_EQ(s.total.refused, 28 + kWave);
}

TEST(BudgetWaveTest, CheaperRepliesLeaveRoomThatTheNextWaveUsesWithoutOverspending) {
  // Replies use 2 of the 10 reserved output tokens: what each call did not spend is released
  // when it settles, so later waves admit more calls, and the spend still stays under the cap.
  const ChatRequest probe = WaveRequest(0);
  const double per_call = Ledger(MilliPrices()).ProjectedUsd(probe);
  const double actual = (ApproxPromptTokens(probe) + 2) * 0.001;
  ASSERT_LT(actual, per_call);
  const double max_usd = 80.5 * per_call;
  auto g = MakeWaveGate(Budget{max_usd, std::nullopt}, 2);
  int sent = 0;
  int refused = 0;
  for (int wave = 0; wave < 4; ++wave) {
    const WaveResult r = RunWave(*g->client, g->hold, wave * kWave);
    sent += r.ok;
    refused += r.refused;
    EXPECT_LE(g->ledger->Snapshot().total.usd, max_usd) << "after wave " << wave;
  }
  const LedgerSnapshot s = g->ledger->Snapshot();
  EXPECT_GT(sent, 80);  // more than the projection alone would have let through
  EXPECT_LE(s.total.usd, max_usd);
  EXPECT_NEAR(s.total.usd, sent * actual, 1e-9);
  EXPECT_EQ(s.total.calls, sent);
  EXPECT_EQ(s.total.refused, refused);
  EXPECT_EQ(sent + refused, 4 * kWave);
}

}  // namespace
}  // namespace judgeopt::llm
