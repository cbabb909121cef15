#include "judgeopt/experiments/score_file.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "judgeopt/data/records.h"
#include "judgeopt/metrics/evaluate.h"
#include "judgeopt/metrics/grouped.h"

namespace judgeopt::experiments {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A cell as a number: JSON numbers as is; strings parsed when wholly numeric; else NaN.
double CellValue(const config::Json& v, bool* non_numeric) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.empty()) return kNaN;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() && *end == '\0') return d;
  }
  if (!v.is_null()) *non_numeric = true;
  return kNaN;
}

std::string StripPrefix(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

Result<std::vector<double>> Column(const data::RecordFile& file, const std::string& column,
                                   std::size_t* non_numeric) {
  if (!file.MayHaveField(column)) {
    return InvalidArgument(file.path + ": no column '" + column + "'");
  }
  std::vector<double> out;
  for (const auto& rec : file.records) {
    auto it = rec.fields.find(column);
    if (it == rec.fields.end()) {
      return InvalidArgument(file.path + ":" + std::to_string(rec.line) + ": field '" + column +
                             "' is missing");
    }
    bool bad = false;
    out.push_back(CellValue(*it, &bad));
    *non_numeric += bad;
  }
  return out;
}

Result<std::vector<std::string>> GroupColumn(const data::RecordFile& file,
                                             const std::string& column) {
  std::vector<std::string> out;
  for (const auto& rec : file.records) {
    auto it = rec.fields.find(column);
    if (it == rec.fields.end()) {
      return InvalidArgument(file.path + ":" + std::to_string(rec.line) + ": group field '" +
                             column + "' is missing");
    }
    out.push_back(it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

metrics::ScaleRange InferScale(const ScoreFileRequest& req, const std::vector<double>& gold,
                               const std::vector<double>& pred) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto* v : {&gold, &pred}) {
    for (double x : *v) {
      if (std::isfinite(x)) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi <= lo) hi = lo + 1;
  return {req.scale_min.value_or(std::floor(lo)), req.scale_max.value_or(std::ceil(hi))};
}

}  // namespace

Result<ScoreFileResult> ScoreFile(const ScoreFileRequest& req) {
  if (req.gold_columns.empty() || req.gold_columns.size() != req.pred_columns.size()) {
    return InvalidArgument("--gold and --pred must name the same number (≥ 1) of columns; got " +
                           std::to_string(req.gold_columns.size()) + " and " +
                           std::to_string(req.pred_columns.size()));
  }
  JO_ASSIGN_OR_RETURN(auto format, data::ResolveFileFormat(req.format, req.path));
  JO_ASSIGN_OR_RETURN(auto file, data::ReadRecordFile(req.path, format));
  ScoreFileResult out;
  out.rows = file.records.size();
  std::vector<std::string> groups;
  if (!req.group_column.empty()) {
    JO_ASSIGN_OR_RETURN(groups, GroupColumn(file, req.group_column));
  }
  for (std::size_t i = 0; i < req.gold_columns.size(); ++i) {
    JO_ASSIGN_OR_RETURN(auto gold, Column(file, req.gold_columns[i], &out.non_numeric));
    JO_ASSIGN_OR_RETURN(auto pred, Column(file, req.pred_columns[i], &out.non_numeric));
    CriterionReport report;
    const std::string g = StripPrefix(req.gold_columns[i], "gold_");
    const std::string p = StripPrefix(req.pred_columns[i], "pred_");
    report.criterion = g == p ? g : req.gold_columns[i] + "~" + req.pred_columns[i];
    JO_ASSIGN_OR_RETURN(report.metrics,
                        metrics::EvaluatePairs(gold, pred, InferScale(req, gold, pred)));
    if (!groups.empty()) {
      JO_ASSIGN_OR_RETURN(auto grouped, metrics::PerGroupCorrelation(
                                            metrics::CorrelationKind::kSpearman, gold, pred,
                                            groups));
      if (grouped.groups_defined > 0) report.grouped_spearman = grouped.mean;
    }
    out.pairs.push_back(std::move(report));
  }
  out.average = AverageOver(out.pairs);
  return out;
}

}  // namespace judgeopt::experiments
