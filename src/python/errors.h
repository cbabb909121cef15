#pragma once
// judgeopt's errors as Python exceptions: judgeopt.Error and one subclass per error code
// (InvalidArgumentError, NotFoundError, ParseError, ...), raised with the library's message.

#include <pybind11/pybind11.h>

#include <utility>

#include "judgeopt/base/result.h"

namespace judgeopt::python {

/// Creates judgeopt.Error and its subclasses in `m`. Called once, when the module loads.
void RegisterErrors(pybind11::module_& m);

/// Raises `error` as the Python exception of its code, with its message (never returns).
[[noreturn]] void ThrowError(const Error& error);

/// The value of `result`, or ThrowError of its error.
template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) ThrowError(result.error());
  return std::move(result).value();
}

inline void Check(const Status& status) {
  if (!status.ok()) ThrowError(status.error());
}

}  // namespace judgeopt::python
