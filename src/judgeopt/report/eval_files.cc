#include "judgeopt/report/eval_files.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "judgeopt/base/files.h"

namespace judgeopt::report {
namespace {

using Json = nlohmann::ordered_json;

// Whole numbers print without a fraction ("4", not "4.0"); others as the shortest round trip.
std::string Number(double v) {
  if (!std::isfinite(v)) return "";
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  Json j = v;
  return j.dump();
}

Json MaybeNumber(std::optional<double> v) {
  return v && std::isfinite(*v) ? Json(*v) : Json(nullptr);
}

Json MetricsObject(const experiments::CriterionReport& r) {
  const auto& m = r.metrics;
  Json j = {{"spearman", m.spearman}, {"kendall", m.kendall}, {"pearson", m.pearson},
            {"mae", m.mae},           {"off_by_1", m.off_by_one}, {"accuracy", m.accuracy},
            {"qwk", m.qwk},           {"n", m.n},             {"missing", m.missing}};
  j["spearman_per_group"] = MaybeNumber(r.grouped_spearman);
  return j;
}

}  // namespace

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string PredictionsCsv(const data::Dataset& dataset, const experiments::EvalResult& result,
                           bool simulated) {
  std::string out = "id";
  for (const auto& c : dataset.criteria) out += ",gold_" + c.name + ",pred_" + c.name;
  out += ",attempts,error,simulated,raw_reply\n";
  for (std::size_t i = 0; i < result.positions.size(); ++i) {
    const auto& ex = dataset.examples[result.positions[i]];
    const auto& p = result.predictions[i];
    out += CsvField(ex.id);
    for (std::size_t c = 0; c < dataset.criteria.size(); ++c) {
      out += "," + Number(ex.gold[c]) + "," + (p.Value(c) ? Number(*p.Value(c)) : "");
    }
    out += "," + std::to_string(p.attempts) + "," + CsvField(p.error ? p.error->ToString() : "");
    out += std::string(simulated ? ",true," : ",false,") + CsvField(p.raw_reply) + "\n";
  }
  return out;
}

std::string PredictionsJsonl(const data::Dataset& dataset, const experiments::EvalResult& result,
                             bool simulated) {
  std::string out;
  for (std::size_t i = 0; i < result.positions.size(); ++i) {
    const auto& ex = dataset.examples[result.positions[i]];
    const auto& p = result.predictions[i];
    Json gold = Json::object(), pred = Json::object(), problems = Json::object();
    for (std::size_t c = 0; c < dataset.criteria.size(); ++c) {
      const std::string& name = dataset.criteria[c].name;
      gold[name] = ex.gold[c];
      pred[name] = MaybeNumber(p.Value(c));
      if (!p.values[c].problem.empty()) problems[name] = p.values[c].problem;
    }
    Json line = {{"id", ex.id}, {"gold", gold}, {"pred", pred}};
    if (!problems.empty()) line["problems"] = problems;
    line["attempts"] = p.attempts;
    line["error"] = p.error ? Json(p.error->ToString()) : Json(nullptr);
    line["simulated"] = simulated;
    line["raw_reply"] = p.raw_reply;
    out += line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  }
  return out;
}

std::string MetricsJson(const experiments::EvalResult& result, const EvalProvenance& provenance) {
  Json j;
  j["simulated"] = provenance.simulated;
  j["simulated_roles"] = provenance.simulated_roles;
  if (provenance.simulated) {
    j["note"] = "Simulated: these numbers come from judgeopt's offline simulator and are "
                "consequences of its rules, not findings about LLMs.";
  }
  j["dataset"] = provenance.dataset;
  j["split"] = provenance.split;
  j["backend"] = provenance.backend;
  j["model"] = provenance.model;
  j["seed"] = provenance.seed;
  j["examples"] = result.positions.size();
  j["failed_examples"] = result.failed_examples;
  Json crit = Json::object();
  for (const auto& c : result.criteria) crit[c.criterion] = MetricsObject(c);
  j["criteria"] = crit;
  j["average"] = MetricsObject(result.average);
  if (!provenance.prompt_json.empty()) {
    j["prompt"] = Json::parse(provenance.prompt_json, nullptr, false);
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status WriteEvalFiles(const std::string& dir, const data::Dataset& dataset,
                      const experiments::EvalResult& result, const EvalProvenance& provenance) {
  const std::string csv = PredictionsCsv(dataset, result, provenance.simulated);
  const std::string jsonl = PredictionsJsonl(dataset, result, provenance.simulated);
  const std::string metrics = MetricsJson(result, provenance);
  JO_RETURN_IF_ERROR(MakeDirs(dir));
  JO_RETURN_IF_ERROR(WriteFileAtomic(dir + "/predictions.csv", csv));
  JO_RETURN_IF_ERROR(WriteFileAtomic(dir + "/predictions.jsonl", jsonl));
  // metrics.json last: its presence marks a complete set.
  return WriteFileAtomic(dir + "/metrics.json", metrics);
}

}  // namespace judgeopt::report
