#pragma once
// optimize(progress=callable): the run loop's stage and step events handed to a Python function.

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>

#include "interruptible.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/engine/run_context.h"
#include "python_role.h"

namespace judgeopt::python {

/// Calls `callback(event)` with the GIL held, from the loop's thread, for every stage and every
/// committed step. `event` is a dict: "event" ("stage" or "step"), run_id, step, total, then
/// "stage" or "decision" and "test_spearman" (None when not evaluated), and the counters so
/// far: calls (cache hits included), cache_hits, tokens, usd. An exception it raises stops the
/// run cleanly (CallbackFailures) and is raised by optimize(). Null `callback`: nothing is
/// called. Borrows the stack (for the ledger); shares the callback and `failures`. Used from the
/// loop's thread only (RunOptimization's observer).
class PythonProgress final : public optim::RunObserver {
 public:
  PythonProgress(SharedPyObject callback, std::shared_ptr<CallbackFailures> failures);
  /// The stack whose ledger the counters come from (set once it is open).
  void set_stack(const llm::ClientStack* stack) { stack_ = stack; }

  void OnStage(const std::string& run_id, int step, int total, std::string_view stage) override;
  void OnStepDone(const std::string& run_id, int step, int total, std::string_view decision,
                  std::optional<double> test_spearman) override;

 private:
  pybind11::dict Event(const char* kind, const std::string& run_id, int step, int total) const;
  void Send(pybind11::dict event);

  SharedPyObject callback_;
  std::shared_ptr<CallbackFailures> failures_;
  const llm::ClientStack* stack_ = nullptr;
};

}  // namespace judgeopt::python
