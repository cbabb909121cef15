#include "judgeopt/report/conflicts.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace judgeopt::report {
namespace {

using nlohmann::json;

Result<std::string> StringField(const json& object, const char* key, const std::string& where) {
  if (!object.contains(key) || !object[key].is_string()) {
    return InvalidArgument(fmt::format("conflict_matrix {}: \"{}\" is not a string", where, key));
  }
  return object[key].get<std::string>();
}

Result<int64_t> CountField(const json& object, const char* key, const std::string& where) {
  if (!object.contains(key) || !object[key].is_number_integer() || object[key].get<int64_t>() < 0) {
    return InvalidArgument(
        fmt::format("conflict_matrix {}: \"{}\" is not a non-negative integer", where, key));
  }
  return object[key].get<int64_t>();
}

Result<ConflictPair> ParsePair(const json& p, const std::vector<std::string>& criteria,
                               std::size_t index) {
  const std::string where = fmt::format("pairs[{}]", index);
  if (!p.is_object()) return InvalidArgument("conflict_matrix " + where + ": not an object");
  ConflictPair pair;
  JO_ASSIGN_OR_RETURN(pair.a, StringField(p, "a", where));
  JO_ASSIGN_OR_RETURN(pair.b, StringField(p, "b", where));
  for (const std::string* name : {&pair.a, &pair.b}) {
    if (std::find(criteria.begin(), criteria.end(), *name) == criteria.end()) {
      return InvalidArgument(fmt::format("conflict_matrix {}: criterion \"{}\" is not in "
                                         "\"criteria\"",
                                         where, *name));
    }
  }
  if (pair.a == pair.b) {
    return InvalidArgument(
        fmt::format("conflict_matrix {}: \"a\" and \"b\" are both \"{}\"", where, pair.a));
  }
  JO_ASSIGN_OR_RETURN(pair.counts.agree, CountField(p, "agree", where));
  JO_ASSIGN_OR_RETURN(pair.counts.independent, CountField(p, "independent", where));
  JO_ASSIGN_OR_RETURN(pair.counts.contradict, CountField(p, "contradict", where));
  return pair;
}

std::size_t IndexOf(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  names.push_back(name);
  return names.size() - 1;
}

}  // namespace

ConflictCounts& ConflictCounts::operator+=(const ConflictCounts& o) {
  agree += o.agree;
  independent += o.independent;
  contradict += o.contradict;
  return *this;
}

Result<ConflictMatrix> ParseConflictMatrix(const std::string& payload_json) {
  const json doc = json::parse(payload_json, nullptr, false);
  if (doc.is_discarded()) return ParseError("conflict_matrix payload is not JSON");
  if (!doc.is_object()) return InvalidArgument("conflict_matrix payload is not an object");
  ConflictMatrix out;
  if (!doc.contains("criteria") || !doc["criteria"].is_array()) {
    return InvalidArgument("conflict_matrix: \"criteria\" is not a list");
  }
  for (const json& c : doc["criteria"]) {
    if (!c.is_string()) return InvalidArgument("conflict_matrix: \"criteria\" holds a non-string");
    out.criteria.push_back(c.get<std::string>());
  }
  if (!doc.contains("pairs") || !doc["pairs"].is_array()) {
    return InvalidArgument("conflict_matrix: \"pairs\" is not a list");
  }
  for (std::size_t i = 0; i < doc["pairs"].size(); ++i) {
    JO_ASSIGN_OR_RETURN(ConflictPair pair, ParsePair(doc["pairs"][i], out.criteria, i));
    out.pairs.push_back(std::move(pair));
  }
  return out;
}

void ConflictHeatmap::Add(const ConflictMatrix& matrix) {
  for (const std::string& c : matrix.criteria) IndexOf(criteria, c);
  counts.resize(criteria.size());
  for (auto& row : counts) row.resize(criteria.size());
  for (const ConflictPair& p : matrix.pairs) {
    const std::size_t i = IndexOf(criteria, p.a), j = IndexOf(criteria, p.b);
    counts[i][j] += p.counts;
    counts[j][i] += p.counts;
  }
  ++matrices;
}

std::optional<double> ConflictHeatmap::ContradictShare(std::size_t i, std::size_t j) const {
  if (i == j || i >= counts.size() || j >= counts.size()) return std::nullopt;
  const ConflictCounts& c = counts[i][j];
  if (c.Total() == 0) return std::nullopt;
  return static_cast<double>(c.contradict) / static_cast<double>(c.Total());
}

void ConflictHeatmap::Reorder(const std::vector<std::string>& order) {
  std::vector<std::string> names;
  for (const std::string& c : order) {
    if (std::find(criteria.begin(), criteria.end(), c) != criteria.end()) names.push_back(c);
  }
  for (const std::string& c : criteria) {
    if (std::find(names.begin(), names.end(), c) == names.end()) names.push_back(c);
  }
  std::vector<std::size_t> from;
  for (const std::string& c : names) {
    from.push_back(static_cast<std::size_t>(
        std::find(criteria.begin(), criteria.end(), c) - criteria.begin()));
  }
  std::vector<std::vector<ConflictCounts>> reordered(names.size(),
                                                     std::vector<ConflictCounts>(names.size()));
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = 0; j < names.size(); ++j) reordered[i][j] = counts[from[i]][from[j]];
  }
  criteria = std::move(names);
  counts = std::move(reordered);
}

}  // namespace judgeopt::report
