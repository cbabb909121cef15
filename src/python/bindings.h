#pragma once
// The parts of the `judgeopt` Python module (module.cc registers them in this order) and the
// wrapper types more than one part uses.

#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>
#include <string>

#include "judgeopt/data/dataset.h"

namespace judgeopt::python {

/// judgeopt.Dataset: a loaded dataset, shared with everything made from it. Immutable.
struct PyDataset {
  std::shared_ptr<const data::Dataset> dataset;
};

/// judgeopt.Example: one example of a dataset, by position. Immutable.
struct PyExample {
  std::shared_ptr<const data::Dataset> dataset;
  std::size_t position = 0;
  const data::Example& get() const { return dataset->examples[position]; }
};

/// judgeopt.Run: the stored run `run_id` of `workspace` (runs_bindings.cc). Needs the GIL.
pybind11::object LoadRunObject(const std::string& workspace, const std::string& run_id);

void RegisterData(pybind11::module_& m);      // data_bindings.cc
void RegisterPrompts(pybind11::module_& m);   // prompt_bindings.cc
void RegisterSim(pybind11::module_& m);       // sim_bindings.cc
void RegisterEval(pybind11::module_& m);      // eval_bindings.cc
void RegisterOptimize(pybind11::module_& m);  // optimize_bindings.cc
void RegisterEstimate(pybind11::module_& m);  // estimate_bindings.cc
void RegisterRuns(pybind11::module_& m);      // runs_bindings.cc

}  // namespace judgeopt::python
