#include "judgeopt/experiments/grid_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace judgeopt::experiments {
namespace {

using config::Json;

// The lists of one algorithm: its [grid.per_algorithm] entries, else the grid's.
AlgorithmLists ListsFor(const GridSpec& spec, const std::string& algorithm) {
  AlgorithmLists lists{spec.modes, spec.gates, spec.seeds};
  auto it = spec.per_algorithm.find(algorithm);
  if (it == spec.per_algorithm.end()) return lists;
  if (!it->second.modes.empty()) lists.modes = it->second.modes;
  if (!it->second.gates.empty()) lists.gates = it->second.gates;
  if (!it->second.seeds.empty()) lists.seeds = it->second.seeds;
  return lists;
}

// Sets tree[table][key] = value (creating the table).
void Set(Json& tree, const std::string& table, const std::string& key, Json value) {
  if (!tree.contains(table) || !tree[table].is_object()) tree[table] = Json::object();
  tree[table][key] = std::move(value);
}

// The cell's coordinates other than the variant.
struct CellKey {
  const std::string& dataset;
  const std::string& algorithm;
  const std::string& mode;
  const std::string& gate;
  int64_t seed;
};

Result<GridCell> MakeCell(const GridConfig& grid, const CellKey& k, const GridVariant* variant,
                          const llm::EnvLookup& env) {
  const std::string& dataset = k.dataset;
  const std::string variant_name = variant != nullptr ? variant->name : "";
  GridCell cell{CellLabel(dataset, k.algorithm, k.mode, k.gate, k.seed, variant_name),
                dataset, k.algorithm, k.mode, k.gate, k.seed, variant_name, {}};
  Json tree = grid.base_tree;
  if (variant != nullptr) {
    for (const auto& [table, keys] : variant->overrides.items()) {
      for (const auto& [key, value] : keys.items()) Set(tree, table, key, value);
    }
  }
  const std::string& algorithm = k.algorithm;
  const std::string& mode = k.mode;
  const std::string& gate = k.gate;
  const int64_t seed = k.seed;
  tree["dataset"] = dataset;
  Set(tree, "optimize", "algorithm", algorithm);
  Set(tree, "optimize", "mode", mode);
  Set(tree, "optimize", "seed", seed);
  Set(tree, "optimize", "batch_order",
      grid.grid.seed_scope == SeedScope::kSampling ? "step" : "seeded");
  Set(tree, "gate", "metric", gate);
  const std::string origin = fmt::format("{} [grid cell {}]", grid.origin, cell.label);
  JO_ASSIGN_OR_RETURN(cell.config, optim::ParseOptimizeConfig(tree, origin, env));
  cell.config.budget = llm::Budget{};
  return cell;
}

}  // namespace

std::string DatasetLabel(const std::string& dataset) {
  const std::filesystem::path p(dataset);
  const bool file = dataset.find('/') != std::string::npos || p.has_extension();
  return file ? p.stem().string() : dataset;
}

std::string CellLabel(const std::string& dataset, const std::string& algorithm,
                      const std::string& mode, const std::string& gate, int64_t seed,
                      const std::string& variant) {
  std::string label =
      fmt::format("{}/{}/{}/gate={}/seed={}", DatasetLabel(dataset), algorithm, mode, gate, seed);
  return variant.empty() ? label : label + "/" + variant;
}

Result<std::vector<GridCell>> ExpandGrid(const GridConfig& grid, const llm::EnvLookup& env) {
  const GridSpec& spec = grid.grid;
  // Every seed any algorithm uses, in first-listed order (the outer loop within a dataset).
  std::vector<int64_t> seeds;
  for (const auto& algorithm : spec.algorithms) {
    for (int64_t s : ListsFor(spec, algorithm).seeds) {
      if (std::find(seeds.begin(), seeds.end(), s) == seeds.end()) seeds.push_back(s);
    }
  }
  std::vector<GridCell> cells;
  for (const auto& dataset : spec.datasets) {
    for (int64_t seed : seeds) {
      for (const auto& algorithm : spec.algorithms) {
        const AlgorithmLists lists = ListsFor(spec, algorithm);
        if (std::find(lists.seeds.begin(), lists.seeds.end(), seed) == lists.seeds.end()) {
          continue;
        }
        for (const auto& mode : lists.modes) {
          for (const auto& gate : lists.gates) {
            const CellKey key{dataset, algorithm, mode, gate, seed};
            if (spec.variants.empty()) {
              JO_ASSIGN_OR_RETURN(GridCell cell, MakeCell(grid, key, nullptr, env));
              cells.push_back(std::move(cell));
            }
            for (const GridVariant& v : spec.variants) {
              JO_ASSIGN_OR_RETURN(GridCell cell, MakeCell(grid, key, &v, env));
              cells.push_back(std::move(cell));
            }
          }
        }
      }
    }
  }
  return cells;
}

Result<std::vector<GridRun>> PlanGridRuns(const std::vector<GridCell>& cells,
                                          const DatasetLookup& datasets) {
  std::vector<GridRun> runs;
  std::map<std::string, std::string> label_of_id;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const GridCell& cell = cells[i];
    auto plans = optim::PlanRuns(cell.config, datasets(cell.dataset));
    if (!plans.ok()) return plans.error().WithContext("grid cell " + cell.label);
    for (optim::RunPlan& plan : *plans) {
      const std::string mode = cell.config.single_task ? plan.mode_label : cell.mode;
      GridRun run{i,
                  CellLabel(cell.dataset, cell.algorithm, mode, cell.gate, cell.seed,
                            cell.variant),
                  std::move(plan)};
      auto [it, fresh] = label_of_id.emplace(run.plan.run_id, run.label);
      if (!fresh) {
        return InvalidArgument(
            fmt::format("grid cells {} and {} are the same run ({}); list "
                        "each value once",
                        it->second, run.label, run.plan.run_id));
      }
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

}  // namespace judgeopt::experiments
