#include "fakes/fake_clock.h"

namespace judgeopt::fakes {

double FakeClock::NowSeconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void FakeClock::Sleep(double seconds) {
  if (seconds <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  now_ += seconds;
  sleeps_.push_back(seconds);
}

void FakeClock::Advance(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (seconds > 0) now_ += seconds;
}

std::vector<double> FakeClock::sleeps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleeps_;
}

double FakeClock::total_slept() const {
  std::lock_guard<std::mutex> lock(mu_);
  double total = 0;
  for (double s : sleeps_) total += s;
  return total;
}

void FakeClock::ClearSleeps() {
  std::lock_guard<std::mutex> lock(mu_);
  sleeps_.clear();
}

}  // namespace judgeopt::fakes
