#include "interruptible.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <thread>
#include <utility>

#include "judgeopt/base/interrupt.h"

namespace judgeopt::python {
namespace py = pybind11;

std::string CallbackFailures::Record(py::error_already_set error, const std::string& where) {
  const std::string type = py::str(error.type().attr("__name__"));
  const std::string text = py::str(error.value());
  const std::string message = where + " raised " + type + (text.empty() ? "" : ": " + text);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!first_) {
      first_.emplace(std::move(error));
      where_ = where;
    }
  }
  failed_.store(true);
  RequestInterrupt(SIGINT);
  return message;
}

void CallbackFailures::RaiseIfAny() {
  std::optional<py::error_already_set> error;
  std::string where;
  {
    std::lock_guard<std::mutex> lock(mu_);
    error.swap(first_);
    where = where_;
  }
  if (!error) return;
  if (py::hasattr(error->value(), "add_note")) {
    error->value().attr("add_note")("judgeopt: raised " + where +
                                    "; the work stopped cleanly "
                                    "(completed steps are stored; resume continues the run)");
  }
  throw std::move(*error);
}

void RunInterruptible(const std::function<void()>& work, CallbackFailures& failures) {
  std::exception_ptr thrown;
  std::optional<py::error_already_set> signalled;
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      thrown = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    done_cv.notify_all();
  });
  {
    py::gil_scoped_release release;
    std::unique_lock<std::mutex> lock(mu);
    while (!done_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (!signalled && PyErr_CheckSignals() != 0) {
          signalled.emplace();  // fetches KeyboardInterrupt (or the handler's exception)
          RequestInterrupt(SIGINT);
        }
      }
      lock.lock();
    }
  }
  worker.join();
  const bool stopped = InterruptSignal() != 0;
  if (stopped) ClearInterrupt();
  if (signalled) throw std::move(*signalled);
  failures.RaiseIfAny();
  if (thrown) std::rethrow_exception(thrown);
}

}  // namespace judgeopt::python
