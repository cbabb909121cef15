#pragma once
// The labelled-data model shared by every layer: criteria with scales, examples with input fields
// and gold scores, and named splits. Plain values; loaders live in data/loaders*.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/enum_names.h"

namespace judgeopt::data {

/// A criterion's score range. Integer scales accept only whole numbers in [min, max].
struct Scale {
  double min = 1;
  double max = 5;
  bool integer = true;
  bool Contains(double v) const;  // in range, and whole when integer
};

/// One scored dimension (the study's "task").
struct Criterion {
  std::string name;        // e.g. "fluency"; the JSON key the judge answers with
  std::string gold_field;  // column/field in the data file
  Scale scale;
  std::string seed_instruction;  // the initial instruction, e.g. "Rate from 1 to 5."
  std::string description;       // documentation only; never shown to the judge
  /// Rubric concepts for the simulator (optional; derived from name/description when empty).
  std::vector<std::string> concepts;
};

/// An input column shown to the judge as "<label>: <value>".
struct InputField {
  std::string field;  // column/field in the data file
  std::string label;  // display label, e.g. "Source Text"
};

/// One labelled item. `inputs` is aligned with Dataset::inputs, `gold` with Dataset::criteria.
struct Example {
  std::string id;
  std::vector<std::string> inputs;
  std::vector<double> gold;
  std::string group;     // grouping key for per-group correlation (SummEval: doc_id); may be empty
  std::size_t line = 0;  // 1-based line (or row) in the source file, for messages
};

/// A split, named by `eval --split` and Dataset::Split.
enum class SplitId { kTrain, kValidation, kTest };

/// The name table of SplitId (base/enum_names.h): "train", "validation", "val" (an alias of
/// validation), "test". EnumName gives the canonical "validation".
std::span<const NamedValue<SplitId>> NamesOf(SplitId);

/// Positions into Dataset::examples. Order matters: batch samplers permute these lists. Under the
/// paper protocol, train and test are in the study's working order (see data/splits.h).
struct Splits {
  std::vector<std::size_t> train;
  std::vector<std::size_t> validation;
  std::vector<std::size_t> test;

  const std::vector<std::size_t>& Of(SplitId id) const;
};

/// A loaded dataset with its splits. Immutable after loading; safe to share across threads.
struct Dataset {
  std::string name;      // "summeval", "brighter", or the spec's name
  std::string preamble;  // the evaluation directive that opens the judge prompt
  std::vector<InputField> inputs;
  std::vector<Criterion> criteria;
  std::vector<Example> examples;
  Splits splits;
  std::string source;  // where it was loaded from (a path), for `judgeopt datasets` and errors
  std::vector<std::string> warnings;  // e.g. "dropped 5 rows whose text is #NAME?"
  std::string protocol = "default";   // split protocol it was loaded with: "default" or "paper"
  std::string version;                // data version it was loaded from ("" = the only one)

  /// Index of a criterion by name, or -1.
  int CriterionIndex(const std::string& name) const;
  /// Positions of a split by a name of SplitId's table. Returns nullptr for any other name.
  const std::vector<std::size_t>* Split(const std::string& name) const;
};

}  // namespace judgeopt::data
