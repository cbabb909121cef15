#include "judgeopt/base/interrupt.h"

#include <atomic>
#include <csignal>

namespace judgeopt {
namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free store");

}  // namespace

void RequestInterrupt(int signal_number) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal_number);
}

int InterruptSignal() { return g_signal.load(); }

void ClearInterrupt() { g_signal.store(0); }

const char* InterruptName(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

}  // namespace judgeopt
