#include "judgeopt/optim/estimate/estimate.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "judgeopt/base/text_table.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/optim/engine/run_plan.h"
#include "judgeopt/optim/estimate/judge_mode_estimate.h"
#include "judgeopt/optim/estimate/mgda_estimate.h"
#include "judgeopt/optim/estimate/router_estimate.h"
#include "judgeopt/optim/estimate/spc_estimate.h"
#include "judgeopt/optim/opro/opro_prompt.h"
#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/optimizer.h"

namespace judgeopt::optim {
namespace {

constexpr std::size_t kAlwaysShownRoles = 4;  // the diagnostic row only when it has calls

Bounds Exact(int64_t n) { return {n, n}; }

// ---- call counts ------------------------------------------------------------------------------

// The first step (0..steps) whose evaluation is scheduled, or -1.
int FirstDueStep(const OptimizeConfig& config) {
  for (int s = 0; s <= config.steps; ++s) {
    if (config.eval.Due(s, config.steps)) return s;
  }
  return -1;
}

Bounds OptimizerCalls(const OptimizeConfig& config, const RunShape& shape) {
  const int64_t k = config.num_candidates;
  if (config.mode.optimizer == Strategy::kSeparate) return Exact(shape.criteria * k);
  return {k, k * (1 + config.optimizer_retries)};
}

// ---- prompt sizes -----------------------------------------------------------------------------

// Average prompt tokens per call of each kind, and the assumed reply tokens per call.
struct PromptSizes {
  double judge_train = 0, judge_gate = 0, judge_eval = 0;
  double loss = 0, gradient = 0, optimizer = 0, diagnostic = 0;
  double judge_reply = 0, loss_reply = 0, gradient_reply = 0, optimizer_reply = 0;
  double diagnostic_reply = 2;  // one integer
};

// Tokens of one user message as the ledger approximates them (bytes/4 + 4 per message).
double MessageTokens(std::string text) {
  llm::ChatRequest r;
  r.messages.push_back({"user", std::move(text)});
  return static_cast<double>(llm::ApproxPromptTokens(r));
}

double Mean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

int64_t Cap(double tokens, const OptimizeConfig& config, llm::Role role) {
  const int64_t cap = std::max(config.llm.role(role).max_tokens, 0);
  return std::min<int64_t>(static_cast<int64_t>(std::llround(tokens)), cap);
}

// At most `k` positions of `split`, evenly spaced (deterministic).
std::vector<std::size_t> SampleSplit(const std::vector<std::size_t>& split, int k) {
  const std::size_t n = split.size();
  const std::size_t m = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(k, 1)));
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < m; ++i) out.push_back(split[i * n / m]);
  return out;
}

// A placeholder text of about `tokens` tokens; `label` makes texts of different criteria and
// samples differ, so the builders' de-duplication of identical texts behaves as with real ones.
std::string Filler(int64_t tokens, const std::string& label) {
  static constexpr std::string_view kSentence =
      "The predicted value departs from the reference because the instruction leaves the "
      "decisive evidence unnamed; it should say what to check before choosing a score. ";
  std::string out = "[" + label + "] ";
  const std::size_t bytes = static_cast<std::size_t>(std::max<int64_t>(tokens, 1)) * 4;
  while (out.size() < bytes) out += kSentence;
  out.resize(bytes);
  return out;
}

// Everything the role prompts of one run are built from.
struct RunMaterial {
  const OptimizeConfig& config;
  const data::Dataset& dataset;
  const std::vector<std::string>& criteria;
  judge::JudgePrompt prompt;
  std::vector<std::size_t> train;  // sampled training positions
  int batch = 1;
  PromptSizes sizes;

  const data::Criterion& Crit(const std::string& c) const {
    return dataset.criteria[static_cast<std::size_t>(dataset.CriterionIndex(c))];
  }
  std::vector<prompts::Instruction> Instructions() const {
    std::vector<prompts::Instruction> out;
    for (const auto& c : criteria) out.push_back({c, *prompt.Instruction(c)});
    return out;
  }
};

// A training example as the judge answered it: mid-scale values in a JSON reply.
prompts::JudgedSample Judged(const RunMaterial& m, std::size_t position) {
  prompts::JudgedSample s;
  const data::Example& ex = m.dataset.examples[position];
  for (std::size_t f = 0; f < m.dataset.inputs.size(); ++f) {
    s.inputs.push_back({m.dataset.inputs[f].label, ex.inputs[f]});
  }
  nlohmann::ordered_json reply = nlohmann::ordered_json::object();
  for (const auto& c : m.criteria) {
    const data::Scale& scale = m.Crit(c).scale;
    const double mid = scale.integer ? std::round((scale.min + scale.max) / 2)
                                     : (scale.min + scale.max) / 2;
    reply[c] = mid;
    s.predictions.push_back({c, prompts::Score{mid, ""}});
  }
  s.raw_reply = reply.dump();
  return s;
}

void SizeLoss(RunMaterial& m) {
  std::vector<prompts::Outcome> outcomes;
  std::vector<double> sizes;
  for (const auto& c : m.criteria) {
    const data::Scale& scale = m.Crit(c).scale;
    outcomes.push_back({c, prompts::Score{scale.max, ""}, prompts::Score{scale.min, ""}});
    sizes.push_back(MessageTokens(prompts::LossPromptSeparate(outcomes.back())));
  }
  m.sizes.loss = m.config.mode.loss == Strategy::kSeparate
                     ? Mean(sizes)
                     : MessageTokens(prompts::LossPromptCombined(outcomes));
}

// Loss critiques of one sample as the combined gradient prompt receives them.
std::vector<prompts::CriterionText> Critiques(const RunMaterial& m, std::size_t sample) {
  const auto tokens = static_cast<int64_t>(m.sizes.loss_reply);
  std::vector<prompts::CriterionText> out;
  for (const auto& c : m.criteria) {
    const bool joint = m.config.mode.loss == Strategy::kCombined;
    out.push_back({c, Filler(tokens, fmt::format("loss {} s{}", joint ? "*" : c, sample))});
  }
  return out;
}

Status SizeGradient(RunMaterial& m) {
  const auto tokens = static_cast<int64_t>(m.sizes.loss_reply);
  std::vector<double> sizes;
  prompts::GradientOptions options;
  options.paper_mislabel_joint = !m.config.switches.label_joint_feedback;
  JO_ASSIGN_OR_RETURN(const std::string full, judge::RenderInstructions(m.prompt, m.dataset));
  for (std::size_t i = 0; i < m.train.size(); ++i) {
    const prompts::JudgedSample s = Judged(m, m.train[i]);
    if (m.config.mode.gradient == Strategy::kCombined) {
      sizes.push_back(MessageTokens(prompts::GradientPromptCombined(
          full, s, Critiques(m, i), m.Instructions(), options)));
      continue;
    }
    for (const auto& c : m.criteria) {
      JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(m.prompt, m.dataset, c));
      const auto build = m.config.method.structured_gradients ? prompts::GradientPromptStructured
                                                              : prompts::GradientPromptSeparate;
      const std::string loss = Filler(tokens, fmt::format("loss {} s{}", c, i));
      sizes.push_back(MessageTokens(build(sp, s, c, loss, *m.prompt.Instruction(c))));
    }
  }
  m.sizes.gradient = Mean(sizes);
  return Status::Ok();
}

// The gradients the optimizer sees for `criterion` in a batch of `batch` samples.
std::vector<std::string> Gradients(const RunMaterial& m, const std::string& criterion,
                                   std::size_t group) {
  const auto tokens = static_cast<int64_t>(m.sizes.gradient_reply);
  const bool joint = m.config.mode.gradient == Strategy::kCombined;
  std::vector<std::string> out;
  for (int j = 0; j < m.batch; ++j) {
    out.push_back(
        Filler(tokens, fmt::format("gradient {} g{} s{}", joint ? "*" : criterion, group, j)));
  }
  return out;
}

Status SizeOptimizer(RunMaterial& m) {
  std::vector<double> sizes;
  JO_ASSIGN_OR_RETURN(const std::string full, judge::RenderInstructions(m.prompt, m.dataset));
  prompts::OptimizerOptions options;
  options.dedupe_joint_gradients = m.config.switches.dedupe_joint_gradients;
  options.escape_variable_json = m.config.switches.escape_variable_json;
  const std::size_t n = m.train.size();
  const std::size_t b = static_cast<std::size_t>(m.batch);
  const std::size_t groups = n == 0 ? 0 : (n + b - 1) / b;
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<prompts::JudgedSample> samples;
    for (std::size_t j = 0; j < b; ++j) samples.push_back(Judged(m, m.train[(g * b + j) % n]));
    if (m.config.mode.optimizer == Strategy::kCombined) {
      std::vector<prompts::CriterionGradients> grads;
      for (const auto& c : m.criteria) grads.push_back({c, Gradients(m, c, g)});
      sizes.push_back(MessageTokens(
          prompts::OptimizerPromptCombined(m.Instructions(), full, samples, grads, options)));
      continue;
    }
    for (const auto& c : m.criteria) {
      JO_ASSIGN_OR_RETURN(const std::string sp, judge::RenderInstructions(m.prompt, m.dataset, c));
      sizes.push_back(MessageTokens(prompts::OptimizerPromptSeparate(
          c, *m.prompt.Instruction(c), sp, samples, Gradients(m, c, g))));
    }
  }
  m.sizes.optimizer = Mean(sizes);
  return Status::Ok();
}

// OPRO's meta-prompt averaged over the steps: at step s the trajectory holds the entries pushed
// before it (s current prompts and (s-1) x num_candidates candidates, at most trajectory_size),
// here the seed instructions; the step's exemplars are the real ones.
void SizeOpro(RunMaterial& m) {
  const OptimizeConfig& c = m.config;
  std::vector<double> sizes;
  std::vector<prompts::OproItem> items;
  for (const auto& ins : m.Instructions()) items.push_back({ins.criterion, ins.text, 0.5});
  for (int s = 1; s <= c.steps; ++s) {
    const int64_t pushed = s + static_cast<int64_t>(s - 1) * c.opro.num_candidates;
    const auto kept = std::min<int64_t>(pushed, c.opro.trajectory_size);
    prompts::OproTrajectory trajectory(static_cast<std::size_t>(kept), false);
    for (int64_t i = 0; i < kept; ++i) trajectory.Push({items, 0.5});
    const auto exemplars = OproExemplarPositions(m.dataset, c, s, OproBatch(m.dataset, c, s));
    sizes.push_back(MessageTokens(
        OproMetaPromptFor(m.dataset, c, m.criteria, m.prompt, trajectory, exemplars)));
  }
  m.sizes.optimizer = Mean(sizes);
  m.sizes.loss = m.sizes.gradient = 0;
}

// Reply sizes: typical lengths capped by each role's max_tokens.
void SizeReplies(RunMaterial& m, const EstimateAssumptions& a) {
  const OptimizeConfig& c = m.config;
  const double t = static_cast<double>(m.criteria.size());
  const auto judge_calls = static_cast<double>(
      JudgeCallsPerExample(c, static_cast<int>(m.criteria.size())));
  m.sizes.judge_reply = static_cast<double>(
      Cap(a.judge_tokens_per_criterion * t / judge_calls, c, llm::Role::kJudge));
  m.sizes.loss_reply = static_cast<double>(Cap(a.loss_tokens, c, llm::Role::kLoss));
  m.sizes.gradient_reply = static_cast<double>(Cap(a.gradient_tokens, c, llm::Role::kGradient));
  std::vector<double> replies;
  if (c.algorithm == Algorithm::kOpro || c.mode.optimizer == Strategy::kCombined) {
    nlohmann::ordered_json j;
    for (const auto& ins : m.Instructions()) {
      if (c.algorithm == Algorithm::kOpro) {
        j[ins.criterion] = ins.text;  // OPRO answers with the top-level object
      } else {
        j["instructions"][ins.criterion] = ins.text;
      }
    }
    const double tokens = static_cast<double>(llm::ApproxTokens(j.dump()));
    replies.push_back(static_cast<double>(Cap(a.optimizer_growth * tokens, c,
                                              llm::Role::kOptimizer)));
  } else {
    for (const auto& ins : m.Instructions()) {
      const double tokens = static_cast<double>(llm::ApproxTokens(ins.text));
      replies.push_back(static_cast<double>(Cap(a.optimizer_growth * tokens, c,
                                                llm::Role::kOptimizer)));
    }
  }
  m.sizes.optimizer_reply = Mean(replies);
}

Result<PromptSizes> SizePrompts(const OptimizeConfig& config, const data::Dataset& dataset,
                                const std::vector<std::string>& criteria, const RunShape& shape,
                                const EstimateAssumptions& a) {
  JO_ASSIGN_OR_RETURN(judge::JudgePrompt prompt, SeedPromptFor(dataset, criteria));
  RunMaterial m{config, dataset, criteria, std::move(prompt), {}, std::max(shape.batch, 1), {}};
  const int k = a.max_examples_per_split;
  m.train = SampleSplit(dataset.splits.train, k);
  JO_ASSIGN_OR_RETURN(m.sizes.judge_train,
                      MeanJudgeCallTokens(config, m.prompt, dataset, m.train));
  const std::vector<std::size_t>& val = dataset.splits.validation;
  const std::vector<std::size_t> gate(
      val.begin(), val.begin() + std::min<std::ptrdiff_t>(shape.gate_samples,
                                                          static_cast<std::ptrdiff_t>(val.size())));
  JO_ASSIGN_OR_RETURN(m.sizes.judge_gate, MeanJudgeCallTokens(config, m.prompt, dataset,
                                                             SampleSplit(gate, k)));
  const std::vector<std::size_t>* eval = dataset.Split(EnumName(config.eval.split));
  if (eval != nullptr) {
    JO_ASSIGN_OR_RETURN(m.sizes.judge_eval, MeanJudgeCallTokens(config, m.prompt, dataset,
                                                               SampleSplit(*eval, k)));
  }
  SizeReplies(m, a);
  if (config.algorithm == Algorithm::kOpro) {
    SizeOpro(m);
    return m.sizes;
  }
  SizeLoss(m);
  m.sizes.diagnostic = RouterSpecificityPromptTokens(criteria, m.batch,
                                                     static_cast<int64_t>(m.sizes.gradient_reply));
  if (config.method.conflict_matrix) {  // the conflict classifier's calls (spc_estimate.h)
    const ConflictCallSize conflict = EstimateConflictCall(m.prompt, criteria, m.batch);
    m.sizes.diagnostic = conflict.prompt_tokens;
    m.sizes.diagnostic_reply = conflict.reply_tokens;
  }
  JO_RETURN_IF_ERROR(SizeGradient(m));
  JO_RETURN_IF_ERROR(SizeOptimizer(m));
  return m.sizes;
}

// ---- totals -----------------------------------------------------------------------------------

// Token sums of one role before rounding.
struct RoleSums {
  Bounds calls;
  double prompt_min = 0, prompt_max = 0, completion_min = 0, completion_max = 0;

  void Add(const Bounds& calls_of_kind, double prompt, double reply) {
    calls += calls_of_kind;
    prompt_min += static_cast<double>(calls_of_kind.min) * prompt;
    prompt_max += static_cast<double>(calls_of_kind.max) * prompt;
    completion_min += static_cast<double>(calls_of_kind.min) * reply;
    completion_max += static_cast<double>(calls_of_kind.max) * reply;
  }
};

void AddRun(llm::PerRole<RoleSums>& sums, const CallCounts& calls, const PromptSizes& s) {
  using llm::Role;
  sums[Role::kJudge].Add(calls.judge_train, s.judge_train, s.judge_reply);
  sums[Role::kJudge].Add(calls.judge_gate, s.judge_gate, s.judge_reply);
  sums[Role::kJudge].Add(calls.judge_eval, s.judge_eval, s.judge_reply);
  sums[Role::kLoss].Add(calls.loss, s.loss, s.loss_reply);
  sums[Role::kGradient].Add(calls.gradient, s.gradient, s.gradient_reply);
  sums[Role::kOptimizer].Add(calls.optimizer, s.optimizer, s.optimizer_reply);
  sums[Role::kDiagnostic].Add(calls.diagnostic, s.diagnostic, s.diagnostic_reply);
}

int64_t Round(double v) { return static_cast<int64_t>(std::llround(v)); }

RoleEstimate MakeRoleEstimate(const OptimizeConfig& config, llm::Role role, const RoleSums& s) {
  RoleEstimate r;
  r.role = role;
  const llm::RoleConfig& rc = config.llm.role(role);
  r.model = rc.model;
  r.simulated = rc.backend == llm::Backend::kSim;
  r.priced = config.llm.PriceFor(rc.model).has_value();
  r.calls = s.calls;
  r.prompt_tokens = {Round(s.prompt_min), Round(s.prompt_max)};
  r.completion_tokens = {Round(s.completion_min), Round(s.completion_max)};
  if (!r.simulated) {
    r.usd_min = config.llm.CostUsd(r.model, {r.prompt_tokens.min, r.completion_tokens.min});
    r.usd_max = config.llm.CostUsd(r.model, {r.prompt_tokens.max, r.completion_tokens.max});
  }
  return r;
}

}  // namespace

Bounds& Bounds::operator+=(const Bounds& other) {
  min += other.min;
  max += other.max;
  return *this;
}

Bounds CallCounts::Judge() const {
  Bounds b = judge_train;
  b += judge_gate;
  b += judge_eval;
  return b;
}

Bounds CallCounts::ForRole(llm::Role role) const {
  switch (role) {
    case llm::Role::kJudge:
      return Judge();
    case llm::Role::kLoss:
      return loss;
    case llm::Role::kGradient:
      return gradient;
    case llm::Role::kOptimizer:
      return optimizer;
    case llm::Role::kDiagnostic:
      return diagnostic;
    default:
      return {};
  }
}

CallCounts& CallCounts::operator+=(const CallCounts& o) {
  judge_train += o.judge_train;
  judge_gate += o.judge_gate;
  judge_eval += o.judge_eval;
  loss += o.loss;
  gradient += o.gradient;
  optimizer += o.optimizer;
  diagnostic += o.diagnostic;
  return *this;
}

RunShape ShapeOf(const OptimizeConfig& config, const data::Dataset& dataset, int criteria) {
  RunShape s;
  s.criteria = criteria;
  s.batch = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(config.batch_size),
                                                   dataset.splits.train.size()));
  s.gate_samples = static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(config.gate.samples), dataset.splits.validation.size()));
  const std::vector<std::size_t>* eval = dataset.Split(EnumName(config.eval.split));
  s.eval_size = eval == nullptr ? 0 : static_cast<int>(eval->size());
  return s;
}

namespace {

// The step table of docs/protocol.md with the methods' adjustments, one judge call per example.
CallCounts StudyStepCallCounts(const OptimizeConfig& config, const RunShape& shape, int step) {
  CallCounts out;
  const bool gated = config.gate.metric != GateMetric::kNone;
  if (config.eval.Due(step, config.steps)) {
    const int64_t n = shape.eval_size;
    // Without a gate every step is accepted; with one, the lower bound rejects every step, so
    // only the first evaluation is paid (the unchanged prompt's later ones are reused).
    out.judge_eval = {!gated || step == FirstDueStep(config) ? n : 0, n};
  }
  if (step == 0) return out;
  const int64_t t = shape.criteria, b = shape.batch, v = shape.gate_samples;
  const int64_t k = config.num_candidates;
  out.judge_train = Exact(b + (k > 1 ? k * b : 0));
  if (gated) {
    const bool first_gate = step == 1;  // the paper's incumbent score is computed once
    out.judge_gate = Exact(config.switches.rescore_incumbent ? 2 * v : v + (first_gate ? v : 0));
  }
  if (config.algorithm == Algorithm::kOpro) {
    // The current prompt and every proposal on the batch; one optimizer call per proposal (an
    // unusable one is skipped, not asked again); no loss or gradient calls.
    const int64_t c = config.opro.num_candidates;
    out.judge_train = Exact(b + c * b);
    out.optimizer = Exact(c);
    return out;
  }
  out.loss = Exact(config.mode.loss == Strategy::kSeparate ? t * b : b);
  out.gradient = Exact(config.mode.gradient == Strategy::kSeparate ? t * b : b);
  out.optimizer = OptimizerCalls(config, shape);
  AdjustForMgdaAndNoiseGate(config, shape, step, out);
  AddRouterAndOwnedBlockCalls(config, shape, out);
  AddConflictMatrixCalls(config, shape, out);
  return out;
}

}  // namespace

CallCounts StepCallCounts(const OptimizeConfig& config, const RunShape& shape, int step) {
  CallCounts out = StudyStepCallCounts(config, shape, step);
  ScaleJudgeCallsByMode(config, shape, out);
  return out;
}

CallCounts RunCallCounts(const OptimizeConfig& config, const RunShape& shape) {
  CallCounts total;
  for (int s = 0; s <= config.steps; ++s) total += StepCallCounts(config, shape, s);
  return total;
}

Result<CostEstimate> EstimateRun(const OptimizeConfig& config, const data::Dataset& dataset,
                                 const EstimateAssumptions& assumptions) {
  JO_ASSIGN_OR_RETURN(const std::vector<RunPlan> plans, PlanRuns(config, dataset));
  CostEstimate e;
  e.dataset = dataset.name;
  e.mode_label = RunLabel(config);
  e.gate = config.gate.metric;
  e.runs = static_cast<int>(plans.size());
  e.steps = config.steps;
  e.assumptions = assumptions;
  llm::PerRole<RoleSums> sums;
  for (const RunPlan& plan : plans) {
    const RunShape shape = ShapeOf(config, dataset, static_cast<int>(plan.criteria.size()));
    if (&plan == &plans.front()) e.shape = shape;
    JO_ASSIGN_OR_RETURN(const PromptSizes sizes,
                        SizePrompts(config, dataset, plan.criteria, shape, assumptions));
    AddRun(sums, RunCallCounts(config, shape), sizes);
  }
  e.all_simulated = true;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    if (i >= kAlwaysShownRoles && sums[i].calls.max == 0) continue;
    RoleEstimate r = MakeRoleEstimate(config, llm::kAllRoles[i], sums[i]);
    e.calls += r.calls;
    e.prompt_tokens += r.prompt_tokens;
    e.completion_tokens += r.completion_tokens;
    e.usd_min += r.usd_min;
    e.usd_max += r.usd_max;
    e.all_simulated = e.all_simulated && r.simulated;
    e.any_unpriced = e.any_unpriced || (!r.simulated && !r.priced);
    e.roles.push_back(std::move(r));
  }
  return e;
}

bool ExceedsBudget(const CostEstimate& estimate, const llm::Budget& budget) {
  if (budget.max_usd && estimate.usd_max > *budget.max_usd) return true;
  return budget.max_calls && estimate.calls.max > *budget.max_calls;
}

}  // namespace judgeopt::optim

// ---- rendering --------------------------------------------------------------------------------

namespace judgeopt::optim {
namespace {

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string RangeCell(const Bounds& b) {
  return b.min == b.max ? Thousands(b.max) : Thousands(b.min) + "-" + Thousands(b.max);
}

std::string Usd(double v) { return "$" + FormatFixed(v, v < 1 ? 4 : 2); }

std::string UsdCell(double lo, double hi) { return lo == hi ? Usd(hi) : Usd(lo) + "-" + Usd(hi); }

std::string RoleUsdCell(const RoleEstimate& r) {
  if (r.simulated) return "$0 (simulated)";
  if (!r.priced) return "price unknown";
  return UsdCell(r.usd_min, r.usd_max);
}

}  // namespace

std::string RenderEstimate(const CostEstimate& e) {
  std::string out = fmt::format(
      "projection for {}, mode {}, gate {}, {} step{}, {} run{} (T={} B={} V={} N={})\n",
      e.dataset, e.mode_label, EnumName(e.gate), e.steps, e.steps == 1 ? "" : "s", e.runs,
      e.runs == 1 ? "" : "s", e.shape.criteria, e.shape.batch,
      e.gate == GateMetric::kNone ? 0 : e.shape.gate_samples, e.shape.eval_size);
  TextTable table({"role", "model", "calls", "prompt tokens", "completion tokens", "usd"});
  for (const RoleEstimate& r : e.roles) {
    table.AddRow({std::string(llm::RoleName(r.role)), r.model.empty() ? "(sim)" : r.model,
                  RangeCell(r.calls), RangeCell(r.prompt_tokens), RangeCell(r.completion_tokens),
                  RoleUsdCell(r)});
  }
  table.AddRule();
  std::string total_usd = e.all_simulated ? "$0" : UsdCell(e.usd_min, e.usd_max);
  if (e.any_unpriced) total_usd += " + price unknown";
  table.AddRow({"total", "", RangeCell(e.calls), RangeCell(e.prompt_tokens),
                RangeCell(e.completion_tokens), total_usd});
  out += table.Render();
  out += "calls: lower bound = every gated step rejected (an unchanged prompt is not evaluated\n"
         "again); upper bound = every step accepted and evaluated. Judge re-asks and transport\n"
         "retries are not counted.\n";
  out += fmt::format(
      "tokens: bytes/4 of requests built over the seed prompt (judge prompts averaged over up to\n"
      "{} examples per split); replies assumed judge {}/criterion, loss {}, gradient {},\n"
      "optimizer {}x the instruction, each capped by the role's max_tokens.\n",
      e.assumptions.max_examples_per_split, e.assumptions.judge_tokens_per_criterion,
      e.assumptions.loss_tokens, e.assumptions.gradient_tokens, e.assumptions.optimizer_growth);
  if (e.all_simulated) {
    out += "simulated backend: $0\n";
  } else {
    for (const RoleEstimate& r : e.roles) {
      if (r.simulated) out += fmt::format("{}: simulated backend: $0\n", llm::RoleName(r.role));
      if (!r.simulated && !r.priced) {
        out += fmt::format(
            "{}: model '{}' has no price: its cost is unknown (add [llm.prices.\"{}\"] with "
            "input_usd_per_mtok and output_usd_per_mtok; --max-usd refuses to run without it)\n",
            llm::RoleName(r.role), r.model, r.model);
      }
    }
  }
  return out;
}

std::string DescribeProjection(const CostEstimate& e) {
  const std::string usd = e.all_simulated ? "$0" : Usd(e.usd_max);
  return fmt::format("at most {}{} and {} calls", usd,
                     e.any_unpriced ? " plus the unknown cost of unpriced models" : "",
                     Thousands(e.calls.max));
}

std::string DescribeBudget(const llm::Budget& budget) {
  std::vector<std::string> parts;
  if (budget.max_usd) parts.push_back(fmt::format("max_usd {}", Usd(*budget.max_usd)));
  if (budget.max_calls) parts.push_back("max_calls " + Thousands(*budget.max_calls));
  return parts.empty() ? "no budget" : fmt::format("{}", fmt::join(parts, ", "));
}

std::string OverBudgetRefusal(const CostEstimate& e, const llm::Budget& budget,
                              OverrideSpelling spelling) {
  const bool flags = spelling == OverrideSpelling::kFlags;
  return fmt::format(
      "the projected cost exceeds the budget: projected {}; budget: {}\n{}Raise [budget] max_usd "
      "/ max_calls (or pass {} / {}), lower steps, gate.samples or the evaluation schedule, or {} "
      "to start anyway: the budget still stops the run when it is spent, and a rerun continues "
      "from the last stored step.",
      DescribeProjection(e), DescribeBudget(budget), RenderEstimate(e),
      SpellSetting("max_usd", spelling), SpellSetting("max_calls", spelling),
      flags ? "add --force" : "pass force=True");
}

}  // namespace judgeopt::optim
