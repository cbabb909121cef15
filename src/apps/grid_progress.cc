#include "apps/grid_progress.h"

#include <fmt/format.h>

#include <cstdio>

namespace judgeopt::apps {

std::string DescribeSpend(const llm::LedgerLine& t) {
  return fmt::format("calls {} (cache hits {}), ${:.4f}", t.calls, t.cache_hits, t.usd);
}

GridProgress::GridProgress(std::size_t total_runs, bool enabled, std::chrono::seconds every)
    : total_runs_(total_runs),
      enabled_(enabled),
      totals_every_(every),
      last_totals_(std::chrono::steady_clock::now()) {}

void GridProgress::set_phase(const llm::ClientStack* stack, const llm::LedgerLine& spent_before) {
  std::lock_guard<std::mutex> lock(mu_);
  stack_ = stack;
  spent_before_ = spent_before;
}

std::string GridProgress::TotalsLocked() const {
  llm::LedgerLine t = spent_before_;
  if (stack_ != nullptr) t.Add(stack_->ledger().total);
  return fmt::format("grid: {}/{} runs done; {}", done_, total_runs_, DescribeSpend(t));
}

void GridProgress::OnRunStart(std::size_t index, const experiments::GridRun& run) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::fprintf(stderr, "[%zu/%zu] start %s (run %s)\n", index + 1, total_runs_, run.label.c_str(),
               run.plan.run_id.c_str());
  std::fflush(stderr);
}

void GridProgress::OnRunDone(std::size_t index, const experiments::GridRun& run,
                             const experiments::GridRunOutcome& o) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (!enabled_) return;
  const std::string metric =
      o.final_spearman ? fmt::format("avg test spearman {:.3f}", *o.final_spearman) : "no test";
  std::fprintf(stderr, "[%zu/%zu] %s %s: %s, calls %lld (cache hits %lld), $%.4f%s%s\n", index + 1,
               total_runs_, experiments::GridRunStatusName(o.status), run.label.c_str(),
               metric.c_str(), static_cast<long long>(o.usage.calls),
               static_cast<long long>(o.usage.cache_hits), o.usage.usd,
               o.message.empty() ? "" : "; ", o.message.c_str());
  std::fprintf(stderr, "%s\n", TotalsLocked().c_str());
  std::fflush(stderr);
}

void GridProgress::OnStepDone(const std::string&, int, int, std::string_view,
                              std::optional<double>) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_totals_ < totals_every_) return;
  last_totals_ = now;
  std::fprintf(stderr, "%s\n", TotalsLocked().c_str());
  std::fflush(stderr);
}

}  // namespace judgeopt::apps
