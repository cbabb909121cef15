#pragma once
// Running library work from Python: off the GIL on its own thread, stoppable by Ctrl-C as the
// CLI is by SIGINT, with the exceptions of Python callbacks (role functions, progress) kept and
// raised once the work has stopped cleanly.

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace judgeopt::python {

/// The first exception a Python callback raised while the library worked (a role's function,
/// a progress callback), kept to be raised in the caller's thread once the work has stopped.
/// Recording one asks the work to stop as Ctrl-C does (base/interrupt.h: no new model call, the
/// current step not recorded), so a run stays resumable. Shared by the callbacks of one call;
/// thread-safe.
class CallbackFailures {
 public:
  /// Keeps `error` when it is the first, noting `where` on it (e.g. "in the judge role's Python
  /// function, request step2/train"), and asks the work to stop. Returns the library's message
  /// for it: "<where> raised <Type>: <message>". Needs the GIL.
  std::string Record(pybind11::error_already_set error, const std::string& where);
  /// True once one was recorded. Any thread, no GIL needed.
  bool failed() const { return failed_.load(); }
  /// Raises the kept exception, with its note; returns when there is none. Needs the GIL.
  void RaiseIfAny();

 private:
  std::mutex mu_;
  std::optional<pybind11::error_already_set> first_;
  std::string where_;
  std::atomic<bool> failed_{false};
};

/// Runs `work` on a new thread with the GIL released. Meanwhile the calling thread checks for
/// signals every 50 ms (PyErr_CheckSignals, which runs Python's handlers: KeyboardInterrupt
/// for Ctrl-C); an exception from a handler asks the work to stop as SIGINT does for the CLI.
/// Once `work` has returned (calls in flight are waited for), raises the signal's exception if
/// any, else the first of `failures`, else what `work` threw; a stop request is then cleared,
/// so that a later call (resume) runs. Called with the GIL held.
void RunInterruptible(const std::function<void()>& work, CallbackFailures& failures);

}  // namespace judgeopt::python
