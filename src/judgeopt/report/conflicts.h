#pragma once
// Conflict matrices for the report: the payload of a "conflict_matrix" decision (the format is
// in docs/results-schema.md) parsed into counts, and the counts of many steps and runs summed
// into one criterion x criterion heatmap. Pure functions, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::report {

/// How the edit pairs of two criteria were classified. Plain value.
struct ConflictCounts {
  int64_t agree = 0;
  int64_t independent = 0;
  int64_t contradict = 0;

  int64_t Total() const { return agree + independent + contradict; }
  ConflictCounts& operator+=(const ConflictCounts& o);
};

/// One pair of a conflict_matrix payload. Plain value.
struct ConflictPair {
  std::string a;
  std::string b;
  ConflictCounts counts;
};

/// A parsed conflict_matrix payload. Plain value.
struct ConflictMatrix {
  std::vector<std::string> criteria;
  std::vector<ConflictPair> pairs;
};

/// Parses `{"criteria": [...], "pairs": [{"a", "b", "agree", "independent", "contradict"}]}`.
/// kParse / kInvalidArgument naming the field when it is not JSON, a field is missing or of the
/// wrong type, a count is negative, a pair names one criterion twice or one not in `criteria`.
Result<ConflictMatrix> ParseConflictMatrix(const std::string& payload_json);

/// Counts summed over many matrices, per unordered pair of criteria. Plain value.
struct ConflictHeatmap {
  std::vector<std::string> criteria;  // rows and columns, in the order first seen
  /// counts[i][j] == counts[j][i]; the diagonal stays zero.
  std::vector<std::vector<ConflictCounts>> counts;
  int matrices = 0;  // matrices added
  int ignored = 0;   // payloads that were not in the agreed format (left out, counted)

  /// Adds one matrix (its criteria are appended to `criteria` when new).
  void Add(const ConflictMatrix& matrix);
  /// contradict / (agree + independent + contradict) of the pair; nullopt on the diagonal and
  /// for a pair with no classified edit pair.
  std::optional<double> ContradictShare(std::size_t i, std::size_t j) const;
  /// Orders rows and columns as `order` (criteria it lacks keep their order after it).
  void Reorder(const std::vector<std::string>& order);
};

}  // namespace judgeopt::report
