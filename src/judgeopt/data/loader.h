#pragma once
// Loading a dataset described by a DatasetSpec: read the files, join, drop, build and check the
// examples, and make the splits.

#include <string>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/data/dataset_spec.h"

namespace judgeopt::data {

/// How to load a dataset. Value type.
struct LoadOptions {
  /// "default" (disjoint train/validation/test) or "paper" (the study's orders and its
  /// validation rows taken from train; reference-protocol sections 2 and 4.5).
  std::string protocol = "default";
  /// A version named in the spec's `versions` ("" = its default_version).
  std::string version;
};

/// Checks `options` (protocol and version) against `spec`.
Status CheckLoadOptions(const DatasetSpec& spec, const LoadOptions& options);

/// Loads `spec`, with relative file paths taken from `base_dir`. Malformed data fails with a
/// message naming the file, line and field: a missing field, non-numeric gold, gold outside the
/// scale (or not whole where the criterion asks for whole_gold), a duplicate id, bad UTF-8, an
/// empty file, a join key with no match, or a criterion field that is not a CSV column.
Result<Dataset> LoadDatasetFromSpec(const DatasetSpec& spec, const std::string& base_dir,
                                    const LoadOptions& options);

/// Loads a spec file (TOML or JSON); data paths are relative to the spec file's directory.
Result<Dataset> LoadDatasetFromSpecFile(const std::string& spec_path, const LoadOptions& options);

}  // namespace judgeopt::data
