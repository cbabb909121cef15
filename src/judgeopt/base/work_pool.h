#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace judgeopt {

/// A fixed set of worker threads that runs index-addressed jobs. ParallelFor(n, fn) calls fn(i)
/// for every i in [0, n) with at most `threads` running at once and returns when all are done;
/// results are written by index, so they never depend on completion order.
/// Owns its threads (joined in the destructor). ParallelFor may be called from several threads at
/// once; jobs from concurrent calls share the workers. fn must not throw.
class WorkPool {
 public:
  explicit WorkPool(std::size_t threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  std::size_t threads() const { return workers_.size(); }
  void ParallelFor(std::size_t n, const std::function<void(std::size_t)>& fn);

 private:
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace judgeopt
