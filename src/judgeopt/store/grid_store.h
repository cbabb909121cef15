#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// Grid membership in the run store: which runs (by run id) make up a grid, with each run's cell
// label, in the table `grid_runs` of `<workspace>/.judgeopt/runs.db` (docs/results-schema.md,
// "Grids"). Reports select a grid's runs through it.

#include <memory>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/store/sqlite.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {

/// One run of a grid. Plain value.
struct GridMember {
  std::string run_id;
  std::string cell_label;  // e.g. "summeval/textgrad/ST:coherence/gate=mae/seed=1"
  int position = 0;        // the run's place in the grid's run order
  bool operator==(const GridMember&) const = default;
};

/// The grid_runs table of a runs database. Owns one connection; not thread-safe (the grid
/// command writes it from one thread, before its runs start). Move-only.
class GridStore {
 public:
  /// Opens (creating and migrating like the run store) a runs database and creates grid_runs
  /// when missing.
  static Result<GridStore> Open(const std::string& path);
  static Result<GridStore> OpenInWorkspace(const Workspace& workspace);

  /// Replaces the membership of `grid` by `members` in one transaction (a grid whose config
  /// changed lists the runs of its current cells only).
  Status SetMembers(const std::string& grid, const std::vector<GridMember>& members);
  /// The grid's runs in position order; empty for an unknown grid.
  Result<std::vector<GridMember>> Members(const std::string& grid);
  /// Every grid name, sorted.
  Result<std::vector<std::string>> Grids();

  const std::string& path() const { return db_.path(); }

 private:
  explicit GridStore(Db db) : db_(std::move(db)) {}
  Db db_;
};

/// The SQL that creates grid_runs when missing (run by GridStore::Open; readers that only read
/// may run it too).
const char* GridRunsSchemaSql();

}  // namespace judgeopt::store
