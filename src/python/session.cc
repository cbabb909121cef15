#include "session.h"

#include "convert.h"
#include "errors.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/io/client_stack_factory.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

// The [llm] table the "llm" option gives: a dict, or a config file's [llm] table.
std::optional<llm::LlmConfig> LlmTableOption(const py::dict& options) {
  if (!options.contains("llm") || options["llm"].is_none()) return std::nullopt;
  py::handle value = options["llm"];
  if (py::isinstance<py::dict>(value)) {
    return Unwrap(llm::ParseLlmConfig(PyToJson(value, "llm="), "llm="));
  }
  const std::string path = PathArg(value);
  config::Json tree = Unwrap(config::LoadTreeFile(path));
  if (!tree.is_object() || !tree.contains("llm")) return llm::DefaultLlmConfig();
  return Unwrap(llm::ParseLlmConfig(tree["llm"], path));
}

}  // namespace

ModelSetup ReadModelSetup(const py::dict& options) {
  ModelSetup setup;
  if (auto ws = Option<py::object>(options, "workspace")) setup.workspace = PathArg(*ws);
  setup.no_cache = Option<bool>(options, "no_cache").value_or(false);
  setup.concurrency = Option<int>(options, "concurrency").value_or(0);
  setup.budget.max_usd = Option<double>(options, "max_usd");
  setup.budget.max_calls = Option<int64_t>(options, "max_calls");
  if (auto dir = Option<py::object>(options, "data_dir")) setup.data_dir = PathArg(*dir);
  if (auto roles = Option<py::dict>(options, "roles")) {
    for (auto [name, function] : *roles) {
      const std::string role_name = py::str(name);
      auto role = llm::RoleFromName(role_name);
      if (!role) throw py::value_error("unknown role '" + role_name + "'");
      if (function.is_none()) continue;
      if (!PyCallable_Check(function.ptr())) {
        throw py::type_error("the " + role_name +
                             " role must be a callable "
                             "(messages, params) -> str | dict");
      }
      setup.functions[*role] = ShareObject(py::reinterpret_borrow<py::object>(function));
    }
  }
  return setup;
}

llm::LlmConfig ResolveLlmConfig(llm::LlmConfig base, const py::dict& options,
                                std::span<const llm::Role> roles) {
  llm::LlmConfig config = LlmTableOption(options).value_or(std::move(base));
  llm::LlmOverrides overrides;
  if (auto b = Option<std::string>(options, "backend"))
    overrides.backend = Unwrap(llm::ParseBackend(*b));
  overrides.model = Option<std::string>(options, "model");
  overrides.base_url = Option<std::string>(options, "base_url");
  overrides.concurrency = Option<int>(options, "concurrency");
  Check(llm::ApplyOverrides(config, overrides, roles));
  if (auto functions = Option<py::dict>(options, "roles")) {
    for (auto [name, function] : *functions) {
      auto role = llm::RoleFromName(py::cast<std::string>(py::str(name)));
      if (!role || function.is_none()) continue;
      llm::RoleConfig& rc = config.role(*role);
      rc.backend = llm::Backend::kPython;
      if (rc.model.empty()) rc.model = DefaultModelName(function);
    }
  }
  return config;
}

Result<Session> OpenSession(const llm::LlmConfig& config, std::span<const llm::Role> roles,
                            std::shared_ptr<const data::Dataset> dataset, uint64_t sim_seed,
                            const ModelSetup& setup,
                            const std::shared_ptr<CallbackFailures>& failures) {
  io::ClientStackOpenOptions options;
  options.workspace = setup.workspace;
  options.no_cache = setup.no_cache;
  options.roles.assign(roles.begin(), roles.end());
  options.budget = setup.budget;
  options.make_sim = sim::SimFactory(std::move(dataset), sim_seed);
  const llm::PerRole<SharedPyObject> functions = setup.functions;
  options.make_python = [functions,
                         failures](llm::Role role) -> Result<std::unique_ptr<llm::LlmClient>> {
    if (!functions[role]) {
      return InvalidArgument("llm." + std::string(llm::RoleName(role)) +
                             ": backend 'python' needs a function: pass " +
                             std::string(llm::RoleName(role)) + "=<callable>");
    }
    return std::unique_ptr<llm::LlmClient>(
        std::make_unique<PythonRoleClient>(role, functions[role], failures));
  };
  JO_ASSIGN_OR_RETURN(io::OpenedClientStack opened,
                      io::OpenClientStack(config, std::move(options)));
  Session session;
  session.stack = std::move(opened.stack);
  session.cache_path = std::move(opened.cache_path);
  session.notes = std::move(opened.notes);
  const llm::Role first = roles.empty() ? llm::Role::kJudge : roles.front();
  session.workers = llm::WorkersFor(session.stack->config().role(first), setup.concurrency);
  return session;
}

Result<std::shared_ptr<const data::Dataset>> LoadDatasetShared(const std::string& name,
                                                               const std::string& protocol,
                                                               const std::string& version,
                                                               const std::string& data_dir) {
  data::LoadOptions options;
  options.protocol = protocol;
  options.version = version;
  const data::DataLocator locator = data::DataLocator::FromProcess(data_dir);
  JO_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(name, locator, options));
  return std::make_shared<const data::Dataset>(std::move(ds));
}

namespace {

py::dict LineToPy(const llm::LedgerLine& line) {
  py::dict d = TallyToPy(line);
  d["refused"] = line.refused;
  d["simulated"] = line.simulated;
  return d;
}

}  // namespace

py::dict TallyToPy(const llm::UsageTally& tally) {
  py::dict d;
  d["calls"] = tally.calls;
  d["cache_hits"] = tally.cache_hits;
  d["failed"] = tally.failed;
  d["prompt_tokens"] = tally.prompt_tokens;
  d["completion_tokens"] = tally.completion_tokens;
  d["cached_tokens"] = tally.cached_tokens;
  d["reasoning_tokens"] = tally.reasoning_tokens;
  d["usd"] = tally.usd;
  return d;
}

py::dict LedgerToPy(const llm::LedgerSnapshot& ledger) {
  py::dict by_role;
  for (const auto& [role, line] : ledger.by_role) by_role[py::str(role)] = LineToPy(line);
  py::dict out;
  out["total"] = LineToPy(ledger.total);
  out["by_role"] = std::move(by_role);
  return out;
}

}  // namespace judgeopt::python
