#include "judgeopt/report/report_document.h"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <set>

#include "judgeopt/base/files.h"

namespace judgeopt::report {
namespace {

std::string Plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string Summary(const ReportModel& model) {
  std::size_t seeds = 0, unfinished = 0;
  for (const auto& c : model.configurations) {
    seeds += c.seeds.size();
    unfinished += static_cast<std::size_t>(c.unfinished_runs);
  }
  std::string s = fmt::format(
      "Built from the run store alone (no model calls): {} in {} ({}) "
      "on {}: {}.",
      Plural(model.run_ids.size(), "run", "runs"),
      Plural(model.configurations.size(), "configuration", "configurations"),
      Plural(seeds, "seed", "seeds"), Plural(model.datasets.size(), "dataset", "datasets"),
      fmt::join(model.datasets, ", "));
  if (unfinished > 0) {
    s += fmt::format(" {} not finished: their configurations show the steps stored so far.",
                     Plural(unfinished, "run is", "runs are"));
  }
  return s;
}

Section Table1Section(const ReportModel& model) {
  Section s{"sec-table1",
            "Table 1: main results",
            "One row per configuration (mode × gate); seeds are the runs of a configuration "
            "(single-task: the runs of one group, one per criterion).",
            {},
            "No configuration has a test evaluation."};
  for (auto& t : Table1Tables(model)) s.blocks.push_back(std::move(t));
  return s;
}

Section TrajectorySection(const ReportModel& model) {
  Section s{"sec-trajectories",
            "Trajectories",
            "Per configuration: the test Spearman per criterion (mean over seeds, min-max band), "
            "the criterion average with its best step, and the hypervolume on a common scale.",
            {},
            ""};
  const auto hv_range = SharedHypervolumeRange(model);
  for (const auto& c : model.configurations) {
    if (!c.steps.empty()) s.blocks.push_back(TrajectoryChart(model, c, hv_range));
    s.blocks.push_back(StepTable(model, c));
  }
  return s;
}

// Only in reports with runs that stored conflict matrices (methods with a conflict matrix).
std::optional<Section> ConflictSection(const ReportModel& model) {
  Section s{"sec-conflicts",
            "Conflicts between criteria",
            "Per configuration whose runs classified their criteria's edits pairwise (agree, "
            "independent, contradict): the share of contradicting edit pairs per pair of "
            "criteria, summed over runs and steps.",
            {},
            ""};
  for (const auto& c : model.configurations) {
    if (!c.conflicts) continue;
    s.blocks.push_back(ConflictChart(model, c));
    s.blocks.push_back(ConflictTable(model, c));
  }
  if (s.blocks.empty()) return std::nullopt;
  return s;
}

Section CherrypickSection(const ReportModel& model) {
  Section s{"sec-table2",
            "Table 2: cherry-pick (instruction interference)",
            "Each criterion's best single-task instruction judged alone and stitched together "
            "into one multi-criterion prompt.",
            {},
            "No cherry-pick result was recorded for the selected runs (`judgeopt cherrypick` "
            "makes one from single-task runs)."};
  for (auto& t : CherrypickTables(model)) s.blocks.push_back(std::move(t));
  return s;
}

Section DiagnosticSection(const ReportModel& model, const std::string& kind,
                          const std::vector<DiagnosticSummary>& summaries) {
  const bool spec = kind == experiments::kSpecificity;
  Section s{"sec-" + kind,
            DiagnosticTitle(kind),
            spec ? "How well each criterion's gradient targets that criterion (1 = generic or "
                   "about other criteria, 10 = focused with concrete fixes), scored by the "
                   "diagnostic evaluator per run, step and criterion."
                 : "How well each new instruction applies its gradient's suggestions for that "
                   "criterion (1 = ignores them, 10 = addresses every point), scored by the "
                   "diagnostic evaluator per run, step and criterion.",
            {},
            fmt::format("No {} scores were recorded for the selected runs (`judgeopt diagnose "
                        "{}` scores them).",
                        spec ? "gradient-specificity" : "feedback-adherence", kind)};
  for (const auto& summary : summaries) s.blocks.push_back(DiagnosticChart(model, summary));
  for (auto& t : DiagnosticTables(model, summaries)) s.blocks.push_back(std::move(t));
  return s;
}

Section CostSection(const ReportModel& model) {
  Section s{"sec-cost", "Cost", "What the selected runs spent, per configuration.", {}, ""};
  s.blocks.push_back(CostChart(model));
  s.blocks.push_back(CostTable(model));
  return s;
}

Section RunsSection(const ReportModel& model) {
  ReportTable t;
  t.shown.id = "runs";
  t.shown.title = "Runs per configuration";
  t.shown.caption = model.simulated ? std::string(kSimulatedLabel) + " runs." : "";
  t.shown.header = {"Configuration", "Seed", "Runs"};
  t.data.id = "runs";
  t.data.header = {"dataset", "algorithm", "mode", "gate", "simulated", "seed", "run_id"};
  for (const auto& c : model.configurations) {
    for (const auto& seed : c.seeds) {
      t.shown.rows.push_back(
          {c.label, seed.label, fmt::format("{}", fmt::join(seed.run_ids, ", "))});
      for (const auto& id : seed.run_ids) {
        t.data.rows.push_back({c.dataset, c.algorithm, c.mode, c.gate,
                               c.simulated ? "true" : "false", seed.label, id});
      }
    }
  }
  Section s{"sec-runs",
            "Runs",
            "The runs behind each configuration (`judgeopt runs show RUN_ID` lists a run's "
            "steps and its methods' decisions), then each run's cost, final test Spearman and "
            "hypervolume.",
            {},
            ""};
  s.blocks.push_back(std::move(t));
  for (auto& table : RunMetricsTables(model)) s.blocks.push_back(std::move(table));
  return s;
}

void AddCsv(std::map<std::string, std::string>& files, std::set<std::string>& seen,
            const Table& data) {
  if (data.id.empty() || data.header.empty()) return;
  const std::string path = data.id + ".csv";
  std::string text = TableCsv(data);
  if (!seen.insert(path).second) text.erase(0, text.find('\n') + 1);  // header written once
  files[path] += text;
}

}  // namespace

ReportDocument BuildDocument(const ReportModel& model) {
  ReportDocument doc;
  doc.title = "judgeopt report";
  if (model.datasets.size() == 1) doc.title += ": " + model.datasets.front();
  doc.simulated = model.simulated;
  doc.summary = Summary(model);
  doc.sections.push_back(Table1Section(model));
  doc.sections.push_back(TrajectorySection(model));
  if (auto conflicts = ConflictSection(model)) doc.sections.push_back(std::move(*conflicts));
  doc.sections.push_back(CherrypickSection(model));
  doc.sections.push_back(DiagnosticSection(model, experiments::kSpecificity, model.specificity));
  doc.sections.push_back(DiagnosticSection(model, experiments::kAdherence, model.adherence));
  doc.sections.push_back(CostSection(model));
  doc.sections.push_back(RunsSection(model));
  doc.extra_data.push_back(HypervolumeData(model));
  return doc;
}

std::string RenderMarkdown(const ReportDocument& doc) {
  std::string out = "# " + doc.title + "\n\n";
  if (doc.simulated) out += std::string("> **") + kSimulatedBanner + "**\n\n";
  out += doc.summary + "\n\n";
  for (const Section& s : doc.sections) {
    out += "## " + s.title + "\n\n";
    if (!s.intro.empty()) out += s.intro + "\n\n";
    if (s.blocks.empty()) out += "*" + s.empty_note + "*\n\n";
    for (const Block& b : s.blocks) {
      if (const auto* t = std::get_if<ReportTable>(&b)) {
        out += TableMarkdown(t->shown);
      } else {
        const Chart& c = std::get<Chart>(b);
        out += "![" + c.caption + "](charts/" + c.file + ")\n\n*" + c.caption + "*\n\n";
      }
    }
  }
  return out;
}

std::map<std::string, std::string> ReportFiles(const ReportDocument& doc) {
  std::map<std::string, std::string> files;
  files["report.md"] = RenderMarkdown(doc);
  files["report.html"] = RenderHtml(doc);
  std::set<std::string> seen;
  for (const Section& s : doc.sections) {
    for (const Block& b : s.blocks) {
      if (const auto* t = std::get_if<ReportTable>(&b)) {
        AddCsv(files, seen, t->data);
      } else {
        const Chart& c = std::get<Chart>(b);
        files["charts/" + c.file] = c.svg;
      }
    }
  }
  for (const Table& t : doc.extra_data) AddCsv(files, seen, t);
  return files;
}

Result<std::vector<std::string>> WriteReport(const ReportDocument& doc, const std::string& dir) {
  const auto files = ReportFiles(doc);
  JO_RETURN_IF_ERROR(MakeDirs((std::filesystem::path(dir) / "charts").string()));
  std::vector<std::string> written;
  for (const auto& [rel, content] : files) {
    const std::string path = (std::filesystem::path(dir) / rel).string();
    JO_RETURN_IF_ERROR(WriteFileAtomic(path, content));
    written.push_back(path);
  }
  return written;
}

}  // namespace judgeopt::report
