#pragma once
// Writing an evaluation's outputs: predictions (CSV and JSONL) and metrics (JSON).

#include <string>
#include <vector>

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
  /// True when at least one reply the evaluation used was written by judgeopt's simulator
  /// (in-process, through sim-server, or replayed from such a reply): the SIMULATED label.
  bool simulated = false;
  long long seed = 0;
  std::string prompt_json;  // the judge prompt file content (JSON)
  /// The roles that got simulated replies (llm::RoleName, role order); empty when none.
  std::vector<std::string> simulated_roles;
};

/// predictions.csv: id, gold_<c>, pred_<c> per criterion, attempts, error, simulated, raw_reply.
/// `simulated` is the evaluation's label (EvalProvenance::simulated), "true" or "false" on every
/// row, so a filtered or concatenated frame keeps it.
std::string PredictionsCsv(const data::Dataset& dataset, const experiments::EvalResult& result,
                           bool simulated);
/// predictions.jsonl: one object per example with id, gold, pred, problems, attempts, error,
/// simulated (a boolean, as in the CSV), raw_reply.
std::string PredictionsJsonl(const data::Dataset& dataset, const experiments::EvalResult& result,
                             bool simulated);
/// metrics.json: the label (simulated, simulated_roles, note), provenance, per-criterion
/// metrics, the average, example counts.
std::string MetricsJson(const experiments::EvalResult& result, const EvalProvenance& provenance);

/// Writes the three files into `dir` (created when missing). Each file is written atomically,
/// and all three are rendered before the first is written.
Status WriteEvalFiles(const std::string& dir, const data::Dataset& dataset,
                      const experiments::EvalResult& result, const EvalProvenance& provenance);

/// Quotes a CSV field when it contains a comma, quote, CR or LF (RFC 4180).
std::string CsvField(const std::string& value);

}  // namespace judgeopt::report
