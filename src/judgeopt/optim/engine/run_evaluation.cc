#include "judgeopt/optim/engine/run_evaluation.h"

#include <fmt/format.h>

#include <unordered_map>

#include "judgeopt/base/sha256.h"
#include "judgeopt/data/splits.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/metrics/evaluate.h"
#include "judgeopt/optim/engine/batch.h"

namespace judgeopt::optim {
namespace {

MetricRow RowOf(const std::string& name, const metrics::CriterionMetrics& m) {
  MetricRow r;
  r.criterion = name;
  r.spearman = m.spearman;
  r.kendall = m.kendall;
  r.pearson = m.pearson;
  r.mae = m.mae;
  r.off_by_one = m.off_by_one;
  r.accuracy = m.accuracy;
  r.n = m.n;
  return r;
}

void AddTo(std::optional<double>& sum, const std::optional<double>& v, double k) {
  if (!v) return;
  sum = sum.value_or(0.0) + *v / k;
}

MetricRow Average(const std::vector<MetricRow>& rows) {
  MetricRow avg;
  avg.criterion = "average";
  const double k = static_cast<double>(rows.size());
  for (const MetricRow& r : rows) {
    AddTo(avg.spearman, r.spearman, k);
    AddTo(avg.kendall, r.kendall, k);
    AddTo(avg.pearson, r.pearson, k);
    AddTo(avg.mae, r.mae, k);
    AddTo(avg.off_by_one, r.off_by_one, k);
    AddTo(avg.accuracy, r.accuracy, k);
    avg.n += r.n;
    avg.missing += r.missing;
  }
  return avg;
}

// A reused evaluation's predictions put in `order` (its metrics do not depend on the order).
EvaluationRecord InOrder(EvaluationRecord e, const std::vector<std::size_t>& order) {
  if (e.predictions.size() != order.size()) return e;
  std::unordered_map<std::size_t, std::size_t> index;
  for (std::size_t i = 0; i < e.predictions.size(); ++i) index[e.predictions[i].position] = i;
  std::vector<PredictionRecord> sorted;
  sorted.reserve(order.size());
  for (std::size_t p : order) {
    auto it = index.find(p);
    if (it == index.end()) return e;
    sorted.push_back(e.predictions[it->second]);
  }
  e.predictions = std::move(sorted);
  return e;
}

}  // namespace

std::vector<std::size_t> EvaluationOrder(const RunContext& ctx,
                                         const std::vector<std::size_t>& split, int step) {
  if (ctx.config.protocol != Protocol::kPaper) return split;
  const bool fixed = ctx.config.algorithm == Algorithm::kOpro && ctx.config.opro.fixed_batch;
  return data::StudyEvaluationOrder(split, fixed ? 0 : step);
}

PromptRecord MakePromptRecord(const judge::JudgePrompt& prompt) {
  return {prompt.Fingerprint(), judge::PromptToJsonText(prompt)};
}

PredictionRecord MakePredictionRecord(const RunContext& ctx, std::size_t position,
                                      const judge::Prediction& prediction) {
  PredictionRecord r;
  r.position = position;
  r.example_id = prediction.id;
  for (const std::string& name : ctx.criteria) {
    r.values.push_back(
        prediction.Value(static_cast<std::size_t>(ctx.dataset.CriterionIndex(name))));
  }
  r.raw_reply = prediction.raw_reply;
  if (prediction.error) r.error = prediction.error->message;
  return r;
}

std::vector<MetricRow> ComputeMetricRows(const RunContext& ctx,
                                         const std::vector<std::size_t>& positions,
                                         const std::vector<judge::Prediction>& predictions) {
  std::vector<MetricRow> rows;
  for (const std::string& name : ctx.criteria) {
    const int c = ctx.dataset.CriterionIndex(name);
    const data::Criterion& crit = ctx.dataset.criteria[static_cast<std::size_t>(c)];
    std::vector<double> gold, pred;
    int64_t missing = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const auto v = predictions[i].Value(static_cast<std::size_t>(c));
      if (!v) {
        ++missing;
        continue;
      }
      gold.push_back(ctx.dataset.examples[positions[i]].gold[static_cast<std::size_t>(c)]);
      pred.push_back(*v);
    }
    MetricRow row;
    row.criterion = name;
    if (!gold.empty()) {
      auto m = metrics::EvaluatePairs(gold, pred, {crit.scale.min, crit.scale.max});
      if (m.ok()) row = RowOf(name, *m);
    }
    row.missing = missing;
    rows.push_back(std::move(row));
  }
  rows.push_back(Average(rows));
  return rows;
}

const MetricRow* FindRow(const EvaluationRecord& eval, const std::string& criterion) {
  for (const MetricRow& r : eval.metrics) {
    if (r.criterion == criterion) return &r;
  }
  return nullptr;
}

std::string EvalSettingsKey(const RunContext& ctx, const std::string& split,
                            const std::vector<std::size_t>& positions) {
  const llm::RoleConfig& j = ctx.config.llm.role(llm::Role::kJudge);
  std::string text = fmt::format(
      "judgeopt.eval.v1|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|", ctx.dataset.name, ctx.dataset.protocol,
      split, llm::BackendName(j.backend), j.model, j.temperature, j.max_tokens, ctx.config.seed,
      ctx.config.judge_reasks, fmt::join(ctx.criteria, ","));
  for (const auto& e : j.endpoints) text += e.base_url + ",";
  text += "|";
  for (std::size_t p : positions) text += std::to_string(p) + ",";
  // Joint keys stay as they were, so evaluations stored before judge modes are still reused.
  if (ctx.judge.settings().mode != judge::JudgeMode::kJoint) {
    text += fmt::format("|judge_mode={}", judge::JudgeModeName(ctx.judge.settings().mode));
  }
  return Sha256Hex(text);
}

Result<EvaluationRecord> EvaluateOnSplit(RunContext& ctx, RunRecorder& recorder, int step,
                                         const judge::JudgePrompt& prompt,
                                         const std::optional<LastEvaluation>& last) {
  const std::string split = EnumName(ctx.config.eval.split);
  const std::string key = EvalSettingsKey(ctx, split, *ctx.dataset.Split(split));
  const std::vector<std::size_t> positions = EvaluationOrder(ctx, *ctx.dataset.Split(split), step);
  const std::string& fp = prompt.Fingerprint();
  if (last && last->record.prompt_fingerprint == fp && last->record.settings_key == key &&
      last->record.split == split) {
    EvaluationRecord reused = InOrder(last->record, positions);
    reused.reused_from_step = last->step;
    return reused;
  }
  JO_ASSIGN_OR_RETURN(auto stored, recorder.FindEvaluation(fp, split, key));
  if (stored) {
    stored->reused_from_step = -1;
    return InOrder(*std::move(stored), positions);
  }
  ctx.Stage(step, "eval");
  JO_ASSIGN_OR_RETURN(auto preds, PredictWave(ctx, prompt, positions, step, "eval", 0));
  EvaluationRecord e;
  e.split = split;
  e.prompt_fingerprint = fp;
  e.settings_key = key;
  e.metrics = ComputeMetricRows(ctx, positions, preds);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    e.predictions.push_back(MakePredictionRecord(ctx, positions[i], preds[i]));
  }
  return e;
}

}  // namespace judgeopt::optim
