#pragma once
// Reading recorded runs for the analysis commands (`diagnose`, `cherrypick`): run ids, group ids
// or grid names resolved to runs, each with its stored config and steps, and the dataset they were run on.

#include <memory>
#include <string>
#include <vector>

#include "apps/command.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_record.h"
#include "judgeopt/store/analysis_store.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::apps {

/// One recorded run with its parsed config and stored steps (ascending). Plain value.
struct StoredRun {
  optim::RunInfo info;
  optim::OptimizeConfig config;
  std::vector<optim::StepRecord> steps;
};

/// When the stored run `info` used simulated replies, adds its simulated roles to `roles`
/// (optim::MergeRoleNames; "(not recorded)" for a run from a store older than the roles).
void AddRunSimulatedRoles(const optim::RunInfo& info, std::vector<std::string>& roles);

/// Each argument is a run id, or a group id standing for every run of that group (in the order
/// begun); a run named twice is read once. Unknown ids are an error naming the id and the file.
Result<std::vector<StoredRun>> LoadStoredRuns(store::RunReader& reader,
                                              const std::vector<std::string>& ids);

/// The dataset the runs were made on (name, protocol and version from the first run's config);
/// runs of different datasets are an error naming two of them.
Result<std::shared_ptr<const data::Dataset>> LoadRunsDataset(const std::vector<StoredRun>& runs,
                                                             const GlobalOptions& global);

/// What an analysis command works on. Plain value (owns the store).
struct AnalysisInputs {
  std::unique_ptr<store::AnalysisStore> analysis;  // the workspace's runs.db, migrated
  std::vector<StoredRun> runs;
  std::shared_ptr<const data::Dataset> dataset;
};

/// Opens the workspace's run store for analysis (migrating it, which readers need), reads the
/// runs `ids` name (run ids, group ids, or grid names standing for the grid's stored runs) and
/// loads their dataset. A workspace without a run store is an error saying
/// so and naming `hint` (what to run first).
Result<AnalysisInputs> OpenAnalysis(const store::Workspace& workspace,
                                    const std::vector<std::string>& ids,
                                    const GlobalOptions& global, const std::string& hint);

}  // namespace judgeopt::apps
