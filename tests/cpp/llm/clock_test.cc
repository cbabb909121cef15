#include "judgeopt/base/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "fakes/fake_clock.h"

namespace judgeopt {
namespace {

TEST(FakeClockTest, SleepAdvancesTimeInstantlyAndIsRecorded) {
  fakes::FakeClock clock(50.0);
  EXPECT_DOUBLE_EQ(clock.NowSeconds(), 50.0);
  clock.Sleep(1.5);
  clock.Sleep(0.0);   // not recorded
  clock.Sleep(-3.0);  // not recorded, time does not go back
  clock.Advance(2.0);
  EXPECT_DOUBLE_EQ(clock.NowSeconds(), 53.5);
  EXPECT_EQ(clock.sleeps(), std::vector<double>({1.5}));
  EXPECT_DOUBLE_EQ(clock.total_slept(), 1.5);
  clock.ClearSleeps();
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(FakeClockTest, ConcurrentSleepsAllCount) {
  fakes::FakeClock clock(0.0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) clock.Sleep(0.5);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_DOUBLE_EQ(clock.NowSeconds(), 400.0);
  EXPECT_EQ(clock.sleeps().size(), 800u);
}

TEST(RealClockTest, IsMonotonicAndZeroSleepReturns) {
  RealClock clock;
  double a = clock.NowSeconds();
  clock.Sleep(0.0);
  clock.Sleep(-1.0);
  double b = clock.NowSeconds();
  EXPECT_GE(b, a);
}

}  // namespace
}  // namespace judgeopt
