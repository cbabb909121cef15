// judgeopt score: metrics for a predictions file made elsewhere.

#include <cstdio>

#include "apps/commands.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/data/records.h"
#include "judgeopt/experiments/score_file.h"

namespace judgeopt::apps {
namespace {

class ScoreCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("file", req_.path, "Predictions file (CSV with a header, or JSONL)")
        ->required();
    app.add_option("--gold", req_.gold_columns, "Gold columns, comma-separated")
        ->required()->delimiter(',');
    app.add_option("--pred", req_.pred_columns, "Predicted columns, comma-separated (same order)")
        ->required()->delimiter(',');
    app.add_option("--group", req_.group_column,
                   "Column to group by for the per-group (G-Eval style) Spearman");
    app.add_option("--format", req_.format,
                   EnumChoiceText<data::FileFormat>() +
                       " (default: by extension, .jsonl/.ndjson or .csv)")
        ->check(CLI::IsMember(EnumChoices<data::FileFormat>()));
    app.add_option("--scale-min", scale_min_, "Lowest score of the scale (for QWK)");
    app.add_option("--scale-max", scale_max_, "Highest score of the scale (for QWK)");
  }

  int Run(const GlobalOptions&) override {
    if (!std::isnan(scale_min_)) req_.scale_min = scale_min_;
    if (!std::isnan(scale_max_)) req_.scale_max = scale_max_;
    auto result = experiments::ScoreFile(req_);
    if (!result.ok()) return Fail("score", result.error().message);
    const bool grouped = !req_.group_column.empty();
    std::vector<std::string> header = {"criterion", "spearman", "kendall", "pearson", "mae",
                                       "off-by-1", "qwk", "n", "missing"};
    if (grouped) header.insert(header.begin() + 2, "spearman/group");
    TextTable table(header);
    auto row = [&](const experiments::CriterionReport& r, bool counts) {
      const auto& m = r.metrics;
      std::vector<std::string> cells = {
          r.criterion, FormatFixed(m.spearman, 3), FormatFixed(m.kendall, 3),
          FormatFixed(m.pearson, 3), FormatFixed(m.mae, 3), FormatFixed(m.off_by_one, 3),
          FormatFixed(m.qwk, 3), counts ? std::to_string(m.n) : "",
          counts ? std::to_string(m.missing) : ""};
      if (grouped) cells.insert(cells.begin() + 2, FormatFixed(r.grouped_spearman.value_or(NAN), 3));
      table.AddRow(cells);
    };
    for (const auto& p : result->pairs) row(p, true);
    table.AddRule();
    row(result->average, false);
    std::printf("%s: %zu rows\n%s", req_.path.c_str(), result->rows, table.Render().c_str());
    if (result->non_numeric > 0) {
      std::printf("%zu non-numeric cells were treated as missing\n", result->non_numeric);
    }
    return 0;
  }

 private:
  experiments::ScoreFileRequest req_;
  double scale_min_ = NAN;
  double scale_max_ = NAN;
};

}  // namespace

std::unique_ptr<Command> MakeScoreCommand() { return std::make_unique<ScoreCommand>(); }

}  // namespace judgeopt::apps
