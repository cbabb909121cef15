#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace judgeopt {

/// Progress of a long job (an evaluation, a stage, a run) on stderr. On a terminal it redraws one
/// line in place; otherwise it writes a plain log line at most every `plain_interval_s` seconds
/// and at the end. Thread-safe: workers call Advance() concurrently. Never writes to stdout, so
/// results printed there stay clean. Owns nothing but its counters; the FILE* is borrowed.
class Progress {
 public:
  struct Options {
    std::string label;              // e.g. "eval summeval/test"
    std::size_t total = 0;          // expected units of work (0 = unknown)
    bool enabled = true;            // false: silent (--quiet, tests)
    double plain_interval_s = 5.0;  // spacing of plain log lines when not on a terminal
    std::FILE* out = stderr;
    std::function<double()> now;    // seconds; defaults to a steady clock
    int is_tty = -1;                // -1: detect from `out`
  };
  explicit Progress(Options options);

  /// Adds `units` of finished work; `cache_hit` counts toward the cache-hit figure.
  void Advance(std::size_t units = 1, bool cache_hit = false);
  /// Sets the free-text stage shown after the counters (e.g. "gradient").
  void SetStage(const std::string& stage);
  /// Adds tokens and dollars spent to the running totals shown.
  void AddSpend(long long tokens, double usd);
  /// Writes the final line (newline-terminated on a terminal).
  void Finish();

  std::size_t done() const;

 private:
  void MaybeDraw(bool force);
  std::string Line() const;

  Options o_;
  mutable std::mutex mu_;
  std::size_t done_ = 0;
  std::size_t hits_ = 0;
  long long tokens_ = 0;
  double usd_ = 0.0;
  std::string stage_;
  double start_ = 0.0;
  double last_draw_ = -1e18;
  bool finished_ = false;
};

}  // namespace judgeopt
