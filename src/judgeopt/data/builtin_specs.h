#pragma once
// The built-in datasets (SummEval, BRIGHTER English track B), each expressed as a dataset spec
// embedded in the binary. Their files are found at run time by DataLocator.

#include <span>
#include <string_view>

namespace judgeopt::data {

/// A built-in dataset: its spec texts and the folder under a data root that holds its files.
/// Constant data; thread-safe.
struct BuiltinDataset {
  std::string_view name;
  std::string_view directory;  // e.g. "summeval" under ../shared/data
  std::string_view spec_toml;  // a dataset spec (docs/datasets.md)
  /// The spec loaded under `protocol = "paper"` when the study used other rows (SummEval: its
  /// own split files); empty = spec_toml under both protocols.
  std::string_view paper_spec_toml;

  /// The spec text for a protocol ("default" or "paper").
  std::string_view SpecFor(std::string_view protocol) const;
};

/// Every built-in dataset, in a fixed order.
std::span<const BuiltinDataset> BuiltinDatasets();
/// The built-in of that name, or nullptr.
const BuiltinDataset* FindBuiltinDataset(std::string_view name);

}  // namespace judgeopt::data
