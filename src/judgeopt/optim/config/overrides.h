#pragma once
// The settings that `judgeopt optimize` and `judgeopt estimate` take as flags, and the Python
// module's optimize() and estimate() as keyword arguments, applied over a config file (or the
// built-in defaults) in one place.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "judgeopt/base/result.h"
#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {

/// Each set field replaces the config's value; unset ones keep it. Plain value.
struct OptimizeOverrides {
  std::optional<std::string> dataset;
  std::optional<std::string> algorithm;  // "textgrad" or "opro" (ApplyAlgorithmName)
  std::optional<std::string> mode;       // a mode or method label (ApplyModeName)
  std::optional<std::string> gate;       // the gate metric
  std::optional<int> steps;
  std::optional<int> batch_size;
  std::optional<std::string> judge_mode;  // method.judge_mode
  std::optional<int64_t> seed;
};

/// How messages name a setting: as a flag ("--batch-size") or as a keyword ("batch_size").
enum class OverrideSpelling { kFlags, kKeywords };

/// `key` ("batch_size") as `spelling` spells it.
std::string SpellSetting(std::string_view key, OverrideSpelling spelling);

/// Applies `overrides` to `config` (the algorithm before the mode, as ApplyAlgorithmName asks),
/// then validates the whole config (ValidateOptimizeConfig). An invalid value fails naming the
/// setting as `spelling` spells it.
Status ApplyOptimizeOverrides(OptimizeConfig& config, const OptimizeOverrides& overrides,
                              OverrideSpelling spelling);

}  // namespace judgeopt::optim
