#include "apps/stored_runs.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "judgeopt/config/tree.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/optim/engine/call_log.h"
#include "judgeopt/store/grid_store.h"

namespace judgeopt::apps {
namespace {

Result<StoredRun> LoadOne(store::RunReader& reader, const store::RunListing& listing) {
  StoredRun run;
  run.info = listing.info;
  const std::string origin = "run " + run.info.run_id + " stored config";
  JO_ASSIGN_OR_RETURN(config::Json tree, config::ParseJson(run.info.config_json, origin));
  JO_ASSIGN_OR_RETURN(run.config, optim::ParseOptimizeConfig(tree, origin));
  JO_ASSIGN_OR_RETURN(store::RunDetail detail, reader.LoadRun(run.info.run_id));
  for (const store::StepSummary& s : detail.steps) {
    JO_ASSIGN_OR_RETURN(optim::StepRecord step, reader.LoadStep(run.info.run_id, s.step));
    run.steps.push_back(std::move(step));
  }
  return run;
}

// `ids` with each grid name replaced by the grid's stored runs, in grid order (runs of the grid
// not begun yet are left out; a grid none of whose runs is stored is an error).
Result<std::vector<std::string>> ExpandGridNames(const store::Workspace& workspace,
                                                 store::RunReader& reader,
                                                 const std::vector<std::string>& ids) {
  JO_ASSIGN_OR_RETURN(store::GridStore grids, store::GridStore::OpenInWorkspace(workspace));
  JO_ASSIGN_OR_RETURN(std::vector<store::RunListing> all, reader.ListRuns());
  std::set<std::string> stored;
  for (const store::RunListing& r : all) stored.insert(r.info.run_id);
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    JO_ASSIGN_OR_RETURN(std::vector<store::GridMember> members, grids.Members(id));
    if (members.empty()) {
      out.push_back(id);
      continue;
    }
    const std::size_t before = out.size();
    for (const store::GridMember& m : members) {
      if (stored.count(m.run_id) > 0) out.push_back(m.run_id);
    }
    if (out.size() == before) {
      return NotFound(fmt::format("grid {}: none of its {} runs is stored in {} yet; run `judgeopt "
                                  "grid` first",
                                  id, members.size(), reader.path()));
    }
  }
  return out;
}

}  // namespace

void AddRunSimulatedRoles(const optim::RunInfo& info, std::vector<std::string>& roles) {
  if (!info.simulated) return;
  roles = optim::MergeRoleNames(roles, info.simulated_roles);
  if (info.simulated_roles.empty()) roles = optim::MergeRoleNames(roles, {"(not recorded)"});
}

Result<std::vector<StoredRun>> LoadStoredRuns(store::RunReader& reader,
                                              const std::vector<std::string>& ids) {
  JO_ASSIGN_OR_RETURN(std::vector<store::RunListing> all, reader.ListRuns());
  std::vector<const store::RunListing*> chosen;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    bool found = false;
    for (const store::RunListing& r : all) {
      if (r.info.run_id != id && r.info.group_id != id) continue;
      found = true;
      if (seen.insert(r.info.run_id).second) chosen.push_back(&r);
    }
    if (!found) return store::UnknownRunError(id, reader.path());
  }
  std::vector<StoredRun> out;
  for (const store::RunListing* r : chosen) {
    JO_ASSIGN_OR_RETURN(StoredRun run, LoadOne(reader, *r));
    out.push_back(std::move(run));
  }
  return out;
}

Result<std::shared_ptr<const data::Dataset>> LoadRunsDataset(const std::vector<StoredRun>& runs,
                                                             const GlobalOptions& global) {
  if (runs.empty()) return InvalidArgument("no runs given");
  const StoredRun& first = runs.front();
  for (const StoredRun& r : runs) {
    if (r.info.dataset != first.info.dataset || r.config.protocol != first.config.protocol) {
      return InvalidArgument(
          fmt::format("runs {} ({}, protocol {}) and {} ({}, protocol {}) are "
                      "on different datasets; analyse them separately",
                      first.info.run_id, first.info.dataset, EnumName(first.config.protocol),
                      r.info.run_id, r.info.dataset, EnumName(r.config.protocol)));
    }
  }
  data::LoadOptions options;
  options.protocol = EnumName(first.config.protocol);
  options.version = first.config.data_version;
  auto locator = data::DataLocator::FromProcess(global.data_dir);
  JO_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(first.config.dataset, locator, options));
  return std::make_shared<const data::Dataset>(std::move(ds));
}

Result<AnalysisInputs> OpenAnalysis(const store::Workspace& workspace,
                                    const std::vector<std::string>& ids,
                                    const GlobalOptions& global, const std::string& hint) {
  if (!std::filesystem::exists(workspace.RunsPath())) {
    return NotFound("no run store at " + workspace.RunsPath().string() + "; run `" + hint +
                    "` first");
  }
  AnalysisInputs in;
  // Open for writing first: it migrates an older file, which the reader needs.
  JO_ASSIGN_OR_RETURN(in.analysis, store::AnalysisStore::OpenInWorkspace(workspace));
  JO_ASSIGN_OR_RETURN(store::RunReader reader, store::RunReader::OpenInWorkspace(workspace));
  JO_ASSIGN_OR_RETURN(const std::vector<std::string> run_ids,
                      ExpandGridNames(workspace, reader, ids));
  JO_ASSIGN_OR_RETURN(in.runs, LoadStoredRuns(reader, run_ids));
  JO_ASSIGN_OR_RETURN(in.dataset, LoadRunsDataset(in.runs, global));
  return in;
}

}  // namespace judgeopt::apps
