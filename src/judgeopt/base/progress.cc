#include "judgeopt/base/progress.h"

#include <unistd.h>

#include <chrono>
#include <cmath>

namespace judgeopt {
namespace {

double SteadyNow() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string FormatDuration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  char buf[32];
  long t = std::lround(s);
  if (t >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ldh%02ldm", t / 3600, (t / 60) % 60);
  } else if (t >= 60) {
    std::snprintf(buf, sizeof(buf), "%ldm%02lds", t / 60, t % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%lds", t);
  }
  return buf;
}

}  // namespace

Progress::Progress(Options options) : o_(std::move(options)) {
  if (!o_.now) o_.now = SteadyNow;
  if (o_.is_tty < 0) o_.is_tty = o_.out && isatty(fileno(o_.out)) ? 1 : 0;
  start_ = o_.now();
}

void Progress::Advance(std::size_t units, bool cache_hit) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ += units;
  if (cache_hit) hits_ += units;
  MaybeDraw(false);
}

void Progress::SetStage(const std::string& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  stage_ = stage;
  MaybeDraw(false);
}

void Progress::AddSpend(long long tokens, double usd) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ += tokens;
  usd_ += usd;
}

std::size_t Progress::done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  MaybeDraw(true);
  if (o_.enabled && o_.is_tty) std::fputc('\n', o_.out);
  finished_ = true;
}

std::string Progress::Line() const {
  const double elapsed = o_.now() - start_;
  std::string s = o_.label + ": " + std::to_string(done_);
  if (o_.total > 0) {
    s += "/" + std::to_string(o_.total);
    char pct[16];
    std::snprintf(pct, sizeof(pct), " (%.0f%%)", 100.0 * done_ / o_.total);
    s += pct;
  }
  if (hits_ > 0) s += ", " + std::to_string(hits_) + " cached";
  if (tokens_ > 0) s += ", " + std::to_string(tokens_) + " tok";
  if (usd_ > 0) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), ", $%.4f", usd_);
    s += buf;
  }
  if (!stage_.empty()) s += " [" + stage_ + "]";
  s += ", " + FormatDuration(elapsed);
  if (o_.total > 0 && done_ > 0 && done_ < o_.total) {
    s += ", ETA " + FormatDuration(elapsed / done_ * (o_.total - done_));
  }
  return s;
}

void Progress::MaybeDraw(bool force) {
  if (!o_.enabled || finished_ || !o_.out) return;
  const double t = o_.now();
  const double interval = o_.is_tty ? 0.1 : o_.plain_interval_s;
  if (!force && t - last_draw_ < interval) return;
  last_draw_ = t;
  if (o_.is_tty) {
    std::fprintf(o_.out, "\r\033[K%s", Line().c_str());
  } else {
    std::fprintf(o_.out, "%s\n", Line().c_str());
  }
  std::fflush(o_.out);
}

}  // namespace judgeopt
