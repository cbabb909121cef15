#pragma once
// Writing an evaluation's outputs: predictions (CSV and JSONL) and metrics (JSON).

#include <string>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/experiments/evaluation.h"

namespace judgeopt::report {

/// Describes where an evaluation came from; written into metrics.json. Value type.
struct EvalProvenance {
  std::string dataset;
  std::string split;
  std::string backend;    // "sim", "openai", "replay"
  std::string model;
  bool simulated = false;  // true whenever the simulator produced the replies
  long long seed = 0;
  std::string prompt_json;  // the judge prompt file content (JSON)
};

/// predictions.csv: id, gold_<c>, pred_<c> per criterion, attempts, error, raw_reply.
std::string PredictionsCsv(const data::Dataset& dataset, const experiments::EvalResult& result);
/// predictions.jsonl: one object per example with id, gold, pred, problems, attempts, error,
/// raw_reply.
std::string PredictionsJsonl(const data::Dataset& dataset, const experiments::EvalResult& result);
/// metrics.json: provenance, per-criterion metrics, the average, example counts.
std::string MetricsJson(const experiments::EvalResult& result, const EvalProvenance& provenance);

/// Writes the three files into `dir` (created when missing). Each file is written atomically,
/// and all three are rendered before the first is written.
Status WriteEvalFiles(const std::string& dir, const data::Dataset& dataset,
                      const experiments::EvalResult& result, const EvalProvenance& provenance);

/// Quotes a CSV field when it contains a comma, quote, CR or LF (RFC 4180).
std::string CsvField(const std::string& value);

}  // namespace judgeopt::report
