// judgeopt.runs, judgeopt.run, judgeopt.Run and judgeopt.report: the run store of a workspace
// from Python (what `judgeopt runs` and `judgeopt report` read), with no model calls.

#include <pybind11/stl.h>

#include <filesystem>
#include <map>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/report/make_report.h"
#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_views.h"
#include "judgeopt/store/workspace.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

/// One stored run, read once: its detail and every exported table (JSON Lines). Plain value.
struct PyRun {
  std::string workspace;
  store::RunDetail detail;
  std::map<std::string, store::ExportedTable> tables;
};

store::RunReader OpenReader(const std::string& workspace) {
  return Unwrap(store::RunReader::OpenInWorkspace(store::Workspace(workspace)));
}

std::vector<Column> ColumnsOf(const store::ExportedTable& t) {
  std::vector<Column> out;
  for (const auto& c : t.columns) out.push_back({c.name, c.type});
  return out;
}

py::object TableOf(const PyRun& r, const std::string& name) {
  auto it = r.tables.find(name);
  if (it == r.tables.end()) {
    ThrowError(NotFound("run tables are " +
                        [&] {
                          std::string names;
                          for (const auto& n : store::ExportTableNames())
                            names += (names.empty() ? "" : ", ") + n;
                          return names;
                        }() +
                        "; there is no '" + name + "'"));
  }
  return JsonlTable(it->second.content, ColumnsOf(it->second), name);
}

py::object OptionalFloat(const std::optional<double>& v) {
  return v ? py::object(py::float_(*v)) : py::none();
}

// One row per stored step: the gate's decision and scores, then each criterion's and the
// average's test Spearman and the average MAE when the step was evaluated.
py::object Trajectory(const PyRun& r) {
  std::vector<Column> columns = {
      {"step", "int"},         {"accepted", "bool"},       {"gate_skipped", "bool"},
      {"gate_metric", "text"}, {"gate_incumbent", "real"}, {"gate_candidate", "real"},
      {"evaluated", "bool"}};
  for (const auto& c : r.detail.run.info.criteria) columns.push_back({"spearman_" + c, "real"});
  columns.insert(columns.end(), {{"spearman_average", "real"}, {"mae_average", "real"}});
  py::list rows;
  for (const store::StepSummary& s : r.detail.steps) {
    py::dict row;
    row["step"] = s.step;
    row["accepted"] = s.gate.accepted;
    row["gate_skipped"] = s.gate.skipped;
    row["gate_metric"] = s.gate.metric;
    row["gate_incumbent"] = OptionalFloat(s.gate.incumbent_score);
    row["gate_candidate"] = OptionalFloat(s.gate.candidate_score);
    row["evaluated"] = s.test.has_value();
    if (s.test) {
      for (const optim::MetricRow& m : s.test->metrics) {
        row[py::str("spearman_" + m.criterion)] = OptionalFloat(m.spearman);
        if (m.criterion == "average") row["mae_average"] = OptionalFloat(m.mae);
      }
    }
    rows.append(std::move(row));
  }
  return MakeTable(rows, columns, "trajectory");
}

py::object CostsTable(const PyRun& r) {
  py::list rows;
  for (const store::RoleUsage& u : r.detail.totals) {
    py::dict row = TallyToPy(u);
    row["role"] = u.role;
    rows.append(std::move(row));
  }
  return MakeTable(rows,
                   {{"role", "text"},
                    {"calls", "int"},
                    {"cache_hits", "int"},
                    {"failed", "int"},
                    {"prompt_tokens", "int"},
                    {"completion_tokens", "int"},
                    {"cached_tokens", "int"},
                    {"reasoning_tokens", "int"},
                    {"usd", "real"}},
                   "costs");
}

py::dict Exports(const std::string& workspace, const std::string& run_id, const std::string& format,
                 bool comparable) {
  store::RunReader reader = OpenReader(workspace);
  const store::ExportFormat f = Unwrap(store::ParseExportFormat(format));
  py::dict out;
  for (const auto& t : Unwrap(store::ExportRun(reader, run_id, {f, comparable}))) {
    out[py::str(t.name)] = t.content;
  }
  return out;
}

py::object RunsTable(const std::string& workspace) {
  py::list rows;
  if (std::filesystem::exists(store::Workspace(workspace).RunsPath())) {
    store::RunReader reader = OpenReader(workspace);
    for (const store::RunListing& r : Unwrap(reader.ListRuns())) {
      py::dict row;
      row["run_id"] = r.info.run_id;
      row["group_id"] = r.info.group_id;
      row["dataset"] = r.info.dataset;
      row["mode"] = r.info.mode;
      row["algorithm"] = r.info.algorithm;
      row["steps"] = r.info.steps;
      row["last_step"] = r.last_step;
      row["status"] = r.status;
      row["message"] = r.message;
      row["final_average_spearman"] = OptionalFloat(r.final_average_spearman);
      row["simulated"] = r.info.simulated;
      row["code_version"] = r.info.code_version;
      rows.append(std::move(row));
    }
  }
  return MakeTable(rows,
                   {{"run_id", "text"},
                    {"group_id", "text"},
                    {"dataset", "text"},
                    {"mode", "text"},
                    {"algorithm", "text"},
                    {"steps", "int"},
                    {"last_step", "int"},
                    {"status", "text"},
                    {"message", "text"},
                    {"final_average_spearman", "real"},
                    {"simulated", "bool"},
                    {"code_version", "text"}},
                   "runs");
}

py::dict Report(const std::vector<std::string>& selectors, const std::string& workspace,
                const std::string& out, bool all) {
  if (selectors.empty() && !all) {
    ThrowError(InvalidArgument("name run ids, group ids or grid names, or pass all=True"));
  }
  store::RunReader reader = OpenReader(workspace);
  const report::ReportOutcome made = Unwrap(report::MakeReport(reader, {selectors, all}, out));
  py::dict d;
  d["files"] = made.files;
  d["runs"] = made.runs;
  d["configurations"] = made.configurations;
  d["simulated"] = made.simulated;
  d["html"] = (std::filesystem::path(out) / "report.html").string();
  return d;
}

void RegisterRunClass(py::module_& m) {
  py::class_<PyRun> run(m, "Run",
                        "A stored optimization run, read from the run store once (judgeopt.run "
                        "makes one): its settings, every step's gate decision and test "
                        "metrics, prompts, predictions, feedback, the methods' decisions and "
                        "every model call with its tokens and cost. Runs that used simulated "
                        "replies have info['simulated'] True: their numbers are SIMULATED.");
  run.def_property_readonly(
         "run_id", [](const PyRun& r) { return r.detail.run.info.run_id; }, "The run's id.")
      .def_property_readonly(
          "status", [](const PyRun& r) { return r.detail.run.status; },
          "'running', 'finished' or 'failed'.")
      .def_property_readonly(
          "info",
          [](const PyRun& r) {
            auto j = store::RunDetailToJson(r.detail);
            j.erase("step_summaries");
            j.erase("totals");
            return JsonToPy(j);
          },
          "The run's settings and status (run_id, dataset, mode, algorithm, "
          "criteria, steps, simulated, simulated_roles, status, message, "
          "code_version, last_step, final_average_spearman, config).")
      .def_property_readonly(
          "summary", [](const PyRun& r) { return JsonToPy(store::RunDetailToJson(r.detail)); },
          "Everything `judgeopt runs show --json` prints, as a dict.")
      .def_property_readonly(
          "config",
          [](const PyRun& r) {
            return JsonToPy(nlohmann::ordered_json::parse(r.detail.run.info.config_json));
          },
          "The resolved config the run was started with (a dict).")
      .def_property_readonly("trajectory", &Trajectory,
                             "Table, one row per stored step: step, accepted, gate_skipped, "
                             "gate_metric, gate_incumbent, gate_candidate, evaluated, "
                             "spearman_<criterion> per criterion, spearman_average, mae_average.")
      .def_property_readonly("costs", &CostsTable,
                             "Table, one row per role over every stored step: calls, cache_hits, "
                             "failed, tokens and usd.")
      .def_property_readonly(
          "table_names", [](const PyRun&) { return store::ExportTableNames(); },
          "The names Run.table takes, in export order.")
      .def("table", &TableOf, py::arg("name"),
           "One exported table (docs/results-schema.md): run, prompts, steps, evaluations, "
           "evaluation_metrics, predictions, losses, gradients, optimizer_calls, step_decisions, "
           "calls.");
  for (const char* name : {"prompts", "steps", "evaluations", "evaluation_metrics", "predictions",
                           "losses", "gradients", "optimizer_calls", "calls"}) {
    run.def_property_readonly(
        name, [n = std::string(name)](const PyRun& r) { return TableOf(r, n); },
        ("The '" + std::string(name) + "' table (Run.table).").c_str());
  }
  run.def_property_readonly(
         "decisions", [](const PyRun& r) { return TableOf(r, "step_decisions"); },
         "The methods' decisions per step (the 'step_decisions' table).")
      .def(
          "export_text",
          [](const PyRun& r, const std::string& format, bool comparable) {
            return Exports(r.workspace, r.detail.run.info.run_id, format, comparable);
          },
          py::arg("format") = "csv", py::arg("comparable") = false,
          "Table name -> the file `judgeopt runs export` writes (format 'csv' or 'jsonl'; "
          "comparable=True leaves out what differs between a resumed and an uninterrupted run).")
      .def(
          "export",
          [](const PyRun& r, py::object dir, const std::string& format, bool comparable) {
            store::RunReader reader = OpenReader(r.workspace);
            const store::ExportFormat f = Unwrap(store::ParseExportFormat(format));
            auto tables =
                Unwrap(store::ExportRun(reader, r.detail.run.info.run_id, {f, comparable}));
            return Unwrap(store::WriteExport(tables, PathArg(dir), f));
          },
          py::arg("dir"), py::arg("format") = "csv", py::arg("comparable") = false,
          "Writes every table into `dir` as `judgeopt runs export` does; returns the paths.")
      .def(
          "show", [](const PyRun& r) { return store::RenderRunDetail(r.detail, false); },
          "The text `judgeopt runs show` prints.")
      .def(
          "to_pandas", [](const PyRun& r) { return Trajectory(r).attr("to_pandas")(); },
          "The trajectory as a pandas DataFrame (one row per step).")
      .def("__repr__", [](const PyRun& r) {
        const auto& info = r.detail.run.info;
        return "<judgeopt.Run " + info.run_id + " " + info.dataset + " " + info.mode + ", " +
               std::to_string(r.detail.steps.size()) + " steps stored, " + r.detail.run.status +
               (info.simulated ? " [SIMULATED]" : "") + ">";
      });
}

}  // namespace

py::object LoadRunObject(const std::string& workspace, const std::string& run_id) {
  store::RunReader reader = OpenReader(workspace);
  PyRun run;
  run.workspace = workspace;
  run.detail = Unwrap(reader.LoadRun(run_id));
  for (auto& t : Unwrap(store::ExportRun(reader, run_id, {store::ExportFormat::kJsonl, false}))) {
    std::string name = t.name;
    run.tables.emplace(std::move(name), std::move(t));
  }
  return py::cast(std::move(run));
}

void RegisterRuns(py::module_& m) {
  RegisterRunClass(m);
  m.def(
      "runs", [](py::object ws) { return RunsTable(ws.is_none() ? "" : PathArg(ws)); },
      py::arg("workspace") = py::none(),
      "Every run stored in the workspace ('.' by default), in the order begun: a Table with "
      "run_id, group_id, dataset, mode, algorithm, steps, last_step, status, message, "
      "final_average_spearman, simulated, code_version (empty without a run store).");
  m.def(
      "run",
      [](py::object ws, const std::string& run_id) {
        return LoadRunObject(ws.is_none() ? "" : PathArg(ws), run_id);
      },
      py::arg("workspace"), py::arg("run_id"), "The stored run `run_id` (judgeopt.Run).");
  m.def(
      "report",
      [](py::object selectors, py::object ws, py::object out, bool all) {
        std::vector<std::string> ids;
        if (py::isinstance<py::str>(selectors)) {
          ids.push_back(py::cast<std::string>(selectors));
        } else if (!selectors.is_none()) {
          ids = py::cast<std::vector<std::string>>(selectors);
        }
        return Report(ids, ws.is_none() ? "" : PathArg(ws), PathArg(out), all);
      },
      py::arg("runs") = py::none(), py::kw_only(), py::arg("workspace") = py::none(),
      py::arg("out") = "report", py::arg("all") = false,
      "Writes the report of the selected runs (run ids, group ids or grid names; all=True: "
      "every stored run) into `out`, as `judgeopt report` does: Markdown and CSV tables, SVG "
      "charts and one self-contained report.html (docs/report.md). Returns a dict with "
      "files, runs, configurations, simulated and html.");
}

}  // namespace judgeopt::python
