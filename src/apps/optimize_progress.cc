#include "apps/optimize_progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace judgeopt::apps {

OptimizeProgress::OptimizeProgress(const llm::ClientStack& stack, bool enabled)
    : stack_(stack), enabled_(enabled), tty_(isatty(fileno(stderr)) != 0) {}

std::string OptimizeProgress::Counters() const {
  const llm::LedgerLine t = stack_.ledger().total;
  return fmt::format("calls {} (cache hits {}), tokens {}, ${:.4f}", t.calls + t.cache_hits,
                     t.cache_hits, t.prompt_tokens + t.completion_tokens, t.usd);
}

std::string OptimizeProgress::Eta(int step, int total) const {
  if (first_step_ < 0 || step <= first_step_) return "ETA -";
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start_).count();
  const double per_step = elapsed / (step - first_step_);
  const int secs = static_cast<int>(per_step * (total - step + 1));
  return fmt::format("ETA {}m{:02d}s", secs / 60, secs % 60);
}

void OptimizeProgress::OnStage(const std::string& run_id, int step, int total,
                               std::string_view stage) {
  if (!enabled_) return;
  if (run_id != run_id_) {
    run_id_ = run_id;
    first_step_ = step;
    run_start_ = std::chrono::steady_clock::now();
  }
  const std::string line = fmt::format("[{}] step {}/{} {:<10} {}  {}", run_id, step, total,
                                       stage, Counters(), Eta(step, total));
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void OptimizeProgress::OnStepDone(const std::string& run_id, int step, int total,
                                  std::string_view decision, std::optional<double> test_spearman) {
  if (!enabled_) return;
  Finish();
  const std::string metric =
      test_spearman ? fmt::format("test avg spearman {:.3f}", *test_spearman) : "not evaluated";
  std::fprintf(stderr, "[%s] step %d/%d done: %.*s, %s; %s\n", run_id.c_str(), step, total,
               static_cast<int>(decision.size()), decision.data(), metric.c_str(),
               Counters().c_str());
  std::fflush(stderr);
}

void OptimizeProgress::Finish() {
  if (line_open_) std::fprintf(stderr, "\n");
  line_open_ = false;
}

}  // namespace judgeopt::apps
