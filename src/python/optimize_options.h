#pragma once
// The optimize config that optimize() and estimate() resolve from their arguments, and the one
// a stored run was started with (resume()).

#include <pybind11/pybind11.h>

#include <string>

#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::python {

/// `config` (None: the built-in defaults; a dict shaped as a config file; or a config file's
/// path), with the "llm" option and the model overrides applied to every role
/// (ResolveLlmConfig), then the settings dataset, algorithm, mode, gate, steps, batch_size,
/// judge_mode and seed (optim::ApplyOptimizeOverrides), validated. Raises the library's errors,
/// naming the key or keyword. Needs the GIL.
optim::OptimizeConfig ResolveOptimizeConfig(pybind11::handle config, const pybind11::dict& options);

/// The resolved config stored with run `run_id` in `workspace` ("" = the current directory).
/// Raises NotFoundError for an unknown run. Needs the GIL (it reads the store briefly).
optim::OptimizeConfig StoredRunConfig(const std::string& workspace, const std::string& run_id);

}  // namespace judgeopt::python
