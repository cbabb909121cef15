#pragma once
// What the simulator knows before any call: the dataset (gold scores, findable from the sample
// text a prompt shows) and the hidden rubric concepts of every criterion.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "judgeopt/data/dataset.h"
#include "judgeopt/sim/concepts.h"

namespace judgeopt::sim {

/// The simulator's view of one criterion: its name, scale and hidden concept list K_c.
struct CriterionModel {
  std::string name;
  data::Scale scale;
  std::vector<Concept> concepts;
};

/// The gold scores of the dataset examples whose inputs match a sample (several examples with
/// identical inputs are averaged per criterion; NaN gold values are skipped).
struct SampleGold {
  std::vector<std::size_t> examples;  // positions in Dataset::examples, ascending
  std::vector<double> gold;           // per dataset criterion; NaN where no example has one
};

/// The dataset plus per-criterion concept lists plus an index of examples by a hash of their
/// trimmed input values. Immutable after construction; safe to share across threads. Shares
/// ownership of the dataset.
class SimWorld {
 public:
  /// `dataset` may be null (then every sample is unknown and every criterion is ad hoc).
  SimWorld(std::shared_ptr<const data::Dataset> dataset, const ConceptCatalog& catalog);

  /// Dataset name ("" without a dataset).
  const std::string& dataset_name() const { return dataset_->name; }
  /// The dataset's input labels in order ("Summary", "Source Text").
  const std::vector<std::string>& input_labels() const { return labels_; }
  /// Criterion models in dataset order.
  const std::vector<CriterionModel>& criteria() const { return criteria_; }
  /// Dataset position of a criterion named in a prompt (exact name, then ASCII
  /// case-insensitive), or -1.
  int FindCriterion(std::string_view name) const;
  /// A model for a criterion the dataset does not know: concepts derived from its name alone.
  static CriterionModel AdHocCriterion(std::string_view name, const data::Scale& scale);

  /// Stable key of a sample's input values (trimmed, in label order).
  static uint64_t InputKey(const std::vector<std::string>& values);
  /// Gold for the sample whose input values are `values`, or nullopt when no example matches.
  std::optional<SampleGold> FindSample(const std::vector<std::string>& values) const;

 private:
  std::shared_ptr<const data::Dataset> dataset_;
  std::vector<std::string> labels_;
  std::vector<CriterionModel> criteria_;
  std::unordered_map<uint64_t, std::vector<std::size_t>> by_inputs_;
};

}  // namespace judgeopt::sim
