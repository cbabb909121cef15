#include "judgeopt/base/clock.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "judgeopt/base/interrupt.h"

namespace judgeopt {

double RealClock::NowSeconds() const {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void RealClock::Sleep(double seconds) {
  // In slices, so that a request to stop (SIGINT/SIGTERM) cuts a long backoff short.
  constexpr double kSlice = 0.1;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (seconds > 0 && InterruptSignal() == 0) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return;
    const double left = std::chrono::duration<double>(until - now).count();
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(left, kSlice)));
  }
}

}  // namespace judgeopt
