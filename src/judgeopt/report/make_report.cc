#include "judgeopt/report/make_report.h"

#include "judgeopt/report/report_document.h"
#include "judgeopt/report/report_model.h"

namespace judgeopt::report {

Result<ReportOutcome> MakeReport(store::RunReader& reader, const RunSelection& selection,
                                 const std::string& out_dir) {
  JO_ASSIGN_OR_RETURN(const std::vector<store::RunListing> runs, reader.ListRuns());
  const SelectorContext ctx{runs, reader.db()};
  JO_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                      SelectRuns(ctx, selection, DefaultSelectorRules()));
  JO_ASSIGN_OR_RETURN(const ReportInput input, LoadReportInput(reader, ids));
  JO_ASSIGN_OR_RETURN(const ReportModel model, BuildReportModel(input));
  const ReportDocument doc = BuildDocument(model);
  ReportOutcome outcome;
  JO_ASSIGN_OR_RETURN(outcome.files, WriteReport(doc, out_dir));
  outcome.runs = model.run_ids.size();
  outcome.configurations = model.configurations.size();
  outcome.simulated = model.simulated;
  return outcome;
}

}  // namespace judgeopt::report
