#include "judgeopt/base/work_pool.h"

#include <atomic>

namespace judgeopt {

WorkPool::WorkPool(std::size_t threads) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void WorkPool::WorkerLoop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

void WorkPool::ParallelFor(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  std::mutex done_mu;
  std::condition_variable done_cv;
  std::size_t remaining = n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::size_t i = 0; i < n; ++i) {
      queue_.emplace_back([&, i] {
        fn(i);
        std::lock_guard<std::mutex> dl(done_mu);
        if (--remaining == 0) done_cv.notify_all();
      });
    }
  }
  cv_.notify_all();
  std::unique_lock<std::mutex> dl(done_mu);
  done_cv.wait(dl, [&] { return remaining == 0; });
}

}  // namespace judgeopt
