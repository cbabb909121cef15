#include "optimize_options.h"

#include "convert.h"
#include "errors.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/optim/config/overrides.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;

optim::OptimizeConfig ResolveOptimizeConfig(py::handle config, const py::dict& options) {
  optim::OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig();  // as a config file without [llm] gets
  if (py::isinstance<py::dict>(config)) {
    c = Unwrap(optim::ParseOptimizeConfig(PyToJson(config, "config="), "config="));
  } else if (!config.is_none()) {
    c = Unwrap(optim::LoadOptimizeConfig(PathArg(config)));
  }
  c.llm = ResolveLlmConfig(c.llm, options, llm::kAllRoles);
  optim::OptimizeOverrides o;
  o.dataset = Option<std::string>(options, "dataset");
  o.algorithm = Option<std::string>(options, "algorithm");
  o.mode = Option<std::string>(options, "mode");
  o.gate = Option<std::string>(options, "gate");
  o.steps = Option<int>(options, "steps");
  o.batch_size = Option<int>(options, "batch_size");
  o.judge_mode = Option<std::string>(options, "judge_mode");
  o.seed = Option<int64_t>(options, "seed");
  Check(optim::ApplyOptimizeOverrides(c, o, optim::OverrideSpelling::kKeywords));
  return c;
}

optim::OptimizeConfig StoredRunConfig(const std::string& workspace, const std::string& run_id) {
  const store::Workspace ws(workspace);
  store::RunReader reader = Unwrap(store::RunReader::OpenInWorkspace(ws));
  const store::RunDetail detail = Unwrap(reader.LoadRun(run_id));
  const std::string origin = "run " + run_id + " stored config";
  const config::Json tree = Unwrap(config::ParseJson(detail.run.info.config_json, origin));
  return Unwrap(optim::ParseOptimizeConfig(tree, origin));
}

}  // namespace judgeopt::python
