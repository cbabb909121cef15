#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// `judgeopt report` and the Python module's report() from start to end: the selected runs read
// from the run store, the report model and document built, the files written (no model calls).

#include <cstddef>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/report/report_source.h"
#include "judgeopt/store/run_reader.h"

namespace judgeopt::report {

/// What MakeReport wrote. Plain value.
struct ReportOutcome {
  std::size_t runs = 0;
  std::size_t configurations = 0;
  std::vector<std::string> files;  // as WriteReport returns them
  bool simulated = false;          // a run used simulated replies: the SIMULATED label
};

/// Selects runs (SelectRuns with the default rules), reads them (LoadReportInput), builds the
/// model and document and writes every file into `out_dir`. Errors name the selector, run or
/// file at fault.
Result<ReportOutcome> MakeReport(store::RunReader& reader, const RunSelection& selection,
                                 const std::string& out_dir);

}  // namespace judgeopt::report
