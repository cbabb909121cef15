#pragma once
// The flags `judgeopt optimize` and `judgeopt estimate` share: the LLM flags (whose --config
// names the optimize config file) and the overrides of its settings, with the resolution of the
// config, the budget and the dataset they name.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "apps/command.h"
#include "apps/common_flags.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::apps {

/// The roles an optimization calls.
inline constexpr llm::Role kLoopRoles[] = {llm::Role::kJudge, llm::Role::kLoss,
                                           llm::Role::kGradient, llm::Role::kOptimizer,
                                           llm::Role::kDiagnostic};

/// --dataset, --algorithm, --mode, --gate, --steps, --batch-size, --judge-mode and every LlmFlags
/// flag. Holds a pointer to the CLI::App it was added to (to tell whether --seed was given); used
/// from one thread.
struct OptimizeFlags {
  LlmFlags llm;
  std::string dataset;
  std::string algorithm;  // "" = from the config
  std::string mode;
  std::string gate;
  int steps = -1;      // -1 = from the config
  int batch_size = 0;  // 0 = from the config
  std::string judge_mode;  // "" = from the config (method.judge_mode)

  void Add(CLI::App& app);
  /// The config file (or the built-in defaults) with the flags applied and validated; its `llm`
  /// is the [llm] table with the LLM flags applied to kLoopRoles.
  Result<optim::OptimizeConfig> ResolveConfig() const;
  /// The dataset the config names (with its protocol and data version).
  Result<std::shared_ptr<const data::Dataset>> LoadData(const optim::OptimizeConfig& config,
                                                        const GlobalOptions& global) const;
  /// The config's [budget] with --max-usd / --max-calls taking precedence.
  llm::Budget Budget(const optim::OptimizeConfig& config) const;

 private:
  CLI::App* app_ = nullptr;
};

}  // namespace judgeopt::apps
