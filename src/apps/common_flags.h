#pragma once
// Flags shared by the subcommands that load datasets or call models, and the wiring they need.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "apps/command.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/llm/client.h"

namespace judgeopt::apps {

/// --dataset NAME|SPEC, --protocol, --version.
struct DatasetFlags {
  std::string dataset = "summeval";
  std::string protocol = "default";
  std::string version;
  void Add(CLI::App& app, bool required = false);
  Result<std::shared_ptr<const data::Dataset>> Load(const GlobalOptions& global) const;
};

/// --backend, --model, --concurrency, --seed. (The HTTP backends, --base-url and the response
/// cache are wired in by the LLM-stack work; until then only the simulator is offered.)
struct LlmFlags {
  std::string backend = "sim";
  std::string model;
  int concurrency = 8;
  long long seed = 0;
  void Add(CLI::App& app);
  /// The label printed and stored with results: "simulated" for the simulator.
  bool simulated() const { return backend == "sim"; }
  std::string model_or_default() const;
};

/// Builds the client the flags describe (the in-process simulator for backend "sim").
Result<std::unique_ptr<llm::LlmClient>> MakeClient(const LlmFlags& flags,
                                                   std::shared_ptr<const data::Dataset> dataset);

/// The banner line that marks simulated output.
inline constexpr const char* kSimulatedNote =
    "SIMULATED: these numbers come from judgeopt's offline simulator; they are consequences of "
    "its rules, not findings about LLMs.";

}  // namespace judgeopt::apps
