#include "judgeopt/experiments/cherrypick.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "judgeopt/base/sha256.h"
#include "judgeopt/base/text_table.h"
#include "judgeopt/experiments/diagnose.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_evaluation.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::experiments {
namespace {

using nlohmann::ordered_json;

// The stage label of cherry-pick's judge calls (tags "step0/cherrypick").
constexpr const char* kStage = "cherrypick";

// Evaluates prompts with the judge settings of one config, looking every evaluation up first.
class Evaluator {
 public:
  Evaluator(const data::Dataset& dataset, CherrypickDeps& deps) : dataset_(dataset), deps_(deps) {}

  Result<optim::EvaluationRecord> Evaluate(const optim::OptimizeConfig& config,
                                           const judge::JudgePrompt& prompt,
                                           const std::vector<std::string>& criteria,
                                           const std::string& split,
                                           const std::vector<std::size_t>& positions) {
    llm::PerRole<llm::LlmClient*> clients{};
    clients.fill(&deps_.judge_client);
    const judge::Judge judge(deps_.judge_client, deps_.pool, optim::JudgeSettingsFor(config));
    optim::RunContext ctx{dataset_, config, "cherrypick", criteria, clients, deps_.pool, judge};
    const std::string key = optim::EvalSettingsKey(ctx, split, positions);
    JO_ASSIGN_OR_RETURN(auto stored,
                        deps_.evaluations.FindEvaluation(prompt.Fingerprint(), split, key));
    if (stored) {
      ++reused_;
      return *stored;
    }
    JO_ASSIGN_OR_RETURN(auto preds, optim::PredictWave(ctx, prompt, positions, 0, kStage, 0));
    optim::EvaluationRecord e;
    e.split = split;
    e.prompt_fingerprint = prompt.Fingerprint();
    e.settings_key = key;
    e.metrics = optim::ComputeMetricRows(ctx, positions, preds);
    for (std::size_t i = 0; i < positions.size(); ++i) {
      e.predictions.push_back(optim::MakePredictionRecord(ctx, positions[i], preds[i]));
    }
    JO_RETURN_IF_ERROR(deps_.evaluations.SaveEvaluation(e));
    ++made_;
    return e;
  }

  int made() const { return made_; }
  int reused() const { return reused_; }

 private:
  const data::Dataset& dataset_;
  CherrypickDeps& deps_;
  int made_ = 0;
  int reused_ = 0;
};

CherrypickValues ValuesOf(const optim::EvaluationRecord& e, const std::string& criterion) {
  CherrypickValues v;
  const optim::MetricRow* m = optim::FindRow(e, criterion);
  if (m == nullptr) return v;
  v.spearman = m->spearman;
  v.off_by_one = m->off_by_one;
  v.mae = m->mae;
  v.n = m->n;
  v.missing = m->missing;
  return v;
}

constexpr NamedValue<PickMetric> kPickMetrics[] = {{PickMetric::kSpearman, "spearman"},
                                                   {PickMetric::kOffByOne, "off_by_one"},
                                                   {PickMetric::kMae, "mae"}};

// `metric` is a PickMetric name (RunCherrypick checks it first).
PickMetric PickMetricOf(const std::string& metric) {
  return FindEnum<PickMetric>(metric).value_or(PickMetric::kSpearman);
}

std::optional<double> MetricOf(const CherrypickValues& v, const std::string& metric) {
  switch (PickMetricOf(metric)) {
    case PickMetric::kSpearman:
      return v.spearman;
    case PickMetric::kOffByOne:
      return v.off_by_one;
    case PickMetric::kMae:
      return v.mae;
  }
  return v.mae;
}

// True when `a` beats `b` strictly under `metric` (a missing value never wins).
bool Better(const std::optional<double>& a, const std::optional<double>& b,
            const std::string& metric) {
  if (!a) return false;
  if (!b) return true;
  return PickMetricOf(metric) == PickMetric::kMae ? *a < *b : *a > *b;
}

std::string CriterionOfRun(const SingleTaskRun& run) {
  return run.info.criteria.size() == 1 ? run.info.criteria.front() : "";
}

Status CheckRuns(const data::Dataset& dataset, const std::vector<SingleTaskRun>& runs) {
  if (runs.empty()) return InvalidArgument("cherrypick: no single-task runs given");
  for (const SingleTaskRun& run : runs) {
    const std::string& id = run.info.run_id;
    const std::string c = CriterionOfRun(run);
    if (!run.info.mode.starts_with("ST:") || c.empty()) {
      return InvalidArgument(fmt::format(
          "cherrypick: run {} has mode {}; only single-task runs (mode ST:<criterion>) can be "
          "cherry-picked",
          id, run.info.mode));
    }
    if (run.info.dataset != dataset.name || dataset.CriterionIndex(c) < 0) {
      return InvalidArgument(fmt::format("cherrypick: run {} ({} on {}) is not a run of dataset {}",
                                         id, c, run.info.dataset, dataset.name));
    }
  }
  return Status::Ok();
}

struct Candidate {
  const SingleTaskRun* run = nullptr;
  int step = 0;
  judge::JudgePrompt prompt;
};

// The distinct incumbents of the runs of `criterion`, in run order and step order.
Result<std::vector<Candidate>> CandidatesOf(const data::Dataset& dataset,
                                            const std::vector<SingleTaskRun>& runs,
                                            const std::string& criterion) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  for (const SingleTaskRun& run : runs) {
    if (CriterionOfRun(run) != criterion) continue;
    for (const optim::StepRecord& step : run.steps) {
      const optim::PromptRecord& p = step.incumbent_after;
      if (p.fingerprint.empty() || !seen.insert(p.fingerprint).second) continue;
      JO_ASSIGN_OR_RETURN(auto prompt, StoredPrompt(p, dataset, run.info.run_id,
                                                    fmt::format("step {}", step.step)));
      out.push_back({&run, step.step, std::move(prompt)});
    }
  }
  return out;
}

// Running state of one cherry-pick.
struct Picking {
  const data::Dataset& dataset;
  const CherrypickOptions& options;
  Evaluator& evaluator;
  std::string pick_split;
  std::vector<std::size_t> pick_positions;
  std::vector<std::size_t> test_positions;
};

// Picks the criterion's instruction and evaluates it alone on test; fills `row` and returns
// the pick's instruction (nullopt when the criterion has no candidate).
Result<std::optional<std::string>> PickCriterion(Picking& p, const std::vector<SingleTaskRun>& runs,
                                                 const std::string& criterion, CherrypickRow& row) {
  JO_ASSIGN_OR_RETURN(std::vector<Candidate> candidates, CandidatesOf(p.dataset, runs, criterion));
  const Candidate* best = nullptr;
  std::optional<double> best_score;
  for (const Candidate& c : candidates) {
    JO_ASSIGN_OR_RETURN(auto eval, p.evaluator.Evaluate(c.run->config, c.prompt, {criterion},
                                                        p.pick_split, p.pick_positions));
    const std::optional<double> score = MetricOf(ValuesOf(eval, criterion), p.options.metric);
    row.candidates.push_back({c.run->info.run_id, c.step, c.prompt.Fingerprint(), score});
    if (best == nullptr || Better(score, best_score, p.options.metric)) {
      best = &c;
      best_score = score;
    }
  }
  if (best == nullptr) return std::optional<std::string>();
  row.source_run_id = best->run->info.run_id;
  row.source_step = best->step;
  row.pick_score = best_score;
  row.instruction = *best->prompt.Instruction(criterion);
  JO_ASSIGN_OR_RETURN(auto alone, p.evaluator.Evaluate(best->run->config, best->prompt, {criterion},
                                                       "test", p.test_positions));
  row.single = ValuesOf(alone, criterion);
  return std::optional<std::string>(row.instruction);
}

void AddMean(std::optional<double>& sum, int& n, const std::optional<double>& v) {
  if (!v) return;
  sum = sum.value_or(0.0) + *v;
  ++n;
}

CherrypickValues MeanOf(const std::vector<CherrypickRow>& rows,
                        CherrypickValues CherrypickRow::*field) {
  CherrypickValues out;
  int ns = 0, no = 0, nm = 0;
  for (const CherrypickRow& r : rows) {
    const CherrypickValues& v = r.*field;
    AddMean(out.spearman, ns, v.spearman);
    AddMean(out.off_by_one, no, v.off_by_one);
    AddMean(out.mae, nm, v.mae);
    out.n += v.n;
    out.missing += v.missing;
  }
  if (ns > 0) *out.spearman /= ns;
  if (no > 0) *out.off_by_one /= no;
  if (nm > 0) *out.mae /= nm;
  return out;
}

CherrypickRow AverageRow(const std::vector<CherrypickRow>& rows) {
  CherrypickRow avg;
  avg.criterion = "average";
  avg.initial = MeanOf(rows, &CherrypickRow::initial);
  avg.single = MeanOf(rows, &CherrypickRow::single);
  avg.stitched = MeanOf(rows, &CherrypickRow::stitched);
  return avg;
}

std::string ResultId(const CherrypickResult& r, const std::string& test_key) {
  return Sha256Hex(fmt::format("judgeopt.cherrypick.v1|{}|{}|{}|{}|{}|{}", r.dataset,
                               fmt::join(r.run_ids, ","), r.pick_metric, r.pick_split,
                               r.pick_samples, test_key))
      .substr(0, 16);
}

std::string GroupOf(const std::vector<SingleTaskRun>& runs) {
  for (const SingleTaskRun& run : runs) {
    if (run.info.group_id != runs.front().info.group_id) return "";
  }
  return runs.front().info.group_id;
}

std::vector<const SingleTaskRun*> InCriteriaOrder(const data::Dataset& dataset,
                                                  const std::vector<SingleTaskRun>& runs) {
  std::vector<const SingleTaskRun*> out;
  for (const SingleTaskRun& r : runs) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [&](const SingleTaskRun* a, const SingleTaskRun* b) {
    return dataset.CriterionIndex(CriterionOfRun(*a)) < dataset.CriterionIndex(CriterionOfRun(*b));
  });
  return out;
}

}  // namespace

std::span<const NamedValue<PickMetric>> NamesOf(PickMetric) { return kPickMetrics; }

bool IsPickMetric(const std::string& metric) { return FindEnum<PickMetric>(metric).has_value(); }

Result<CherrypickOutcome> RunCherrypick(const data::Dataset& dataset,
                                        const std::vector<SingleTaskRun>& runs,
                                        const CherrypickOptions& options, CherrypickDeps& deps) {
  if (!IsPickMetric(options.metric)) {
    return InvalidArgument("cherrypick: pick metric " +
                           InvalidChoiceMessage(EnumChoices<PickMetric>(), options.metric));
  }
  if (!options.oracle && options.validation_samples < 1) {
    return InvalidArgument("cherrypick: the validation sample count must be at least 1");
  }
  JO_RETURN_IF_ERROR(CheckRuns(dataset, runs));
  Evaluator evaluator(dataset, deps);
  Picking p{dataset, options, evaluator, options.oracle ? "test" : "validation", {}, {}};
  p.test_positions = dataset.splits.test;
  if (options.test_samples > 0 &&
      p.test_positions.size() > static_cast<std::size_t>(options.test_samples)) {
    p.test_positions.resize(static_cast<std::size_t>(options.test_samples));
  }
  p.pick_positions =
      options.oracle ? p.test_positions : optim::GatePositions(dataset, options.validation_samples);
  if (p.pick_positions.empty() || p.test_positions.empty()) {
    return InvalidArgument(fmt::format("cherrypick: dataset {} has no {} examples", dataset.name,
                                       p.pick_positions.empty() ? p.pick_split : "test"));
  }

  std::vector<std::string> all;
  for (const data::Criterion& c : dataset.criteria) all.push_back(c.name);
  JO_ASSIGN_OR_RETURN(judge::JudgePrompt seed, optim::SeedPromptFor(dataset, all));
  judge::JudgePrompt stitched = seed;
  CherrypickOutcome out;
  CherrypickResult& r = out.result;
  for (const std::string& c : all) {
    CherrypickRow row;
    row.criterion = c;
    row.instruction = *seed.Instruction(c);
    JO_ASSIGN_OR_RETURN(auto pick, PickCriterion(p, runs, c, row));
    if (pick) {
      JO_ASSIGN_OR_RETURN(stitched, stitched.WithInstruction(c, *pick));
    }
    r.rows.push_back(std::move(row));
  }
  const optim::OptimizeConfig& config = runs.front().config;
  JO_ASSIGN_OR_RETURN(auto initial,
                      evaluator.Evaluate(config, seed, all, "test", p.test_positions));
  JO_ASSIGN_OR_RETURN(auto joined,
                      evaluator.Evaluate(config, stitched, all, "test", p.test_positions));
  for (CherrypickRow& row : r.rows) {
    row.initial = ValuesOf(initial, row.criterion);
    row.stitched = ValuesOf(joined, row.criterion);
  }
  r.rows.push_back(AverageRow(r.rows));

  r.dataset = dataset.name;
  r.group_id = GroupOf(runs);
  for (const SingleTaskRun* run : InCriteriaOrder(dataset, runs)) {
    r.run_ids.push_back(run->info.run_id);
  }
  r.pick_metric = options.metric;
  r.pick_split = p.pick_split;
  r.pick_samples = static_cast<int>(p.pick_positions.size());
  r.simulated = deps.simulated;
  r.judge_model = config.llm.role(llm::Role::kJudge).model;
  r.initial_prompt = optim::MakePromptRecord(seed);
  r.stitched_prompt = optim::MakePromptRecord(stitched);
  r.id = ResultId(r, initial.settings_key);
  out.evaluations_made = evaluator.made();
  out.evaluations_reused = evaluator.reused();
  return out;
}

namespace {

std::string Cell(const std::optional<double>& v) { return v ? FormatFixed(*v, 3) : "-"; }

std::string Delta(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return "-";
  const double d = *a - *b;
  return (d >= 0 ? "+" : "") + FormatFixed(d, 3);
}

std::string MetricTable(const CherrypickResult& r, const std::string& metric,
                        const std::string& title) {
  std::vector<std::string> header = {"method"};
  for (const CherrypickRow& row : r.rows) header.push_back(row.criterion);
  TextTable t(header);
  auto line = [&](const std::string& name, CherrypickValues CherrypickRow::*field) {
    std::vector<std::string> cells = {name};
    for (const CherrypickRow& row : r.rows) cells.push_back(Cell(MetricOf(row.*field, metric)));
    t.AddRow(std::move(cells));
  };
  line("Initial (seed prompt)", &CherrypickRow::initial);
  line("Single-task best (alone)", &CherrypickRow::single);
  line("Cherry-pick (stitched)", &CherrypickRow::stitched);
  std::vector<std::string> delta = {"stitched - single"};
  for (const CherrypickRow& row : r.rows) {
    delta.push_back(Delta(MetricOf(row.stitched, metric), MetricOf(row.single, metric)));
  }
  t.AddRule();
  t.AddRow(std::move(delta));
  return fmt::format("{} on test{}:\n{}", title, r.simulated ? " [SIMULATED]" : "", t.Render());
}

ordered_json ValuesJson(const CherrypickValues& v) {
  auto opt = [](const std::optional<double>& x) { return x ? ordered_json(*x) : ordered_json(); };
  return {{"spearman", opt(v.spearman)},
          {"off_by_one", opt(v.off_by_one)},
          {"mae", opt(v.mae)},
          {"n", v.n},
          {"missing", v.missing}};
}

}  // namespace

std::string RenderCherrypick(const CherrypickResult& r) {
  std::string out =
      fmt::format("cherry-pick {} on {}: picked by {} on {} ({} examples){}\n", r.id, r.dataset,
                  r.pick_metric, r.pick_split, r.pick_samples,
                  r.pick_split == "test" ? " [oracle: selection on the test set]" : "");
  out += "\n" + MetricTable(r, "spearman", "Spearman") + "\n" +
         MetricTable(r, "off_by_one", "Off-by-one") + "\n" + MetricTable(r, "mae", "MAE");
  TextTable picks({"criterion", "from run", "step", "pick score", "candidates", "chars"});
  for (const CherrypickRow& row : r.rows) {
    if (row.criterion == "average") continue;
    picks.AddRow({row.criterion, row.source_run_id.empty() ? "(seed kept)" : row.source_run_id,
                  row.source_step < 0 ? "-" : std::to_string(row.source_step), Cell(row.pick_score),
                  std::to_string(row.candidates.size()), std::to_string(row.instruction.size())});
  }
  out += "\npicks:\n" + picks.Render();
  return out;
}

ordered_json CherrypickToJson(const CherrypickResult& r) {
  ordered_json rows = ordered_json::array();
  for (const CherrypickRow& row : r.rows) {
    ordered_json candidates = ordered_json::array();
    for (const CherrypickCandidate& c : row.candidates) {
      candidates.push_back({{"run_id", c.run_id},
                            {"step", c.step},
                            {"prompt_fingerprint", c.prompt_fingerprint},
                            {"score", c.score ? ordered_json(*c.score) : ordered_json()}});
    }
    rows.push_back({{"criterion", row.criterion},
                    {"source_run_id", row.source_run_id},
                    {"source_step", row.source_step},
                    {"instruction", row.instruction},
                    {"pick_score", row.pick_score ? ordered_json(*row.pick_score) : ordered_json()},
                    {"initial", ValuesJson(row.initial)},
                    {"single", ValuesJson(row.single)},
                    {"stitched", ValuesJson(row.stitched)},
                    {"candidates", std::move(candidates)}});
  }
  return {{"id", r.id},
          {"dataset", r.dataset},
          {"group_id", r.group_id},
          {"run_ids", r.run_ids},
          {"pick_metric", r.pick_metric},
          {"pick_split", r.pick_split},
          {"pick_samples", r.pick_samples},
          {"simulated", r.simulated},
          {"judge_model", r.judge_model},
          {"initial_prompt", r.initial_prompt.fingerprint},
          {"stitched_prompt", r.stitched_prompt.fingerprint},
          {"rows", std::move(rows)}};
}

}  // namespace judgeopt::experiments
