#pragma once
// A dataset described by a spec file (TOML or JSON), so any labelled set loads with no code
// change. docs/datasets.md documents every key; built-in datasets are specs too.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/data/dataset.h"

namespace judgeopt::data {

/// One text clean-up step applied to an input value, in the order listed.
struct TextTransform {
  enum class Kind {
    kTrim,           // "trim": drop leading and trailing ASCII whitespace
    kNbspToSpace,    // "nbsp_to_space": U+00A0 becomes a plain space
    kCutBeforeLine,  // "cut_before_line:<prefix>": keep the text before the first line that
                     // starts with <prefix> (everything when no line does)
  };
  Kind kind = Kind::kTrim;
  std::string arg;
};

/// An input shown to the judge: a field of the row (or of a joined file) and its label.
struct InputSpec {
  InputField input;
  std::vector<TextTransform> transforms;
};

/// A criterion plus how its gold values are checked.
struct CriterionSpec {
  Criterion criterion;
  /// Gold must be a whole number (on top of lying in [min, max]). Off unless the spec asks.
  bool whole_gold = false;
  /// The seed instruction under `protocol = "paper"` ("" = criterion.seed_instruction).
  std::string paper_seed_instruction;
};

/// Brings fields of a second file into each row by key (a left join that must always match).
struct JoinSpec {
  std::string file;
  std::string format;     // "jsonl", "csv" or "" (by extension; the spec's `format` is not used)
  std::string key;        // field of the main rows
  std::string other_key;  // field of the joined file (defaults to `key`)
  /// (name the field gets in the row, field of the joined file)
  std::vector<std::pair<std::string, std::string>> fields;
};

/// Rows whose `field` equals `equals` are dropped, and the count is reported as a warning.
struct DropRule {
  std::string field;
  std::string equals;
  std::string reason;
};

/// Data files: either one file (`data`) split by SplitSpec, or one file per split.
struct FileSet {
  std::string data;
  std::string train, validation, test;
  bool PerSplit() const { return data.empty(); }
};

/// A split size: a row count (integer in the spec) or a fraction of all rows (a float).
struct SplitSize {
  bool given = false;
  bool ratio = false;
  double value = 0;
};

/// How one data file is cut into splits: permute all rows with `seed`, then take consecutive
/// position ranges in `order`. Without sizes, every row goes to test.
struct SplitSpec {
  std::uint32_t seed = 42;
  SplitSize train, validation, test;
  std::vector<std::string> order = {"train", "validation", "test"};
  /// Paper protocol, per-split files: shuffle each file with `seed` first, as the study's set-up
  /// step did. False when the files already are the study's stored splits.
  bool setup_shuffle = true;
};

/// A named alternative set of files (e.g. a dataset's competition-time release).
struct VersionSpec {
  std::string name;
  std::string description;
  FileSet files;
};

/// A parsed dataset spec. Paths are as written (relative to the spec's directory).
/// Value type; immutable once parsed.
struct DatasetSpec {
  std::string origin;  // the spec file, or "builtin:<name>", for messages
  std::string name;
  std::string description;
  std::string preamble;
  std::string paper_preamble;  // the preamble under `protocol = "paper"` ("" = preamble)
  std::string format;  // default format of the data files
  FileSet files;       // used when there are no versions
  std::vector<VersionSpec> versions;
  std::string default_version;
  std::string id_field;     // one of id_field / id_template
  std::string id_template;  // e.g. "{doc_id}/{system_id}"
  std::string group_field;
  std::vector<JoinSpec> joins;
  std::vector<DropRule> drops;
  std::vector<InputSpec> inputs;
  std::vector<CriterionSpec> criteria;
  SplitSpec split;

  /// The files of `version` ("" = the default version, or `files` when there are no versions).
  /// An unknown version is an error that lists the known ones.
  Result<FileSet> FilesFor(const std::string& version) const;
  /// The version name `version` resolves to ("" when the spec has no versions).
  std::string ResolvedVersion(const std::string& version) const;
};

/// Parses and checks a spec tree; `origin` names it in messages. Unknown keys are rejected.
Result<DatasetSpec> ParseDatasetSpec(const config::Json& tree, const std::string& origin);
/// Loads a .toml or .json spec file.
Result<DatasetSpec> LoadDatasetSpecFile(const std::string& path);
/// Parses spec text in TOML.
Result<DatasetSpec> ParseDatasetSpecToml(std::string_view text, const std::string& origin);

}  // namespace judgeopt::data
