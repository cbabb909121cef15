// The extension module judgeopt._judgeopt: registers every part (bindings.h) and the version.
// The package python/judgeopt/__init__.py imports it and adds the Python-level functions.

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "errors.h"
#include "judgeopt/base/version.h"

PYBIND11_MODULE(_judgeopt, m) {
  namespace py = pybind11;
  using namespace judgeopt::python;
  m.doc() = "judgeopt's C++ library (the package judgeopt wraps it; see docs/python.md)";
  m.attr("__version__") = judgeopt::VersionNumber();
  m.def("version", &judgeopt::VersionString,
        "The full version, as `judgeopt --version` prints it: '<version> (<git revision>)'.");
  RegisterErrors(m);
  RegisterData(m);
  RegisterPrompts(m);
  RegisterSim(m);
  RegisterEval(m);
  RegisterOptimize(m);
  RegisterEstimate(m);
  RegisterRuns(m);
}
