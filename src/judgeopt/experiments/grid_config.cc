#include "judgeopt/experiments/grid_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace judgeopt::experiments {
namespace {

using config::Json;
using config::TreePath;

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Result<std::vector<std::string>> StringList(const Json& t, const std::string& key,
                                            const TreePath& at) {
  JO_ASSIGN_OR_RETURN(auto list, config::GetStringList(t, key, at));
  if (list.empty()) return at.Key(key).Fail("must not be empty");
  std::set<std::string> seen;
  for (const auto& v : list) {
    if (!seen.insert(v).second) return at.Key(key).Fail(fmt::format("lists \"{}\" twice", v));
  }
  return list;
}

Result<std::vector<int64_t>> SeedList(const Json& t, const std::string& key, const TreePath& at) {
  const Json& v = t.at(key);
  if (!v.is_array() || v.empty()) return at.Key(key).Fail("must be a non-empty list of integers");
  std::vector<int64_t> seeds;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number_integer()) return at.Key(key).Index(i).Fail("must be an integer");
    const int64_t s = v[i].get<int64_t>();
    if (std::find(seeds.begin(), seeds.end(), s) != seeds.end()) {
      return at.Key(key).Fail(fmt::format("lists seed {} twice", s));
    }
    seeds.push_back(s);
  }
  return seeds;
}

// True when the base tree sets `table`.`key` (or the top-level `key` when table is empty).
bool BaseHas(const Json& base, const std::string& table, const std::string& key) {
  if (table.empty()) return base.contains(key);
  auto it = base.find(table);
  return it != base.end() && it->is_object() && it->contains(key);
}

// Fills `list` from the [grid] table, or from the base config's single value when absent.
// Both present is an error naming both keys.
Status ListOrBase(const Json& grid, const std::string& key, const TreePath& at, const Json& base,
                  const std::string& table, const std::string& base_key,
                  const std::string& base_value, std::vector<std::string>& list) {
  if (!grid.contains(key)) {
    list = {base_value};
    return Status::Ok();
  }
  if (BaseHas(base, table, base_key)) {
    const std::string where = table.empty() ? base_key : table + "." + base_key;
    return at.Key(key).Fail(fmt::format(
        "the base config also sets '{}'; a grid file sets it in one place only", where));
  }
  JO_ASSIGN_OR_RETURN(list, StringList(grid, key, at));
  return Status::Ok();
}

Result<AlgorithmLists> ParseAlgorithmLists(const Json& t, const TreePath& at) {
  JO_RETURN_IF_ERROR(config::CheckKeys(t, {"modes", "gates", "seeds"}, at));
  AlgorithmLists lists;
  if (t.contains("modes")) {
    JO_ASSIGN_OR_RETURN(lists.modes, StringList(t, "modes", at));
  }
  if (t.contains("gates")) {
    JO_ASSIGN_OR_RETURN(lists.gates, StringList(t, "gates", at));
  }
  if (t.contains("seeds")) {
    JO_ASSIGN_OR_RETURN(lists.seeds, SeedList(t, "seeds", at));
  }
  return lists;
}

Status ParsePerAlgorithm(const Json& grid, const TreePath& at, GridSpec& spec) {
  if (!grid.contains("per_algorithm")) return Status::Ok();
  const Json& t = grid["per_algorithm"];
  const TreePath here = at.Key("per_algorithm");
  if (!t.is_object()) return here.Fail("must be a table of algorithm names");
  for (auto it = t.begin(); it != t.end(); ++it) {
    if (std::find(spec.algorithms.begin(), spec.algorithms.end(), it.key()) ==
        spec.algorithms.end()) {
      return here.Key(it.key()).Fail(fmt::format("'{}' is not among the grid's algorithms ({})",
                                                 it.key(), fmt::join(spec.algorithms, ", ")));
    }
    JO_ASSIGN_OR_RETURN(spec.per_algorithm[it.key()],
                        ParseAlgorithmLists(it.value(), here.Key(it.key())));
  }
  return Status::Ok();
}

Status ParseScope(const Json& grid, const TreePath& at, GridSpec& spec) {
  JO_ASSIGN_OR_RETURN(std::string scope,
                      config::GetString(grid, "seed_scope", at, "batch_and_sampling"));
  if (scope == "batch_and_sampling") {
    spec.seed_scope = SeedScope::kBatchAndSampling;
  } else if (scope == "sampling") {
    spec.seed_scope = SeedScope::kSampling;
  } else {
    return at.Key("seed_scope")
        .Fail(fmt::format("must be \"batch_and_sampling\" or \"sampling\", got \"{}\"", scope));
  }
  JO_ASSIGN_OR_RETURN(long long parallel, config::GetInt(grid, "parallel_runs", at, 4));
  if (parallel < 1 || parallel > 256) {
    return at.Key("parallel_runs").Fail(fmt::format("must be between 1 and 256, got {}", parallel));
  }
  spec.parallel_runs = static_cast<int>(parallel);
  return Status::Ok();
}

// The keys a variant may not set: the grid's own lists and the seed scope decide them.
bool ListKey(const std::string& table, const std::string& key) {
  static const std::set<std::pair<std::string, std::string>> kKeys = {
      {"optimize", "algorithm"}, {"optimize", "mode"}, {"optimize", "seed"},
      {"optimize", "batch_order"}, {"gate", "metric"}};
  return kKeys.count({table, key}) > 0;
}

Result<GridVariant> ParseVariant(const Json& v, const TreePath& at) {
  if (!v.is_object()) return at.Fail("must be a table with a name and config tables");
  GridVariant variant;
  JO_ASSIGN_OR_RETURN(variant.name, config::RequiredString(v, "name", at));
  if (!ValidName(variant.name)) {
    return at.Key("name").Fail(fmt::format(
        "\"{}\" is not a variant name (1-100 letters, digits, '-', '_' or '.')", variant.name));
  }
  variant.overrides = Json::object();
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() == "name") continue;
    if (!it.value().is_object()) {
      return at.Key(it.key()).Fail("must be a table of config keys (e.g. method = { ... })");
    }
    for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
      if (ListKey(it.key(), kv.key())) {
        return at.Key(it.key()).Key(kv.key()).Fail(
            "is set by the grid's lists (modes, gates, seeds, algorithms), not by a variant");
      }
    }
    variant.overrides[it.key()] = it.value();
  }
  return variant;
}

Status ParseVariants(const Json& grid, const TreePath& at, GridSpec& spec) {
  if (!grid.contains("variants")) return Status::Ok();
  const Json& list = grid.at("variants");
  if (!list.is_array() || list.empty()) {
    return at.Key("variants").Fail("must be a non-empty list of tables ([[grid.variants]])");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    JO_ASSIGN_OR_RETURN(GridVariant v, ParseVariant(list[i], at.Key("variants").Index(i)));
    if (!names.insert(v.name).second) {
      return at.Key("variants").Index(i).Fail(fmt::format("names \"{}\" twice", v.name));
    }
    spec.variants.push_back(std::move(v));
  }
  return Status::Ok();
}

Result<GridSpec> ParseGridTable(const Json& grid, const TreePath& at, const Json& base,
                                const optim::OptimizeConfig& defaults) {
  JO_RETURN_IF_ERROR(config::CheckKeys(grid,
                                       {"name", "datasets", "algorithms", "modes", "gates", "seeds",
                                        "seed_scope", "parallel_runs", "per_algorithm", "variants"},
                                       at));
  GridSpec spec;
  JO_ASSIGN_OR_RETURN(spec.name, config::RequiredString(grid, "name", at));
  if (!ValidName(spec.name)) {
    return at.Key("name").Fail(
        fmt::format("\"{}\" is not a grid id (1-100 letters, digits, '-', '_' or '.')", spec.name));
  }
  JO_RETURN_IF_ERROR(
      ListOrBase(grid, "datasets", at, base, "", "dataset", defaults.dataset, spec.datasets));
  JO_RETURN_IF_ERROR(ListOrBase(grid, "algorithms", at, base, "optimize", "algorithm",
                                EnumName(defaults.algorithm), spec.algorithms));
  JO_RETURN_IF_ERROR(ListOrBase(grid, "modes", at, base, "optimize", "mode",
                                optim::ModeLabel(defaults), spec.modes));
  JO_RETURN_IF_ERROR(
      ListOrBase(grid, "gates", at, base, "gate", "metric", EnumName(defaults.gate.metric),
                 spec.gates));
  if (grid.contains("seeds")) {
    if (BaseHas(base, "optimize", "seed")) {
      return at.Key("seeds").Fail(
          "the base config also sets 'optimize.seed'; a grid file sets it in one place only");
    }
    JO_ASSIGN_OR_RETURN(spec.seeds, SeedList(grid, "seeds", at));
  } else {
    spec.seeds = {defaults.seed};
  }
  JO_RETURN_IF_ERROR(ParseScope(grid, at, spec));
  JO_RETURN_IF_ERROR(ParsePerAlgorithm(grid, at, spec));
  JO_RETURN_IF_ERROR(ParseVariants(grid, at, spec));
  return spec;
}

}  // namespace

const char* SeedScopeName(SeedScope scope) {
  return scope == SeedScope::kSampling ? "sampling" : "batch_and_sampling";
}

Result<GridConfig> ParseGridConfig(const Json& tree, const std::string& origin,
                                   const llm::EnvLookup& env) {
  const TreePath root(origin);
  if (!tree.is_object()) return root.Fail("must be a table");
  if (!tree.contains("grid")) {
    return root.Fail(
        "has no [grid] table (name, datasets, algorithms, modes, gates, seeds); "
        "for a single run use `judgeopt optimize --config`");
  }
  GridConfig gc;
  gc.origin = origin;
  gc.base_tree = tree;
  gc.base_tree.erase("grid");
  if (BaseHas(gc.base_tree, "optimize", "batch_order")) {
    return root.Key("optimize")
        .Key("batch_order")
        .Fail(
            "is decided by [grid] seed_scope in a grid file (\"batch_and_sampling\" = seeded, "
            "\"sampling\" = by step number)");
  }
  // The base must be a valid optimize config on its own (unknown keys, types, values).
  JO_ASSIGN_OR_RETURN(gc.base, optim::ParseOptimizeConfig(gc.base_tree, origin, env));
  JO_ASSIGN_OR_RETURN(gc.grid,
                      ParseGridTable(tree["grid"], root.Key("grid"), gc.base_tree, gc.base));
  return gc;
}

Result<GridConfig> LoadGridConfig(const std::string& path, const llm::EnvLookup& env) {
  JO_ASSIGN_OR_RETURN(Json tree, config::LoadTreeFile(path));
  return ParseGridConfig(tree, path, env);
}

}  // namespace judgeopt::experiments
