#pragma once
// Python functions as model roles (backend "python", docs/python.md): a role's calls go through
// the same client stack as an HTTP backend's (cache, budget, ledger, run store, concurrency
// limit) and end in a call of the user's function `(messages, params) -> str | dict`.

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "interruptible.h"
#include "judgeopt/base/result.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::python {

/// A Python object shared with C++ threads: copied and released only with the GIL held, whatever
/// thread drops the last reference. Created with the GIL held.
using SharedPyObject = std::shared_ptr<pybind11::object>;
SharedPyObject ShareObject(pybind11::object object);

/// Messages as Python sees them (and OpenAI's clients take them): a list of {"role": ...,
/// "content": ...}.
pybind11::list MessagesToPy(const std::vector<llm::ChatMessage>& messages);
/// The rest of `request` as a dict: role, model, temperature, max_tokens, seed (None when
/// unset), sample_index, tag, response_format and extra_body (dicts, or None).
pybind11::dict ParamsToPy(const llm::ChatRequest& request);
/// The request a Python caller describes with (messages, params) as above; params may leave
/// out anything but what it changes ("role" defaults to the judge's). Raises TypeError or
/// ValueError naming what is wrong.
llm::ChatRequest RequestFromPy(pybind11::handle messages, pybind11::handle params);
/// A reply as Python sees it: {"text", "finish_reason", "model", "usage": {...}, "simulated"}.
pybind11::dict ReplyToPy(const llm::ChatResponse& reply);

/// The model name of a python role that names none: "python:<module>.<qualified name>" of the
/// function (of its type, for a callable object).
std::string DefaultModelName(pybind11::handle function);

/// One python role's model: calls `function(messages, params)` with the GIL held for the call
/// only, from any of the stack's worker threads. The function returns the reply's text (str) or
/// a dict with "text" and optionally "usage" (an OpenAI-style usage dict; without one the
/// tokens are approximated and flagged estimated), "finish_reason" ("stop"), "model" (the
/// request's) and "simulated" (False). An exception it raises, or a reply of another shape
/// (TypeError), is kept by `failures` and stops the work (no retry); after one, every call
/// fails at once with kCancelled. Shares the function and `failures`; thread-safe.
class PythonRoleClient final : public llm::LlmClient {
 public:
  PythonRoleClient(llm::Role role, SharedPyObject function,
                   std::shared_ptr<CallbackFailures> failures);
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override;

 private:
  Result<llm::ChatResponse> Call(const llm::ChatRequest& request);
  std::string Where(const llm::ChatRequest& request) const;

  const llm::Role role_;
  SharedPyObject function_;
  std::shared_ptr<CallbackFailures> failures_;
};

}  // namespace judgeopt::python
