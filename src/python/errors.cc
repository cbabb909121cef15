#include "errors.h"

#include <array>
#include <string>

namespace judgeopt::python {
namespace py = pybind11;
namespace {

// The class of each ErrorCode (by the enum's value), and the Python built-in each also derives
// from, so that `except ValueError` catches a bad argument as Python code expects.
struct ErrorClass {
  ErrorCode code;
  const char* name;
  PyObject* builtin;  // nullptr: only judgeopt.Error
  const char* doc;
};

std::array<ErrorClass, 12> ErrorClasses() {
  return {{
      {ErrorCode::kInvalidArgument, "InvalidArgumentError", PyExc_ValueError,
       "A bad config, setting, dataset value or argument."},
      {ErrorCode::kNotFound, "NotFoundError", PyExc_LookupError,
       "A missing file, dataset, run or cache entry."},
      {ErrorCode::kParse, "ParseError", PyExc_ValueError,
       "Malformed JSON, CSV or TOML, or a reply no usable value could be read from."},
      {ErrorCode::kIo, "IoError", nullptr, "A filesystem or database failure."},
      {ErrorCode::kUnavailable, "UnavailableError", nullptr,
       "An endpoint that could not be reached or answered 5xx (after retries)."},
      {ErrorCode::kRateLimited, "RateLimitedError", nullptr,
       "An endpoint that kept answering 429 (after retries)."},
      {ErrorCode::kTimeout, "RequestTimeoutError", PyExc_TimeoutError,
       "A request that timed out (after retries)."},
      {ErrorCode::kAuth, "AuthError", nullptr, "An endpoint that refused the key (401/403)."},
      {ErrorCode::kBadRequest, "BadRequestError", nullptr,
       "An endpoint that refused the request (400/404/422)."},
      {ErrorCode::kBudgetExceeded, "BudgetExceededError", nullptr,
       "A call, or a projected run, that the budget (max_usd, max_calls) does not allow."},
      {ErrorCode::kCancelled, "CancelledError", nullptr, "Work stopped by a stop request."},
      {ErrorCode::kInternal, "InternalError", nullptr, "A failure that is judgeopt's bug."},
  }};
}

// Set once by RegisterErrors (the module lives until the interpreter ends).
PyObject* g_base = nullptr;
std::array<PyObject*, 12> g_classes{};

}  // namespace

void RegisterErrors(py::module_& m) {
  g_base = PyErr_NewExceptionWithDoc(
      "judgeopt.Error",
      "Base class of judgeopt's errors. `code` names the kind (e.g. 'invalid argument'); the "
      "message is the library's, naming the file, key, run or role at fault.",
      PyExc_Exception, nullptr);
  m.add_object("Error", py::handle(g_base));
  for (const ErrorClass& c : ErrorClasses()) {
    py::tuple bases = c.builtin != nullptr
                          ? py::make_tuple(py::handle(g_base), py::handle(c.builtin))
                          : py::make_tuple(py::handle(g_base));
    const std::string qualified = std::string("judgeopt.") + c.name;
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), c.doc, bases.ptr(), nullptr);
    if (cls == nullptr) throw py::error_already_set();
    py::setattr(cls, "code", py::str(std::string(ErrorCodeName(c.code))));
    g_classes[static_cast<std::size_t>(c.code)] = cls;
    m.add_object(c.name, py::handle(cls));
  }
}

void ThrowError(const Error& error) {
  const std::size_t index = static_cast<std::size_t>(error.code);
  PyObject* cls =
      index < g_classes.size() && g_classes[index] != nullptr ? g_classes[index] : g_base;
  PyErr_SetString(cls, error.message.c_str());
  throw py::error_already_set();
}

}  // namespace judgeopt::python
