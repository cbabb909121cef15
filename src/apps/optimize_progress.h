#pragma once
// The progress display of `judgeopt optimize`: step k of N, stage, calls, cache hits, tokens,
// dollars and ETA; rewritten in place on a terminal, plain log lines otherwise (stderr).

#include <chrono>
#include <cstdio>
#include <string>

#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/engine/run_context.h"

namespace judgeopt::apps {

/// Prints progress for one command. Borrows the stack (for the ledger). Called from the loop's
/// thread only.
class OptimizeProgress final : public optim::RunObserver {
 public:
  OptimizeProgress(const llm::ClientStack& stack, bool enabled);
  void OnStage(const std::string& run_id, int step, int total, std::string_view stage) override;
  void OnStepDone(const std::string& run_id, int step, int total, std::string_view decision,
                  std::optional<double> test_spearman) override;
  /// Ends an in-place line.
  void Finish();

 private:
  std::string Counters() const;
  std::string Eta(int step, int total) const;

  const llm::ClientStack& stack_;
  const bool enabled_;
  const bool tty_;
  std::chrono::steady_clock::time_point run_start_;
  std::string run_id_;
  int first_step_ = -1;
  bool line_open_ = false;
};

}  // namespace judgeopt::apps
