#pragma once

#include <mutex>
#include <vector>

#include "judgeopt/base/clock.h"

namespace judgeopt::fakes {

/// A Clock for tests: time only moves when Sleep() or Advance() is called, and Sleep() returns at
/// once after advancing the time by the requested amount. Records every positive sleep.
/// Thread-safe (one mutex). Owned by the test; must outlive whatever holds a pointer to it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(double start_seconds = 1000.0) : now_(start_seconds) {}

  double NowSeconds() const override;
  /// Advances the time by `seconds` and records the sleep; never blocks.
  void Sleep(double seconds) override;
  /// Moves time forward without recording a sleep (e.g. to model elapsed work).
  void Advance(double seconds);

  /// Every positive Sleep() argument, in call order.
  std::vector<double> sleeps() const;
  /// Sum of all recorded sleeps.
  double total_slept() const;
  void ClearSleeps();

 private:
  mutable std::mutex mu_;
  double now_;
  std::vector<double> sleeps_;
};

}  // namespace judgeopt::fakes
