// judgeopt.optimize and judgeopt.resume (the extension's _optimize and _resume, wrapped by
// python/judgeopt/__init__.py) and judgeopt.OptimizeResult: `judgeopt optimize` and `judgeopt
// resume` from Python, through the same run loop and run store.

#include <pybind11/stl.h>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "interruptible.h"
#include "judgeopt/base/version.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/optim/estimate/estimate.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"
#include "judgeopt/store/workspace.h"
#include "optimize_options.h"
#include "progress.h"
#include "session.h"

namespace judgeopt::python {
namespace py = pybind11;
namespace {

/// What one optimize() or resume() call did. Plain value.
struct PyOptimizeResult {
  std::string workspace;
  std::vector<optim::RunResult> runs;
  std::vector<std::string> simulated_roles;  // over every run, as the run store recorded them
  llm::LedgerSnapshot ledger;
};

/// Everything a call needs off the GIL. Plain value (the functions are shared).
struct OptimizeJob {
  optim::OptimizeConfig config;
  ModelSetup setup;
  bool force = false;
  SharedPyObject progress;
};

// Refuses a run whose projection exceeds the budget, unless forced (the CLI's rule).
Status CheckProjection(const OptimizeJob& job, const data::Dataset& ds) {
  const llm::Budget& budget = job.setup.budget;
  if ((!budget.max_usd && !budget.max_calls) || job.force) return Status::Ok();
  JO_ASSIGN_OR_RETURN(const optim::CostEstimate estimate, optim::EstimateRun(job.config, ds));
  if (!optim::ExceedsBudget(estimate, budget)) return Status::Ok();
  return Error(ErrorCode::kBudgetExceeded,
               optim::OverBudgetRefusal(estimate, budget, optim::OverrideSpelling::kKeywords));
}

Status AddSimulatedRoles(store::RunStore& store, const std::string& run_id,
                         std::vector<std::string>& roles) {
  JO_ASSIGN_OR_RETURN(const std::optional<optim::RunInfo> info, store.LoadInfo(run_id));
  if (info && info->simulated) roles = optim::MergeRoleNames(roles, info->simulated_roles);
  return Status::Ok();
}

// The whole call, off the GIL: as `judgeopt optimize` runs.
Status RunJob(OptimizeJob& job, PyOptimizeResult& out,
              const std::shared_ptr<CallbackFailures>& failures) {
  optim::OptimizeConfig& config = job.config;
  JO_ASSIGN_OR_RETURN(auto dataset, LoadDatasetShared(config.dataset, EnumName(config.protocol),
                                                      config.data_version, job.setup.data_dir));
  JO_ASSIGN_OR_RETURN(const std::vector<optim::RunPlan> plans, optim::PlanRuns(config, *dataset));
  JO_RETURN_IF_ERROR(CheckProjection(job, *dataset));
  JO_ASSIGN_OR_RETURN(Session session,
                      OpenSession(config.llm, llm::kAllRoles, dataset,
                                  static_cast<uint64_t>(config.seed), job.setup, failures));
  config.llm = session.stack->config();
  const store::Workspace ws(job.setup.workspace);
  out.workspace = ws.root().string();
  JO_ASSIGN_OR_RETURN(auto store, store::RunStore::OpenInWorkspace(ws));
  WorkPool pool(static_cast<std::size_t>(session.workers));
  PythonProgress progress(job.progress, failures);
  progress.set_stack(session.stack.get());
  optim::RunDeps deps{*session.stack, pool, *store, &progress, VersionString()};
  Status status = Status::Ok();
  for (const optim::RunPlan& plan : plans) {
    Result<optim::RunResult> result = optim::RunOptimization(config, *dataset, plan, deps);
    if (!result.ok()) {
      const Error& e = result.error();
      status =
          Error(e.code, e.message +
                            "\nEverything before this step is stored; "
                            "judgeopt.resume('" +
                            plan.run_id + "', workspace=...) continues it, paying nothing twice.");
      break;
    }
    JO_RETURN_IF_ERROR(AddSimulatedRoles(*store, plan.run_id, out.simulated_roles));
    out.runs.push_back(std::move(result).value());
  }
  out.ledger = session.stack->ledger();
  return status;
}

PyOptimizeResult Execute(OptimizeJob job) {
  auto failures = std::make_shared<CallbackFailures>();
  PyOptimizeResult out;
  Status status = Status::Ok();
  RunInterruptible([&] { status = RunJob(job, out, failures); }, *failures);
  Check(status);
  return out;
}

OptimizeJob MakeJob(optim::OptimizeConfig config, const py::dict& options) {
  OptimizeJob job;
  job.config = std::move(config);
  job.setup = ReadModelSetup(options);
  if (!job.setup.budget.max_usd) job.setup.budget.max_usd = job.config.budget.max_usd;
  if (!job.setup.budget.max_calls) job.setup.budget.max_calls = job.config.budget.max_calls;
  job.force = Option<bool>(options, "force").value_or(false);
  if (auto progress = Option<py::object>(options, "progress"))
    job.progress = ShareObject(*progress);
  return job;
}

PyOptimizeResult Optimize(py::object config, const py::dict& options) {
  return Execute(MakeJob(ResolveOptimizeConfig(config, options), options));
}

PyOptimizeResult Resume(const std::string& run_id, const py::dict& options) {
  const ModelSetup setup = ReadModelSetup(options);
  optim::OptimizeConfig config = StoredRunConfig(setup.workspace, run_id);
  // The stored config decides everything but the functions of its python roles and how many
  // calls are in flight.
  py::dict model_options;
  for (const char* key : {"roles", "concurrency"}) {
    if (options.contains(key)) model_options[key] = options[key];
  }
  config.llm = ResolveLlmConfig(config.llm, model_options, llm::kAllRoles);
  return Execute(MakeJob(std::move(config), options));
}

py::object StepsTable(const PyOptimizeResult& r) {
  py::list rows;
  for (const optim::RunResult& run : r.runs) {
    for (const optim::StepSummary& s : run.steps) {
      py::dict row;
      row["run_id"] = run.plan.run_id;
      row["step"] = s.step;
      row["accepted"] = s.accepted;
      row["gate_skipped"] = s.gate_skipped;
      row["gate_incumbent"] =
          s.incumbent_score ? py::object(py::float_(*s.incumbent_score)) : py::none();
      row["gate_candidate"] =
          s.candidate_score ? py::object(py::float_(*s.candidate_score)) : py::none();
      row["test_spearman"] =
          s.test_spearman ? py::object(py::float_(*s.test_spearman)) : py::none();
      row["eval_reused"] = s.eval_reused;
      row["calls"] = s.calls;
      row["cache_hits"] = s.cache_hits;
      rows.append(std::move(row));
    }
  }
  return MakeTable(rows,
                   {{"run_id", "text"},
                    {"step", "int"},
                    {"accepted", "bool"},
                    {"gate_skipped", "bool"},
                    {"gate_incumbent", "real"},
                    {"gate_candidate", "real"},
                    {"test_spearman", "real"},
                    {"eval_reused", "bool"},
                    {"calls", "int"},
                    {"cache_hits", "int"}},
                   "steps");
}

const optim::RunResult& OnlyRun(const PyOptimizeResult& r) {
  if (r.runs.empty()) ThrowError(InternalError("the call made no run"));
  return r.runs.front();
}

}  // namespace

void RegisterOptimize(py::module_& m) {
  py::class_<PyOptimizeResult>(
      m, "OptimizeResult",
      "What optimize() or resume() did: the runs (one, or one per criterion for mode ST), the "
      "steps this call ran, the final prompts and the call ledger. The whole stored run is "
      "judgeopt.run(workspace, run_id) (or .run()). `simulated` is True when any reply came "
      "from judgeopt's simulator: its numbers are then SIMULATED.")
      .def_property_readonly(
          "run_id", [](const PyOptimizeResult& r) { return OnlyRun(r).plan.run_id; },
          "The run's id (the first run's, for mode ST).")
      .def_property_readonly(
          "run_ids",
          [](const PyOptimizeResult& r) {
            std::vector<std::string> ids;
            for (const auto& run : r.runs) ids.push_back(run.plan.run_id);
            return ids;
          },
          "Every run of the call (one per criterion for mode ST).")
      .def_property_readonly(
          "workspace", [](const PyOptimizeResult& r) { return r.workspace; },
          "The workspace holding the runs.")
      .def_property_readonly(
          "final_prompt", [](const PyOptimizeResult& r) { return OnlyRun(r).final_prompt; },
          "The run's final prompt (the first run's, for mode ST).")
      .def_property_readonly(
          "final_prompts",
          [](const PyOptimizeResult& r) {
            py::dict out;
            for (const auto& run : r.runs) out[py::str(run.plan.run_id)] = run.final_prompt;
            return out;
          },
          "Run id -> final JudgePrompt.")
      .def_property_readonly(
          "resumed_after_step",
          [](const PyOptimizeResult& r) { return OnlyRun(r).resumed_after_step; },
          "The last step stored before this call (-1: a fresh run).")
      .def_property_readonly("steps", &StepsTable,
                             "Table of the steps this call ran: run_id, step, accepted, "
                             "gate_skipped, gate_incumbent, gate_candidate, test_spearman "
                             "(average), eval_reused, calls, cache_hits.")
      .def_property_readonly(
          "simulated", [](const PyOptimizeResult& r) { return !r.simulated_roles.empty(); },
          "True when a run used judgeopt's simulator (SIMULATED), as stored.")
      .def_property_readonly(
          "simulated_roles", [](const PyOptimizeResult& r) { return r.simulated_roles; },
          "The roles that got simulated replies, over every run.")
      .def_property_readonly(
          "calls", [](const PyOptimizeResult& r) { return LedgerToPy(r.ledger); },
          "This call's ledger: 'total' and 'by_role'.")
      .def(
          "run",
          [](const PyOptimizeResult& r, py::object run_id) {
            return LoadRunObject(r.workspace, run_id.is_none() ? OnlyRun(r).plan.run_id
                                                               : py::cast<std::string>(run_id));
          },
          py::arg("run_id") = py::none(),
          "The stored run (judgeopt.Run) from the workspace: every step, not only this call's.")
      .def(
          "to_pandas", [](const PyOptimizeResult& r) { return StepsTable(r).attr("to_pandas")(); },
          "The steps table as a pandas DataFrame.")
      .def("__repr__", [](const PyOptimizeResult& r) {
        std::string ids;
        for (const auto& run : r.runs) ids += (ids.empty() ? "" : ", ") + run.plan.run_id;
        return "<judgeopt.OptimizeResult " + ids +
               (r.simulated_roles.empty() ? "" : " [SIMULATED]") + ">";
      });
  m.def("_optimize", &Optimize, py::arg("config"), py::arg("options"),
        "The engine of judgeopt.optimize (see its docstring).");
  m.def("_resume", &Resume, py::arg("run_id"), py::arg("options"),
        "The engine of judgeopt.resume (see its docstring).");
}

}  // namespace judgeopt::python
