// judgeopt.evaluate (the extension's _evaluate, wrapped by python/judgeopt/__init__.py) and
// judgeopt.EvalResult: `judgeopt eval` from Python, with the same predictions and metrics.

#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "interruptible.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/experiments/evaluation.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/report/eval_files.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

/// What one evaluate() call made. Plain value.
struct PyEvalResult {
  std::shared_ptr<const data::Dataset> dataset;
  experiments::EvalResult result;
  report::EvalProvenance provenance;
  llm::LedgerSnapshot ledger;
};

const std::vector<Column> kMetricColumns = {
    {"criterion", "text"}, {"spearman", "real"}, {"kendall", "real"},           {"pearson", "real"},
    {"mae", "real"},       {"off_by_1", "real"}, {"accuracy", "real"},          {"qwk", "real"},
    {"n", "int"},          {"missing", "int"},   {"spearman_per_group", "real"}};

// metrics.json's per-criterion objects and its average, one row each.
py::object MetricsTable(const PyEvalResult& r) {
  const auto doc = nlohmann::ordered_json::parse(report::MetricsJson(r.result, r.provenance));
  py::list rows;
  auto add = [&rows](const std::string& name, const nlohmann::ordered_json& metrics) {
    py::dict row = py::reinterpret_steal<py::dict>(JsonToPy(metrics).release());
    row["criterion"] = name;
    rows.append(std::move(row));
  };
  for (auto it = doc["criteria"].begin(); it != doc["criteria"].end(); ++it) add(it.key(), *it);
  add("average", doc["average"]);
  return MakeTable(rows, kMetricColumns, "metrics");
}

// predictions.jsonl flattened to predictions.csv's columns.
py::object PredictionsTable(const PyEvalResult& r) {
  const data::Dataset& ds = *r.dataset;
  std::vector<Column> columns = {{"id", "text"}};
  for (const auto& c : ds.criteria) {
    columns.push_back({"gold_" + c.name, "real"});
    columns.push_back({"pred_" + c.name, "real"});
  }
  columns.insert(
      columns.end(),
      {{"attempts", "int"}, {"error", "text"}, {"simulated", "bool"}, {"raw_reply", "text"}});
  const std::string jsonl = report::PredictionsJsonl(ds, r.result, r.provenance.simulated);
  py::list rows;
  std::size_t start = 0;
  for (std::size_t end; (end = jsonl.find('\n', start)) != std::string::npos; start = end + 1) {
    const auto line = nlohmann::ordered_json::parse(jsonl.substr(start, end - start));
    py::dict row;
    row["id"] = JsonToPy(line["id"]);
    for (const auto& c : ds.criteria) {
      row[py::str("gold_" + c.name)] = JsonToPy(line["gold"][c.name]);
      row[py::str("pred_" + c.name)] = JsonToPy(line["pred"][c.name]);
    }
    for (const char* key : {"attempts", "error", "simulated", "raw_reply"}) {
      row[key] = JsonToPy(line[key]);
    }
    rows.append(std::move(row));
  }
  return MakeTable(rows, columns, "predictions");
}

std::vector<std::size_t> Positions(const data::Dataset& ds, const std::string& split,
                                   std::optional<std::size_t> limit) {
  const std::vector<std::size_t>* positions = ds.Split(split);
  if (positions == nullptr) {
    ThrowError(
        InvalidArgument("split " + InvalidChoiceMessage(EnumChoices<data::SplitId>(), split)));
  }
  std::vector<std::size_t> out = *positions;
  if (limit && *limit > 0 && out.size() > *limit) out.resize(*limit);
  if (out.empty()) ThrowError(InvalidArgument("split '" + split + "' of " + ds.name + " is empty"));
  return out;
}

PyEvalResult Evaluate(py::object prompt_arg, const PyDataset& d, const std::string& split,
                      const py::dict& options) {
  const data::Dataset& ds = *d.dataset;
  const judge::JudgePrompt prompt = prompt_arg.is_none() ? judge::JudgePrompt::FromDataset(ds)
                                                         : py::cast<judge::JudgePrompt>(prompt_arg);
  Check(prompt.CheckAgainst(ds));
  const std::vector<std::size_t> positions =
      Positions(ds, split, Option<std::size_t>(options, "limit"));
  const judge::JudgeMode mode = Unwrap(judge::ParseJudgeMode(
      Option<std::string>(options, "judge_mode").value_or("joint"), "judge_mode"));
  const int64_t seed = Option<int64_t>(options, "seed").value_or(0);
  const llm::Role roles[] = {llm::Role::kJudge};
  const llm::LlmConfig config = ResolveLlmConfig(llm::DefaultLlmConfig(), options, roles);
  const ModelSetup setup = ReadModelSetup(options);
  auto failures = std::make_shared<CallbackFailures>();
  PyEvalResult out{d.dataset, {}, {}, {}};
  Status status = Status::Ok();
  RunInterruptible(
      [&] {
        Result<Session> session =
            OpenSession(config, roles, d.dataset, static_cast<uint64_t>(seed), setup, failures);
        if (!session.ok()) {
          status = session.error();
          return;
        }
        WorkPool pool(static_cast<std::size_t>(session->workers));
        const llm::RoleConfig& judge_role = session->stack->config().role(llm::Role::kJudge);
        const judge::JudgeSettings settings =
            experiments::EvalJudgeSettings(judge_role, seed, mode);
        judge::Judge judge(session->stack->For(llm::Role::kJudge), pool, settings);
        judge::PredictOptions predict;
        predict.tag = "eval/" + split;
        auto result = experiments::EvaluatePrompt(judge, ds, prompt, positions, predict);
        out.ledger = session->stack->ledger();
        for (llm::Role r : session->stack->SimulatedRoles()) {
          out.provenance.simulated_roles.emplace_back(llm::RoleName(r));
        }
        out.provenance.backend = std::string(llm::BackendName(judge_role.backend));
        out.provenance.model = settings.model;
        if (!result.ok()) {
          status = result.error();
          return;
        }
        out.result = std::move(result).value();
        status = experiments::CheckEvalUsable(out.result);
      },
      *failures);
  Check(status);
  out.provenance.dataset = ds.name;
  out.provenance.split = split;
  out.provenance.simulated = !out.provenance.simulated_roles.empty();
  out.provenance.seed = seed;
  out.provenance.prompt_json = judge::PromptToJsonText(prompt);
  return out;
}

}  // namespace

void RegisterEval(py::module_& m) {
  py::class_<PyEvalResult>(
      m, "EvalResult",
      "What evaluate() made: per-example predictions and per-criterion metrics, with the call "
      "ledger. `simulated` is True when any reply came from judgeopt's simulator: its numbers "
      "are then SIMULATED, consequences of the simulator's rules, not findings about LLMs.")
      .def_property_readonly("metrics", &MetricsTable,
                             "Table, one row per criterion and an 'average' row: spearman, "
                             "kendall, pearson, mae, off_by_1, accuracy, qwk, n, missing, "
                             "spearman_per_group (metrics.json's numbers).")
      .def_property_readonly("predictions", &PredictionsTable,
                             "Table, one row per example: id, gold_<c> and pred_<c> per "
                             "criterion, attempts, error, simulated, raw_reply "
                             "(predictions.csv's columns).")
      .def_property_readonly(
          "simulated", [](const PyEvalResult& r) { return r.provenance.simulated; },
          "True when any reply came from judgeopt's simulator (SIMULATED).")
      .def_property_readonly(
          "simulated_roles", [](const PyEvalResult& r) { return r.provenance.simulated_roles; },
          "The roles that got simulated replies.")
      .def_property_readonly(
          "calls", [](const PyEvalResult& r) { return LedgerToPy(r.ledger); },
          "The call ledger: 'total' and 'by_role', each with calls, "
          "cache_hits, failed, refused, tokens, usd and simulated replies.")
      .def_property_readonly(
          "failed_examples", [](const PyEvalResult& r) { return r.result.failed_examples; },
          "Examples that got no usable score at all.")
      .def(
          "write",
          [](const PyEvalResult& r, py::object dir) {
            Check(report::WriteEvalFiles(PathArg(dir), *r.dataset, r.result, r.provenance));
          },
          py::arg("dir"),
          "Writes predictions.csv, predictions.jsonl and metrics.json into `dir`, byte for "
          "byte what `judgeopt eval --out DIR` writes for the same evaluation.")
      .def(
          "to_pandas", [](const PyEvalResult& r) { return MetricsTable(r).attr("to_pandas")(); },
          "The metrics table as a pandas DataFrame.")
      .def("__repr__", [](const PyEvalResult& r) {
        return "<judgeopt.EvalResult " + r.provenance.dataset + "/" + r.provenance.split + ": " +
               std::to_string(r.result.positions.size()) + " examples" +
               (r.provenance.simulated ? " [SIMULATED]" : "") + ">";
      });
  m.def("_evaluate", &Evaluate, py::arg("prompt"), py::arg("dataset"), py::arg("split"),
        py::arg("options"), "The engine of judgeopt.evaluate (see its docstring).");
}

}  // namespace judgeopt::python
