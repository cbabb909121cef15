#pragma once
// The model settings evaluate(), optimize(), estimate() and resume() share (docs/python.md):
// the [llm] table, overrides, python roles, workspace, cache and budget, read from the options
// dict the Python wrappers pass (python/judgeopt/__init__.py), and the client stack they open.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "interruptible.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/llm_config.h"
#include "python_role.h"

namespace judgeopt::python {

/// Reads one option of an options dict: `options[key]` when present and not None.
template <typename T>
std::optional<T> Option(const pybind11::dict& options, const char* key) {
  if (!options.contains(key) || options[key].is_none()) return std::nullopt;
  return pybind11::cast<T>(options[key]);
}

/// What the model options resolve to, free of Python objects but the shared role functions:
/// usable off the GIL. Plain value.
struct ModelSetup {
  std::string workspace;  // "" = the current directory
  bool no_cache = false;
  int concurrency = 0;  // 0 = the configured one
  llm::Budget budget;   // max_usd / max_calls given; the caller merges a config's [budget]
  llm::PerRole<SharedPyObject> functions{};  // set for each python role
  std::string data_dir;                      // "" = $JUDGEOPT_DATA, then ../shared/data
};

/// Reads workspace, no_cache, concurrency, max_usd, max_calls, data_dir and the role functions
/// ("roles": role name -> callable). Raises ValueError for an unknown role. Needs the GIL.
ModelSetup ReadModelSetup(const pybind11::dict& options);

/// The LLM configuration for `roles`: `base`, or the "llm" option (a dict shaped as a config's
/// [llm] table, or a config file whose [llm] table is read) when given; then backend, model,
/// base_url and concurrency applied to `roles`; then each role with a function made a python
/// role, named DefaultModelName(function) unless it names a model. Raises the library's errors.
/// Needs the GIL.
llm::LlmConfig ResolveLlmConfig(llm::LlmConfig base, const pybind11::dict& options,
                                std::span<const llm::Role> roles);

/// An open client stack and what goes with it. Owns the stack (whose python roles' clients
/// share the role functions and the call's CallbackFailures). Used from the thread that opened
/// it.
struct Session {
  std::unique_ptr<llm::ClientStack> stack;
  std::string cache_path;
  std::vector<std::string> notes;
  int workers = 8;  // llm::WorkersFor the first role
};

/// Opens the stack for `roles` over `config`: the workspace's response cache (unless no_cache),
/// the libcurl transport, the simulator over `dataset` seeded with `sim_seed`, and a
/// PythonRoleClient per python role reporting to `failures`. No GIL needed (a python role's
/// function is only called later, by the stack's clients).
Result<Session> OpenSession(const llm::LlmConfig& config, std::span<const llm::Role> roles,
                            std::shared_ptr<const data::Dataset> dataset, uint64_t sim_seed,
                            const ModelSetup& setup,
                            const std::shared_ptr<CallbackFailures>& failures);

/// Loads a dataset as `judgeopt` does (built-in name or spec path, found through data_dir,
/// $JUDGEOPT_DATA, ../shared/data). No GIL needed.
Result<std::shared_ptr<const data::Dataset>> LoadDatasetShared(const std::string& name,
                                                               const std::string& protocol,
                                                               const std::string& version,
                                                               const std::string& data_dir);

/// Usage counters as a dict: calls, cache_hits, failed, prompt_tokens, completion_tokens,
/// cached_tokens, reasoning_tokens, usd. Needs the GIL.
pybind11::dict TallyToPy(const llm::UsageTally& tally);

/// The call ledger of a stack as a dict: "total" and "by_role", each TallyToPy's counters plus
/// refused and simulated. Needs the GIL.
pybind11::dict LedgerToPy(const llm::LedgerSnapshot& ledger);

}  // namespace judgeopt::python
