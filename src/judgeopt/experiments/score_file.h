#pragma once
// Metrics for a predictions file made elsewhere (`judgeopt score`): any CSV or JSONL with gold and
// predicted columns.

#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/experiments/evaluation.h"

namespace judgeopt::experiments {

/// What to score. gold_columns[i] is compared with pred_columns[i]. Value type.
struct ScoreFileRequest {
  std::string path;
  std::string format;  // "jsonl", "csv" or "" (by extension)
  std::vector<std::string> gold_columns;
  std::vector<std::string> pred_columns;
  std::string group_column;          // "" = no per-group correlation
  std::optional<double> scale_min;   // default: the smallest gold or predicted value
  std::optional<double> scale_max;   // default: the largest
};

/// One CriterionReport per column pair (named "<gold>~<pred>", or the gold name when the
/// columns share a name after stripping gold_/pred_ prefixes) plus their average, and the
/// number of rows read.
struct ScoreFileResult {
  std::vector<CriterionReport> pairs;
  CriterionReport average;
  std::size_t rows = 0;
  std::size_t non_numeric = 0;  // cells that were present but not numbers (counted as missing)
};

/// Reads the file and computes the metrics. Errors name the file and the missing column (with
/// the line of the first row lacking it, for JSONL).
Result<ScoreFileResult> ScoreFile(const ScoreFileRequest& request);

}  // namespace judgeopt::experiments
