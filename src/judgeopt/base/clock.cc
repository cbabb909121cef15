#include "judgeopt/base/clock.h"

#include <chrono>
#include <thread>

namespace judgeopt {

double RealClock::NowSeconds() const {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void RealClock::Sleep(double seconds) {
  if (seconds <= 0) return;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace judgeopt
