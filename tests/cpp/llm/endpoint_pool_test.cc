#include "judgeopt/llm/endpoint_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "fakes/fake_clock.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeClock;

EndpointConfig Ep(std::string url, int max_concurrency = 4, std::string key = "OPENAI_API_KEY") {
  EndpointConfig e;
  e.base_url = std::move(url);
  e.api_key_env = std::move(key);
  e.max_concurrency = max_concurrency;
  return e;
}

std::vector<EndpointConfig> Three(int max_concurrency = 4) {
  return {Ep("http://a:1", max_concurrency), Ep("http://b:1", max_concurrency),
          Ep("http://c:1", max_concurrency)};
}

TEST(EndpointPoolTest, RoundRobinCyclesThroughEndpoints) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register(Three(), EndpointSelection::kRoundRobin);
  ASSERT_TRUE(group.ok()) << group.error().ToString();
  std::vector<std::size_t> chosen;
  for (int i = 0; i < 6; ++i) chosen.push_back(pool.Acquire(*group).id());
  std::vector<std::size_t> expected = {0, 1, 2, 0, 1, 2};
  EXPECT_EQ(chosen, expected);
  EXPECT_EQ(pool.endpoint(1).chat_url(), "http://b:1/v1/chat/completions");
  EXPECT_EQ(pool.started(0), 2);
}

TEST(EndpointPoolTest, RoundRobinSkipsAFullEndpoint) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register(Three(/*max_concurrency=*/1), EndpointSelection::kRoundRobin);
  ASSERT_TRUE(group.ok());
  auto a = pool.Acquire(*group);  // a
  auto b = pool.Acquire(*group);  // b
  {
    auto c = pool.Acquire(*group);
    EXPECT_EQ(c.id(), 2u);
  }
  // Cursor is back at a, which is full (as is b): c is the only free one.
  auto next = pool.Acquire(*group);
  EXPECT_EQ(next.id(), 2u);
  EXPECT_EQ(pool.in_flight(2), 1);
}

TEST(EndpointPoolTest, TryAcquireFailsWhenAllAreFullAndLeasesRelease) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("http://a:1", 2)}, EndpointSelection::kRoundRobin);
  ASSERT_TRUE(group.ok());
  auto first = pool.TryAcquire(*group);
  auto second = pool.TryAcquire(*group);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(pool.in_flight(0), 2);
  EXPECT_FALSE(pool.TryAcquire(*group).has_value());
  first.reset();
  EXPECT_EQ(pool.in_flight(0), 1);
  EXPECT_TRUE(pool.TryAcquire(*group).has_value());
}

TEST(EndpointPoolTest, AcquireBlocksUntilASlotIsReleased) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("http://a:1", 1)}, EndpointSelection::kRoundRobin);
  ASSERT_TRUE(group.ok());
  auto held = std::make_optional(pool.Acquire(*group));
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto lease = pool.Acquire(*group);
    got = true;
  });
  EXPECT_EQ(pool.in_flight(0), 1);
  held.reset();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_EQ(pool.in_flight(0), 0);
  EXPECT_EQ(pool.started(0), 2);
}

TEST(EndpointPoolTest, LeastLoadedPicksTheLowestLoadRatio) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("http://big:1", 10), Ep("http://small:1", 2)},
                             EndpointSelection::kLeastLoaded);
  ASSERT_TRUE(group.ok());
  auto l1 = pool.Acquire(*group);  // tie at 0: big (first)
  auto l2 = pool.Acquire(*group);  // big 0.1 vs small 0: small
  auto l3 = pool.Acquire(*group);  // big 0.1 vs small 0.5: big
  auto l4 = pool.Acquire(*group);  // big 0.2 vs small 0.5: big
  EXPECT_EQ(l1.id(), 0u);
  EXPECT_EQ(l2.id(), 1u);
  EXPECT_EQ(l3.id(), 0u);
  EXPECT_EQ(l4.id(), 0u);
}

TEST(EndpointPoolTest, LeastLoadedReturnsToAFreedEndpoint) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("http://a:1"), Ep("http://b:1")}, EndpointSelection::kLeastLoaded);
  ASSERT_TRUE(group.ok());
  auto a1 = pool.Acquire(*group);
  auto b1 = std::make_optional(pool.Acquire(*group));
  auto a2 = pool.Acquire(*group);
  EXPECT_EQ(a1.id(), 0u);
  EXPECT_EQ(b1->id(), 1u);
  EXPECT_EQ(a2.id(), 0u);
  b1.reset();  // b now has 0 in flight, a has 2
  EXPECT_EQ(pool.Acquire(*group).id(), 1u);
}

TEST(EndpointPoolTest, EndpointsHeldByTheirLimiterAreAvoided) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("http://a:1"), Ep("http://b:1")}, EndpointSelection::kRoundRobin);
  ASSERT_TRUE(group.ok());
  pool.endpoint(0).limiter().PauseFor(30);
  EXPECT_EQ(pool.Acquire(*group).id(), 1u);
  EXPECT_EQ(pool.Acquire(*group).id(), 1u);  // a is still paused
  clock.Advance(31);
  EXPECT_EQ(pool.Acquire(*group).id(), 0u);
}

TEST(EndpointPoolTest, RolesNamingTheSameServerAndKeyShareOneEndpoint) {
  FakeClock clock;
  EndpointPool pool(&clock);
  EndpointConfig judge = Ep("http://h:1/v1", 8);
  judge.rpm = 600;
  EndpointConfig loss = Ep("http://h:1/", 32);
  loss.rpm = 120;
  EndpointConfig other_key = Ep("http://h:1/v1", 8, "SECOND_KEY");
  auto g1 = pool.Register({judge}, EndpointSelection::kRoundRobin);
  auto g2 = pool.Register({loss, other_key}, EndpointSelection::kRoundRobin);
  ASSERT_TRUE(g1.ok() && g2.ok());
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(g1->ids, std::vector<std::size_t>({0}));
  EXPECT_EQ(g2->ids, std::vector<std::size_t>({0, 1}));
  EXPECT_EQ(pool.endpoint(0).config().max_concurrency, 32);  // the larger bound
  EXPECT_EQ(pool.endpoint(0).limiter().limits().rpm, 120);   // the stricter rate
}

TEST(EndpointPoolTest, InvalidUrlIsAnError) {
  FakeClock clock;
  EndpointPool pool(&clock);
  auto group = pool.Register({Ep("not a url")}, EndpointSelection::kRoundRobin);
  ASSERT_FALSE(group.ok());
  EXPECT_NE(group.error().message.find("not a url"), std::string::npos);
  EXPECT_FALSE(pool.Register({}, EndpointSelection::kRoundRobin).ok());
}

}  // namespace
}  // namespace judgeopt::llm
