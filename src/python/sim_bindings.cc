// judgeopt.Simulator: the offline simulator as a Python callable with the signature of a python
// role's function, so a notebook can stand it in for a model (its replies are SIMULATED).

#include <memory>

#include "bindings.h"
#include "errors.h"
#include "judgeopt/sim/sim_client.h"
#include "python_role.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

/// The Python object: owns one simulator (thread-safe, so calls may come from many threads).
struct PySimulator {
  std::shared_ptr<sim::SimClient> client;
};

PySimulator MakeSimulator(const PyDataset& d, uint64_t seed) {
  sim::SimOptions options;
  options.seed = seed;
  return {Unwrap(sim::SimClient::Create(d.dataset, options))};
}

py::dict Call(const PySimulator& s, py::handle messages, py::handle params) {
  const llm::ChatRequest request = RequestFromPy(messages, params);
  Result<llm::ChatResponse> reply = Error();
  {
    py::gil_scoped_release release;
    reply = s.client->Complete(request);
  }
  return ReplyToPy(Unwrap(std::move(reply)));
}

}  // namespace

void RegisterSim(py::module_& m) {
  py::class_<PySimulator>(
      m, "Simulator",
      "judgeopt's offline simulator of every role (docs/simulator.md) as a function "
      "(messages, params) -> dict, the signature of a python role: a stand-in for a model in "
      "examples and tests. Its replies are marked simulated, so results that use them are "
      "labelled SIMULATED. Thread-safe; the GIL is released while it computes.")
      .def(py::init(&MakeSimulator), py::arg("dataset"), py::arg("seed") = 0,
           "A simulator over `dataset` (its gold scores drive the simulated judge) seeded with "
           "`seed` (optimize() seeds its own with the run's seed).")
      .def("__call__", &Call, py::arg("messages"), py::arg("params") = py::none(),
           "The simulator's reply to `messages` (a list of {'role', 'content'}) with `params` "
           "(temperature, max_tokens, seed, ...; as a python role receives them): a dict with "
           "text, finish_reason, model, usage and simulated=True.");
}

}  // namespace judgeopt::python
