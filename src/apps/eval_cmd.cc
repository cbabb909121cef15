// judgeopt eval: score a judge prompt on a split, print the per-criterion table, write files.

#include <cstdio>
#include <optional>
#include <string>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "judgeopt/base/files.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/experiments/evaluation.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/llm/call_times.h"
#include "judgeopt/llm/progress_client.h"
#include "judgeopt/metrics/bootstrap.h"
#include "judgeopt/report/eval_files.h"

namespace judgeopt::apps {
namespace {

std::vector<std::string> MetricsRow(const experiments::CriterionReport& r, bool with_counts) {
  const auto& m = r.metrics;
  return {r.criterion,
          FormatFixed(m.spearman, 3),
          FormatFixed(m.kendall, 3),
          FormatFixed(m.pearson, 3),
          FormatFixed(m.mae, 3),
          FormatFixed(m.off_by_one, 3),
          with_counts ? std::to_string(m.n) : "",
          with_counts ? std::to_string(m.missing) : ""};
}

class EvalCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    data_.Add(app);
    app.add_option("--split", split_,
                   "Split to evaluate: " + EnumChoiceText<data::SplitId>() + " (default test)")
        ->check(CLI::IsMember(EnumChoices<data::SplitId>()));
    app.add_option("--prompt", prompt_file_, "Judge prompt file (JSON or TOML); default: seed");
    app.add_option("--limit", limit_, "Evaluate only the first N examples of the split");
    app.add_option("--out", out_dir_, "Write predictions.csv, predictions.jsonl, metrics.json here");
    AddJudgeModeOption(app, judge_mode_);
    llm_.Add(app);
  }

  int Run(const GlobalOptions& global) override {
    auto dataset = data_.Load(global);
    if (!dataset.ok()) return Fail("eval", dataset.error().message);
    const data::Dataset& ds = **dataset;
    judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(ds);
    if (!prompt_file_.empty()) {
      auto loaded = judge::LoadPromptFile(prompt_file_, ds);
      if (!loaded.ok()) return Fail("eval", loaded.error().message);
      prompt = *loaded;
    }
    std::vector<std::size_t> positions = *ds.Split(split_);
    if (limit_ > 0 && positions.size() > limit_) positions.resize(limit_);
    if (positions.empty()) return Fail("eval", "split '" + split_ + "' of " + ds.name + " is empty");
    auto mode = judge::ParseJudgeMode(judge_mode_, "--judge-mode");
    if (!mode.ok()) return Fail("eval", mode.error().message);
    if (!out_dir_.empty()) {  // refused before any paid call, not after them
      Status writable = CheckWritableDir(out_dir_);
      if (!writable.ok()) return Fail("eval", "--out " + writable.error().message);
    }
    const llm::Role roles[] = {llm::Role::kJudge};
    auto session = llm_.Open(roles, *dataset);
    if (!session.ok()) return Fail("eval", session.error().message);

    WorkPool pool(session->workers);
    const llm::RoleConfig& judge_config = session->role(llm::Role::kJudge);
    const judge::JudgeSettings settings =
        experiments::EvalJudgeSettings(judge_config, llm_.seed, *mode);
    const std::size_t per_example = judge::CallsPerExample(*mode, prompt.instructions().size());
    Progress::Options popts;
    popts.label = "eval " + ds.name + "/" + split_ + " (judge calls)";
    popts.total = positions.size() * per_example;
    popts.enabled = !global.quiet;
    Progress progress(popts);
    llm::CallTimesClient timed(session->stack->For(llm::Role::kJudge));
    llm::ProgressClient counted(timed, progress);
    judge::Judge judge(counted, pool, settings);
    std::fprintf(stderr, "judgeopt eval: %s/%s, %zu examples, backend %s%s\n", ds.name.c_str(),
                 split_.c_str(), positions.size(),
                 session->BackendLabel(llm::Role::kJudge).c_str(),
                 session->SimBackend(llm::Role::kJudge) ? " (simulated)" : "");
    judge::PredictOptions predict;
    predict.tag = "eval/" + split_;
    auto result = experiments::EvaluatePrompt(judge, ds, prompt, positions, predict);
    progress.Finish();
    simulated_roles_ = session->SimulatedRoles();  // the label follows the replies used
    if (!global.quiet) {
      PrintCalls(session->stack->ledger());
      PrintCallTimes(timed.SortedMs());
    }
    if (!result.ok()) return Fail("eval", result.error().message);
    if (Status usable = experiments::CheckEvalUsable(*result); !usable.ok()) {
      return Fail("eval", usable.error().message);
    }
    Print(ds, *result);
    PrintJudgeCalls(*mode, per_example, *result);
    std::fflush(stdout);
    if (!out_dir_.empty()) {
      report::EvalProvenance prov{ds.name,
                                  split_,
                                  std::string(llm::BackendName(judge_config.backend)),
                                  settings.model,
                                  !simulated_roles_.empty(),
                                  llm_.seed,
                                  judge::PromptToJsonText(prompt),
                                  simulated_roles_};
      Status st = report::WriteEvalFiles(out_dir_, ds, *result, prov);
      if (!st.ok()) return Fail("eval", st.error().message);
      std::printf("wrote %s/{predictions.csv,predictions.jsonl,metrics.json}\n",
                  out_dir_.c_str());
    }
    return 0;
  }

 private:
  static void PrintCalls(const llm::LedgerSnapshot& ledger) {
    const llm::LedgerLine& t = ledger.total;
    std::fprintf(stderr,
                 "judgeopt eval: %lld model calls (%lld failed), %lld cache hits, %lld refused by "
                 "the budget, %lld+%lld tokens, $%.4f\n",
                 static_cast<long long>(t.calls), static_cast<long long>(t.failed),
                 static_cast<long long>(t.cache_hits), static_cast<long long>(t.refused),
                 static_cast<long long>(t.prompt_tokens),
                 static_cast<long long>(t.completion_tokens), t.usd);
  }

  // How long a judge call took its caller, retries included (what one call's retries cost it).
  static void PrintCallTimes(const std::vector<double>& sorted_ms) {
    if (sorted_ms.empty()) return;
    std::fprintf(stderr,
                 "judgeopt eval: judge call time p50 %.1f ms, p99 %.1f ms, max %.1f ms over %zu "
                 "answered calls (first attempt to reply, retries and backoff included)\n",
                 metrics::LinearQuantile(sorted_ms, 0.5), metrics::LinearQuantile(sorted_ms, 0.99),
                 sorted_ms.back(), sorted_ms.size());
  }

  // What the judge mode cost: calls made (re-asks included; cache hits count as calls here,
  // the ledger line on stderr tells them apart).
  static void PrintJudgeCalls(judge::JudgeMode mode, std::size_t per_example,
                              const experiments::EvalResult& r) {
    long long calls = 0;
    for (const auto& p : r.predictions) calls += p.attempts;
    const long long planned = static_cast<long long>(per_example * r.predictions.size());
    std::printf("judge mode %s: %lld judge calls (%zu per example x %zu examples, %lld re-asks)\n",
                std::string(judge::JudgeModeName(mode)).c_str(), calls, per_example,
                r.predictions.size(), calls - planned);
  }

  void Print(const data::Dataset& ds, const experiments::EvalResult& r) const {
    std::string title = ds.name + " / " + split_ + ": " + std::to_string(r.positions.size()) +
                        " examples";
    if (!simulated_roles_.empty()) title += " [SIMULATED]";
    std::printf("%s\n", title.c_str());
    TextTable table({"criterion", "spearman", "kendall", "pearson", "mae", "off-by-1", "n",
                     "missing"});
    for (const auto& c : r.criteria) table.AddRow(MetricsRow(c, true));
    table.AddRule();
    table.AddRow(MetricsRow(r.average, false));
    std::printf("%s", table.Render().c_str());
    if (r.failed_examples > 0) {
      std::printf("%zu examples gave no usable score (see predictions files)\n",
                  r.failed_examples);
    }
    PrintSimulatedNote(simulated_roles_);
  }

  DatasetFlags data_;
  LlmFlags llm_;
  std::string split_ = "test";
  std::string prompt_file_;
  std::string out_dir_;
  std::string judge_mode_ = "joint";
  std::size_t limit_ = 0;
  std::vector<std::string> simulated_roles_;  // roles that got simulated replies (the label)
};

}  // namespace

std::unique_ptr<Command> MakeEvalCommand() { return std::make_unique<EvalCommand>(); }

}  // namespace judgeopt::apps
