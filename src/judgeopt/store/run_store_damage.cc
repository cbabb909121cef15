#include "judgeopt/store/run_store_damage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <vector>

#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/sqlite.h"

namespace judgeopt::store {
namespace {

// The runs of `reader` that still export whole, as "id (status)"; `note` says why none could be
// listed when the runs table itself cannot be read.
std::vector<std::string> ReadableRuns(RunReader& reader, std::string& note) {
  std::vector<std::string> out;
  auto listed = reader.ListRuns();
  if (!listed.ok()) {
    note = listed.error().message;
    return out;
  }
  for (const RunListing& run : *listed) {
    if (ExportRun(reader, run.info.run_id, ExportOptions{}).ok()) {
      out.push_back(fmt::format("{} ({})", run.info.run_id, run.status));
    }
  }
  return out;
}

}  // namespace

std::string WorkspaceOfStateFile(const std::string& path) {
  const std::filesystem::path root = std::filesystem::path(path).parent_path().parent_path();
  return root.empty() ? "." : root.string();
}

std::string DamagedRunsAdvice(const std::string& path) {
  std::string note;
  std::vector<std::string> runs;
  auto reader = RunReader::Open(path);
  if (reader.ok()) {
    runs = ReadableRuns(*reader, note);
  } else {
    note = reader.error().message;
  }
  const std::string ws = WorkspaceOfStateFile(path);
  std::string text = fmt::format("\nThe run store {} is damaged. ", path);
  if (runs.empty()) {
    text += "No run can be read from it" + (note.empty() ? "" : " (" + note + ")") + ".";
  } else {
    text += fmt::format("Runs still readable ({}): {}.\nExport each with `judgeopt runs export "
                        "RUN_ID --workspace {} --out DIR` (CSV, or --format jsonl).",
                        runs.size(), fmt::join(runs, ", "), ws);
  }
  text += fmt::format(
      "\nThen move the file aside (`mv {0} {0}.damaged`) and rerun: a new run store is made, and "
      "the response cache answers the calls already paid for.",
      path);
  return text;
}

Error WithRunsDamageAdvice(Error error, const std::string& path) {
  if (!IsDamagedFileError(error)) return error;
  error.message += DamagedRunsAdvice(path);
  return error;
}

Error WithCacheDamageAdvice(Error error, const std::string& path) {
  if (!IsDamagedFileError(error)) return error;
  error.message += fmt::format(
      "\nThe response cache {} is damaged. Run `judgeopt cache clear --workspace {}` to replace "
      "it with an empty one (only the saved replies are lost: those calls are paid again), or "
      "pass --no-cache.",
      path, WorkspaceOfStateFile(path));
  return error;
}

}  // namespace judgeopt::store
