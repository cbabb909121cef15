#pragma once
// The config of `judgeopt grid`: a base optimize config (the tables `judgeopt optimize --config`
// reads) plus a [grid] table naming the lists whose cross product the grid runs (datasets x
// algorithms x modes x gates x seeds), how seeds act, and how many runs execute at once. See
// docs/grid.md.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::experiments {

/// How a grid seed acts on a run. Both change the LLM sampling seed of every request.
enum class SeedScope {
  kBatchAndSampling,  // "batch_and_sampling": batches drawn with the seed (batch_order "seeded")
  kSampling,          // "sampling": batches fixed by the step number, as in the study
};

/// "batch_and_sampling" or "sampling".
const char* SeedScopeName(SeedScope scope);

/// Lists that replace the grid-wide ones for one algorithm (e.g. OPRO without a mode sweep).
/// Empty = the grid-wide list. Plain value.
struct AlgorithmLists {
  std::vector<std::string> modes;
  std::vector<std::string> gates;
  std::vector<int64_t> seeds;
  bool operator==(const AlgorithmLists&) const = default;
};

/// One [[grid.variants]] entry: a name and tables merged over the base config of every cell
/// (e.g. `method = { judge_mode = "sectioned" }`). Plain value.
struct GridVariant {
  std::string name;
  config::Json overrides;  // {table: {key: value}}; never the keys the grid's lists set
  bool operator==(const GridVariant&) const = default;
};

/// The [grid] table, with the base config's single values filled in where a list is absent.
/// Plain value.
struct GridSpec {
  std::string name;                     // the grid's id (letters, digits, '-', '_', '.')
  std::vector<std::string> datasets;    // built-in names or spec files
  std::vector<std::string> algorithms;  // "textgrad", ...
  std::vector<std::string> modes;       // "SSS", "SSC", "SCC", "CCC", "ST"
  std::vector<std::string> gates;       // "none", "mae", "off_by_one", "spearman"
  std::vector<int64_t> seeds;
  SeedScope seed_scope = SeedScope::kBatchAndSampling;
  int parallel_runs = 4;                                // runs executing at once
  std::map<std::string, AlgorithmLists> per_algorithm;  // [grid.per_algorithm.<algorithm>]
  /// [[grid.variants]]: every cell once per variant (empty = once, as the base says).
  std::vector<GridVariant> variants;
};

/// A parsed grid config file. Plain value.
struct GridConfig {
  std::string origin;  // the file (for messages)
  GridSpec grid;
  config::Json base_tree;      // the file without its [grid] table
  optim::OptimizeConfig base;  // base_tree parsed (its [budget] caps the whole grid)
};

/// Parses a whole grid config tree. The base part (everything but [grid]) must be a valid
/// optimize config (optim::ParseOptimizeConfig); [grid] keys: name (required), datasets,
/// algorithms, modes, gates, seeds, seed_scope, parallel_runs, per_algorithm, variants. A list that is
/// absent takes the base config's value; a list given together with the base key it replaces
/// (dataset, optimize.algorithm, optimize.mode, gate.metric, optimize.seed) is an error, and so
/// is optimize.batch_order (seed_scope decides it). Unknown keys, empty or duplicated lists and
/// bad values fail naming `origin` and the key.
Result<GridConfig> ParseGridConfig(const config::Json& tree, const std::string& origin,
                                   const llm::EnvLookup& env = llm::ProcessEnv());

/// Loads and parses a grid config file (TOML or JSON).
Result<GridConfig> LoadGridConfig(const std::string& path,
                                  const llm::EnvLookup& env = llm::ProcessEnv());

}  // namespace judgeopt::experiments
