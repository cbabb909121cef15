#pragma once
// Flags shared by the subcommands that load datasets or call models, and the wiring they need.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "apps/command.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::apps {

/// --dataset NAME|SPEC, --protocol, --version.
struct DatasetFlags {
  std::string dataset = "summeval";
  std::string protocol = "default";
  std::string version;
  void Add(CLI::App& app, bool required = false);
  Result<std::shared_ptr<const data::Dataset>> Load(const GlobalOptions& global) const;
};

/// --judge-mode joint|per-criterion|sectioned, stored in `mode` (docs/judge.md, "Judge
/// modes"); the value is checked by CLI11.
CLI::Option* AddJudgeModeOption(CLI::App& app, std::string& mode);

/// The model name used when a sim or replay role names none.
inline constexpr const char* kSimModel = llm::kSimModelName;

/// A command's model access: the client stack and where its cache lives.
struct LlmSession {
  std::unique_ptr<llm::ClientStack> stack;
  std::string cache_path;  // "" with --no-cache
  /// Calls the command should keep in flight at once for `role` (its WorkPool size).
  int workers = 8;

  const llm::RoleConfig& role(llm::Role r) const { return stack->config().role(r); }
  /// The role's model, or kSimModel when it names none (sim, replay of simulator runs).
  std::string ModelFor(llm::Role r) const;
  /// True when `r` is configured with the in-process simulator (for banners before any call; the
  /// SIMULATED label follows the replies: SimulatedRoles).
  bool SimBackend(llm::Role r) const { return role(r).backend == llm::Backend::kSim; }
  /// The roles that got at least one simulated reply so far (in-process, through sim-server, or
  /// replayed from such a reply), as names in role order. Non-empty = the output is SIMULATED.
  std::vector<std::string> SimulatedRoles() const;
  /// "sim", "openai http://...", "replay": for banners and provenance.
  std::string BackendLabel(llm::Role r) const { return stack->endpoint_label(r); }
};

/// Every flag of a model-calling command: --backend, --base-url, --model, --api-key-env,
/// --token-param, --reasoning-effort, --auth, --header, --query, --concurrency, --seed,
/// --workspace, --no-cache, --config (its optional [llm] table), --max-usd, --max-calls.
/// Resolution order for each setting: built-in default -> [llm] of --config -> flags, the flags
/// applying to the roles the command uses.
struct LlmFlags {
  std::string backend;  // "" = from the config (default sim)
  std::string base_url;
  std::string api_key_env;
  std::string token_param;       // "" = from the config
  std::string reasoning_effort;  // "" = from the config
  std::string auth;              // "" = from the config
  std::vector<std::string> headers;  // "Name: value", repeatable
  std::vector<std::string> query;    // "name=value", repeatable
  std::string model;
  int concurrency = 0;  // 0 = from the config (sim: 8)
  long long seed = 0;
  std::string workspace;
  bool no_cache = false;
  std::string config_file;
  std::optional<double> max_usd;
  std::optional<long long> max_calls;

  void Add(CLI::App& app);
  /// The LLM configuration after --config and the flags (applied to `roles`).
  Result<llm::LlmConfig> ResolveConfig(std::span<const llm::Role> roles) const;
  /// Resolves the configuration and opens the stack for `roles` (cache in the workspace, curl
  /// transport, simulator over `dataset` seeded with --seed).
  Result<LlmSession> Open(std::span<const llm::Role> roles,
                          std::shared_ptr<const data::Dataset> dataset) const;
  /// Opens the stack for `roles` over an already resolved `config` (the other flags as Open).
  Result<LlmSession> OpenConfig(const llm::LlmConfig& config, std::span<const llm::Role> roles,
                                std::shared_ptr<const data::Dataset> dataset) const;

 private:
  /// --token-param, --reasoning-effort, --auth, --header, --query.
  void AddRequestShapingOptions(CLI::App& app);
  /// Their values as overrides; fails on a malformed --header or --query without echoing it.
  Status AddShapingOverrides(llm::LlmOverrides& overrides) const;
};

/// The banner line that marks simulated output.
inline constexpr const char* kSimulatedNote =
    "SIMULATED: these numbers come from judgeopt's offline simulator; they are consequences of "
    "its rules, not findings about LLMs.";

/// The names of `roles` (llm::RoleName), in the given order.
std::vector<std::string> RoleNames(const std::vector<llm::Role>& roles);

/// The closing lines of an output that used simulated replies: kSimulatedNote, then
/// "simulated roles: judge, loss". Prints nothing when `roles` is empty.
void PrintSimulatedNote(const std::vector<std::string>& roles);

}  // namespace judgeopt::apps
