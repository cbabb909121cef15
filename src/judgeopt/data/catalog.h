#pragma once
// Loading a dataset by name (a built-in) or by spec path, and describing the built-ins for
// `judgeopt datasets`.

#include <cstddef>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/builtin_specs.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/data/dataset_spec.h"
#include "judgeopt/data/loader.h"
#include "judgeopt/data/locator.h"

namespace judgeopt::data {

/// The parsed spec of a built-in dataset under `protocol` ("default" or "paper").
Result<DatasetSpec> BuiltinSpec(const BuiltinDataset& builtin,
                                std::string_view protocol = "default");

/// Loads a built-in, finding its folder with `locator`.
Result<Dataset> LoadBuiltinDataset(const BuiltinDataset& builtin, const DataLocator& locator,
                                   const LoadOptions& options);

/// A built-in name ("summeval", "brighter") is loaded from the folder the locator finds; anything
/// else is taken as the path of a spec file (.toml or .json). An unknown name that is no file
/// fails, listing the built-ins.
Result<Dataset> LoadDataset(const std::string& name_or_spec_path, const DataLocator& locator,
                            const LoadOptions& options);

/// What `judgeopt datasets` shows for one built-in. Value type.
struct DatasetInfo {
  std::string name;
  std::string description;
  bool found = false;
  std::string location;  // the folder when found; otherwise why it was not (the search list)
  std::string version;   // the version described
  std::vector<std::string> versions;  // every version the spec names
  std::size_t train = 0, validation = 0, test = 0;
  std::vector<std::string> criteria;
  std::vector<std::string> warnings;
};

/// Describes every built-in; a built-in whose files are missing or malformed has found = false
/// and the reason in `location`.
std::vector<DatasetInfo> ListBuiltinDatasets(const DataLocator& locator,
                                             const LoadOptions& options = {});

}  // namespace judgeopt::data
