#include "progress.h"

#include <utility>

namespace judgeopt::python {
namespace py = pybind11;

PythonProgress::PythonProgress(SharedPyObject callback, std::shared_ptr<CallbackFailures> failures)
    : callback_(std::move(callback)), failures_(std::move(failures)) {}

py::dict PythonProgress::Event(const char* kind, const std::string& run_id, int step,
                               int total) const {
  py::dict event;
  event["event"] = kind;
  event["run_id"] = run_id;
  event["step"] = step;
  event["total"] = total;
  const llm::LedgerLine t = stack_ ? stack_->ledger().total : llm::LedgerLine{};
  event["calls"] = t.calls + t.cache_hits;
  event["cache_hits"] = t.cache_hits;
  event["tokens"] = t.prompt_tokens + t.completion_tokens;
  event["usd"] = t.usd;
  return event;
}

void PythonProgress::Send(py::dict event) {
  try {
    (*callback_)(std::move(event));
  } catch (py::error_already_set& e) {
    failures_->Record(std::move(e), "in the progress callback");
  }
}

void PythonProgress::OnStage(const std::string& run_id, int step, int total,
                             std::string_view stage) {
  if (!callback_ || failures_->failed()) return;
  py::gil_scoped_acquire gil;
  py::dict event = Event("stage", run_id, step, total);
  event["stage"] = std::string(stage);
  Send(std::move(event));
}

void PythonProgress::OnStepDone(const std::string& run_id, int step, int total,
                                std::string_view decision, std::optional<double> test_spearman) {
  if (!callback_ || failures_->failed()) return;
  py::gil_scoped_acquire gil;
  py::dict event = Event("step", run_id, step, total);
  event["decision"] = std::string(decision);
  event["test_spearman"] = test_spearman ? py::object(py::float_(*test_spearman)) : py::none();
  Send(std::move(event));
}

}  // namespace judgeopt::python
