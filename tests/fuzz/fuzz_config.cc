// Fuzz target: config files (config/tree.h) in TOML and JSON, through every reader of a whole
// config tree: the optimize config with its validation, the grid config, the [llm] table and a
// dataset spec. The first byte picks the syntax (even: TOML, odd: JSON); the rest is the file.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_input.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/data/dataset_spec.h"
#include "judgeopt/experiments/grid_config.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/optimize_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  namespace config = judgeopt::config;
  const bool json = (data[0] & 1) != 0;
  const auto text = judgeopt::fuzz::AsText(data + 1, size - 1);
  const auto tree = json ? config::ParseJson(text, "fuzz.json") : config::ParseToml(text, "fuzz.toml");
  if (!tree.ok()) return 0;
  // A fixed environment: results never depend on the machine's variables.
  const judgeopt::llm::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY") return "sk-fuzz";
    return std::nullopt;
  };
  const auto optimize = judgeopt::optim::ParseOptimizeConfig(*tree, "fuzz", env);
  if (optimize.ok()) (void)judgeopt::optim::ValidateOptimizeConfig(*optimize);
  (void)judgeopt::experiments::ParseGridConfig(*tree, "fuzz", env);
  (void)judgeopt::llm::ParseLlmConfig(*tree, "fuzz", env);
  (void)judgeopt::data::ParseDatasetSpec(*tree, "fuzz");
  return 0;
}
