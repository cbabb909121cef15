#include "judgeopt/store/grid_store.h"

#include "judgeopt/store/run_store.h"

namespace judgeopt::store {

const char* GridRunsSchemaSql() {
  return "CREATE TABLE IF NOT EXISTS grid_runs ("
         " grid TEXT NOT NULL,"
         " run_id TEXT NOT NULL,"
         " cell_label TEXT NOT NULL,"
         " position INTEGER NOT NULL,"
         " PRIMARY KEY (grid, run_id));"
         "CREATE INDEX IF NOT EXISTS grid_runs_by_run ON grid_runs (run_id);";
}

Result<GridStore> GridStore::Open(const std::string& path) {
  JO_ASSIGN_OR_RETURN(Db db, OpenRunsDb(path));
  JO_RETURN_IF_ERROR(db.Exec(GridRunsSchemaSql()));
  return GridStore(std::move(db));
}

Result<GridStore> GridStore::OpenInWorkspace(const Workspace& workspace) {
  JO_RETURN_IF_ERROR(workspace.EnsureStateDir());
  return Open(workspace.RunsPath().string());
}

Status GridStore::SetMembers(const std::string& grid, const std::vector<GridMember>& members) {
  JO_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  JO_ASSIGN_OR_RETURN(Statement del, db_.Prepare("DELETE FROM grid_runs WHERE grid = ?"));
  JO_RETURN_IF_ERROR(del.Bind(1, grid));
  JO_RETURN_IF_ERROR(del.Run());
  JO_ASSIGN_OR_RETURN(Statement put, db_.Prepare("INSERT INTO grid_runs VALUES (?, ?, ?, ?)"));
  for (const GridMember& m : members) {
    put.Reset();
    JO_RETURN_IF_ERROR(put.Bind(1, grid));
    JO_RETURN_IF_ERROR(put.Bind(2, m.run_id));
    JO_RETURN_IF_ERROR(put.Bind(3, m.cell_label));
    JO_RETURN_IF_ERROR(put.Bind(4, m.position));
    JO_RETURN_IF_ERROR(put.Run());
  }
  return tx.Commit();
}

Result<std::vector<GridMember>> GridStore::Members(const std::string& grid) {
  JO_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT run_id, cell_label, position FROM "
                                                "grid_runs WHERE grid = ? ORDER BY position"));
  JO_RETURN_IF_ERROR(st.Bind(1, grid));
  std::vector<GridMember> out;
  for (;;) {
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnText(0), st.ColumnText(1), static_cast<int>(st.ColumnInt64(2))});
  }
  return out;
}

Result<std::vector<std::string>> GridStore::Grids() {
  JO_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("SELECT DISTINCT grid FROM grid_runs ORDER BY grid"));
  std::vector<std::string> out;
  for (;;) {
    JO_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.ColumnText(0));
  }
  return out;
}

}  // namespace judgeopt::store
