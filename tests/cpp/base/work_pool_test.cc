#include "judgeopt/base/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace judgeopt {
namespace {

TEST(WorkPoolTest, EveryIndexRunsOnceAndResultsAreByIndex) {
  WorkPool pool(4);
  std::vector<int> out(1000, -1);
  std::atomic<int> calls{0};
  pool.ParallelFor(out.size(), [&](std::size_t i) {
    out[i] = static_cast<int>(i * 2);
    calls++;
  });
  EXPECT_EQ(calls.load(), 1000);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], static_cast<int>(i * 2));
}

TEST(WorkPoolTest, ConcurrentCallersShareWorkers) {
  WorkPool pool(2);
  std::atomic<int> total{0};
  std::thread a([&] { pool.ParallelFor(100, [&](std::size_t) { total++; }); });
  std::thread b([&] { pool.ParallelFor(50, [&](std::size_t) { total++; }); });
  a.join();
  b.join();
  EXPECT_EQ(total.load(), 150);
}

TEST(WorkPoolTest, ZeroJobsReturnsAtOnce) {
  WorkPool pool(1);
  pool.ParallelFor(0, [](std::size_t) { FAIL(); });
}

}  // namespace
}  // namespace judgeopt
