#include "judgeopt/optim/methods/pcgrad.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

namespace judgeopt::optim {
namespace {

using Json = nlohmann::ordered_json;

const StepEdit* Lookup(const StepEdits& edits, const EditKey& key) {
  for (const CriterionEdits& c : edits.criteria) {
    if (c.criterion == key.first) return c.Find(key.second);
  }
  return nullptr;
}

Json EditJson(const StepEdits& edits, const EditKey& key) {
  Json j = {{"criterion", key.first}, {"id", key.second}};
  if (const StepEdit* e = Lookup(edits, key)) {
    j["action"] = prompts::EditActionName(e->edit.action);
    j["text"] = e->edit.text;
    j["samples"] = e->samples;
  }
  return j;
}

// Position of a criterion in the run's order (for sorting the dropped edits).
std::size_t Rank(const StepEdits& edits, const std::string& criterion) {
  for (std::size_t i = 0; i < edits.criteria.size(); ++i) {
    if (edits.criteria[i].criterion == criterion) return i;
  }
  return edits.criteria.size();
}

}  // namespace

Projection ProjectEdits(const StepEdits& edits, const ConflictMatrix& matrix) {
  Projection out;
  out.total = edits.EditCount();
  // Keyed by (criterion rank, id) so the reasons come out in run order.
  std::map<std::pair<std::size_t, int>, std::pair<EditKey, std::vector<ContradictedBy>>> drops;
  auto drop = [&](const EditKey& key, const EditKey& other, bool tie) {
    auto& entry = drops[{Rank(edits, key.first), key.second}];
    entry.first = key;
    entry.second.push_back({other, tie});
  };
  for (const CriterionPairVerdicts& p : matrix.pairs) {
    for (const prompts::EditPairVerdict& v : p.verdicts) {
      if (v.verdict != prompts::PairVerdict::kContradict || v.keep == "both") continue;
      const EditKey a{p.a, v.a + 1};
      const EditKey b{p.b, v.b + 1};
      const bool tie = v.keep != "a" && v.keep != "b";
      if (v.keep != "a") drop(a, b, tie);
      if (v.keep != "b") drop(b, a, tie);
    }
  }
  for (auto& [rank, entry] : drops) {
    out.dropped.insert(entry.first);
    out.reasons.push_back(std::move(entry));
  }
  return out;
}

DecisionRecord PcgradDecision(const StepEdits& edits, const Projection& projection) {
  Json dropped = Json::array();
  for (const auto& [key, by] : projection.reasons) {
    Json j = EditJson(edits, key);
    Json contradicts = Json::array();
    for (const ContradictedBy& c : by) {
      Json other = EditJson(edits, c.other);
      other["rule"] = c.tie ? "tie: both dropped" : "classifier kept the other edit";
      contradicts.push_back(std::move(other));
    }
    j["contradicts"] = std::move(contradicts);
    dropped.push_back(std::move(j));
  }
  const int n = static_cast<int>(projection.dropped.size());
  const Json payload = {
      {"total", projection.total}, {"kept", projection.total - n}, {"dropped", std::move(dropped)}};
  const std::string summary =
      n == 0 ? fmt::format("kept all {} edits (no contradiction)", projection.total)
             : fmt::format("dropped {} of {} edits (contradict)", n, projection.total);
  return {"pcgrad", "", summary, payload.dump()};
}

}  // namespace judgeopt::optim
