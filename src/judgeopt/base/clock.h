#pragma once
// Time as an injected dependency: code that waits (retry backoff, rate limiting) or measures
// latency asks a Clock, so tests can substitute a fake one that never really sleeps.

namespace judgeopt {

/// A monotonic time source that can also wait. Interface; implementations are thread-safe.
/// Callers hold a non-owning pointer or reference; the clock must outlive them.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Seconds since an arbitrary fixed origin; never decreases.
  virtual double NowSeconds() const = 0;
  /// Blocks the calling thread for `seconds` (no-op for seconds <= 0).
  virtual void Sleep(double seconds) = 0;
};

/// The real monotonic clock (std::chrono::steady_clock) and a real sleep, which returns early
/// once the process is asked to stop (base/interrupt.h). Stateless and thread-safe; construct
/// one wherever the real clock is wired in.
class RealClock final : public Clock {
 public:
  double NowSeconds() const override;
  void Sleep(double seconds) override;
};

}  // namespace judgeopt
