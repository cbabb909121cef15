#pragma once
// A grid config expanded into its cells (one resolved optimize config each, validated before any
// call) and its runs (one optim::RunPlan per cell, or one per criterion for ST cells), with
// stable labels and run ids derived from the resolved configs, so the same cell in a rerun is
// the same run.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/experiments/grid_config.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_plan.h"

namespace judgeopt::experiments {

/// One point of the cross product. Plain value.
struct GridCell {
  std::string label;  // "<dataset>/<algorithm>/<mode>/gate=<metric>/seed=<n>[/<variant>]"
  std::string dataset;
  std::string algorithm;
  std::string mode;  // "SSS", ..., "ST"
  std::string gate;
  int64_t seed = 0;
  std::string variant;  // the [[grid.variants]] name, "" without variants
  optim::OptimizeConfig config;  // the base with the cell's values; budget cleared
};

/// A dataset as labels name it: a built-in name as it is, a spec file by its stem
/// ("specs/reviews.toml" -> "reviews").
std::string DatasetLabel(const std::string& dataset);

/// "<DatasetLabel>/<algorithm>/<mode>/gate=<metric>/seed=<n>", then "/<variant>" when given.
std::string CellLabel(const std::string& dataset, const std::string& algorithm,
                      const std::string& mode, const std::string& gate, int64_t seed,
                      const std::string& variant = "");

/// The cells in run order: dataset by dataset, then seed by seed (so a budget stop leaves whole
/// seeds), then algorithm, mode, gate and variant as listed. Each cell's config is the base tree,
/// with the variant's tables merged over it key by key, and with
/// `dataset`, optimize.algorithm, optimize.mode, gate.metric, optimize.seed and
/// optimize.batch_order (from seed_scope) set, parsed by optim::ParseOptimizeConfig with origin
/// "<file> [grid cell <label>]", so a bad cell fails the whole grid naming it. The cell configs'
/// budget is cleared: the grid's [budget] caps the whole grid, not each run (and raising it does
/// not change the runs' stored configs).
Result<std::vector<GridCell>> ExpandGrid(const GridConfig& grid,
                                         const llm::EnvLookup& env = llm::ProcessEnv());

/// One run of the grid. Plain value.
struct GridRun {
  std::size_t cell = 0;  // index into the cells
  std::string label;     // the cell's label; ST runs: mode "ST:<criterion>"
  optim::RunPlan plan;
};

/// The dataset a cell names (loaded once per name by the caller).
using DatasetLookup = std::function<const data::Dataset&(const std::string& name)>;

/// Every cell's runs (optim::PlanRuns), in cell order. Fails before any call when a cell's
/// criteria are not in its dataset, naming the cell. Two cells resolving to the same run id
/// (a list naming one thing twice under two spellings) is an error naming both.
Result<std::vector<GridRun>> PlanGridRuns(const std::vector<GridCell>& cells,
                                          const DatasetLookup& datasets);

}  // namespace judgeopt::experiments
