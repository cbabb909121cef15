// judgeopt.estimate (the extension's _estimate) and judgeopt.Estimate: `judgeopt estimate` from
// Python, the projected calls, tokens and dollars of optimize() before any call.

#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "optimize_options.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

/// A projection and the budget it was made against. Plain value.
struct PyEstimate {
  optim::CostEstimate estimate;
  llm::Budget budget;
};

PyEstimate Estimate(py::object config, const py::dict& options) {
  const optim::OptimizeConfig c = ResolveOptimizeConfig(config, options);
  const ModelSetup setup = ReadModelSetup(options);
  PyEstimate out;
  out.budget = c.budget;
  if (setup.budget.max_usd) out.budget.max_usd = setup.budget.max_usd;
  if (setup.budget.max_calls) out.budget.max_calls = setup.budget.max_calls;
  Result<optim::CostEstimate> estimate = Error();
  {
    py::gil_scoped_release release;
    estimate = [&]() -> Result<optim::CostEstimate> {
      JO_ASSIGN_OR_RETURN(auto dataset, LoadDatasetShared(c.dataset, EnumName(c.protocol),
                                                          c.data_version, setup.data_dir));
      return optim::EstimateRun(c, *dataset);
    }();
  }
  out.estimate = Unwrap(std::move(estimate));
  return out;
}

py::object RolesTable(const PyEstimate& e) {
  py::list rows;
  for (const optim::RoleEstimate& r : e.estimate.roles) {
    py::dict row;
    row["role"] = std::string(llm::RoleName(r.role));
    row["model"] = r.model;
    row["simulated"] = r.simulated;
    row["priced"] = r.priced;
    row["calls_min"] = r.calls.min;
    row["calls_max"] = r.calls.max;
    row["prompt_tokens_min"] = r.prompt_tokens.min;
    row["prompt_tokens_max"] = r.prompt_tokens.max;
    row["completion_tokens_min"] = r.completion_tokens.min;
    row["completion_tokens_max"] = r.completion_tokens.max;
    row["usd_min"] = r.usd_min;
    row["usd_max"] = r.usd_max;
    rows.append(std::move(row));
  }
  return MakeTable(rows,
                   {{"role", "text"},
                    {"model", "text"},
                    {"simulated", "bool"},
                    {"priced", "bool"},
                    {"calls_min", "int"},
                    {"calls_max", "int"},
                    {"prompt_tokens_min", "int"},
                    {"prompt_tokens_max", "int"},
                    {"completion_tokens_min", "int"},
                    {"completion_tokens_max", "int"},
                    {"usd_min", "real"},
                    {"usd_max", "real"}},
                   "estimate");
}

}  // namespace

void RegisterEstimate(py::module_& m) {
  py::class_<PyEstimate>(m, "Estimate",
                         "The projected cost of optimize() with the same arguments, before any "
                         "call: a lower bound (every gated step rejected) and an upper bound "
                         "(every step accepted), per role and in total (docs/protocol.md).")
      .def_property_readonly("roles", &RolesTable,
                             "Table, one row per role: model, simulated, priced, and the min and "
                             "max of calls, prompt and completion tokens and dollars.")
      .def_property_readonly(
          "calls_min", [](const PyEstimate& e) { return e.estimate.calls.min; },
          "Calls if every gated step is rejected.")
      .def_property_readonly(
          "calls_max", [](const PyEstimate& e) { return e.estimate.calls.max; },
          "Calls if every step is accepted.")
      .def_property_readonly(
          "usd_min", [](const PyEstimate& e) { return e.estimate.usd_min; },
          "Dollars, lower bound.")
      .def_property_readonly(
          "usd_max", [](const PyEstimate& e) { return e.estimate.usd_max; },
          "Dollars, upper bound.")
      .def_property_readonly(
          "runs", [](const PyEstimate& e) { return e.estimate.runs; },
          "Runs the call makes (one per criterion for mode ST).")
      .def_property_readonly(
          "exceeds_budget",
          [](const PyEstimate& e) { return optim::ExceedsBudget(e.estimate, e.budget); },
          "True when the upper bound exceeds max_usd or max_calls: optimize() "
          "then refuses to start unless force=True.")
      .def_property_readonly(
          "text", [](const PyEstimate& e) { return optim::RenderEstimate(e.estimate); },
          "The table `judgeopt estimate` prints.")
      .def(
          "to_pandas", [](const PyEstimate& e) { return RolesTable(e).attr("to_pandas")(); },
          "The roles table as a pandas DataFrame.")
      .def("__str__", [](const PyEstimate& e) { return optim::RenderEstimate(e.estimate); })
      .def("__repr__", [](const PyEstimate& e) {
        return "<judgeopt.Estimate " + optim::DescribeProjection(e.estimate) + ">";
      });
  m.def("_estimate", &Estimate, py::arg("config"), py::arg("options"),
        "The engine of judgeopt.estimate (see its docstring).");
}

}  // namespace judgeopt::python
