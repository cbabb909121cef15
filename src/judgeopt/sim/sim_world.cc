#include "judgeopt/sim/sim_world.h"

#include <cmath>

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {

SimWorld::SimWorld(std::shared_ptr<const data::Dataset> dataset, const ConceptCatalog& catalog)
    : dataset_(dataset ? std::move(dataset) : std::make_shared<const data::Dataset>()) {
  for (const auto& in : dataset_->inputs) labels_.push_back(in.label);
  std::vector<std::string> names;
  for (const auto& c : dataset_->criteria) names.push_back(c.name);
  for (const auto& c : dataset_->criteria) {
    criteria_.push_back(CriterionModel{c.name, c.scale, ConceptsFor(c, names, catalog)});
  }
  const auto& examples = dataset_->examples;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    by_inputs_[InputKey(examples[i].inputs)].push_back(i);
  }
}

int SimWorld::FindCriterion(std::string_view name) const {
  for (std::size_t i = 0; i < criteria_.size(); ++i) {
    if (criteria_[i].name == name) return static_cast<int>(i);
  }
  std::string lower = AsciiLower(name);
  for (std::size_t i = 0; i < criteria_.size(); ++i) {
    if (AsciiLower(criteria_[i].name) == lower) return static_cast<int>(i);
  }
  return -1;
}

CriterionModel SimWorld::AdHocCriterion(std::string_view name, const data::Scale& scale) {
  return CriterionModel{std::string(name), scale, DeriveConcepts(name, "")};
}

uint64_t SimWorld::InputKey(const std::vector<std::string>& values) {
  StableHash h;
  h.Add(static_cast<uint64_t>(values.size()));
  for (const auto& v : values) h.Add(Trim(v));
  return h.Digest();
}

std::optional<SampleGold> SimWorld::FindSample(const std::vector<std::string>& values) const {
  auto it = by_inputs_.find(InputKey(values));
  if (it == by_inputs_.end()) return std::nullopt;
  SampleGold out;
  std::vector<double> sum(criteria_.size(), 0.0);
  std::vector<int> count(criteria_.size(), 0);
  for (std::size_t pos : it->second) {
    const data::Example& ex = dataset_->examples[pos];
    if (ex.inputs.size() != values.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < values.size() && same; ++k) {
      same = Trim(ex.inputs[k]) == Trim(values[k]);
    }
    if (!same) continue;  // a hash collision
    out.examples.push_back(pos);
    for (std::size_t c = 0; c < criteria_.size() && c < ex.gold.size(); ++c) {
      if (std::isfinite(ex.gold[c])) {
        sum[c] += ex.gold[c];
        ++count[c];
      }
    }
  }
  if (out.examples.empty()) return std::nullopt;
  for (std::size_t c = 0; c < criteria_.size(); ++c) {
    out.gold.push_back(count[c] > 0 ? sum[c] / count[c] : std::nan(""));
  }
  return out;
}

}  // namespace judgeopt::sim
