#pragma once
// The projected cost of `judgeopt optimize` before any call: calls per role from the step table
// of docs/protocol.md (reference-protocol §13.1 with our wave structure and defaults; OPRO:
// §13.2, B + C·B judge calls and C optimizer calls per step), prompt
// tokens from rendering the actual prompts (judge prompts over the splits' examples, loss,
// gradient and optimizer prompts from the real builders over the seed prompt and placeholder
// critiques), completion tokens from typical reply sizes bounded by each role's max_tokens, and
// dollars at the configured prices. Calls come as a lower bound (every gated step rejected: the
// unchanged prompt is not evaluated again) and an upper bound (every step accepted, so every
// scheduled evaluation is paid). Both assume usable replies: judge re-asks and transport retries
// are not counted; combined optimizer retries count in the upper bound only.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/config/overrides.h"

namespace judgeopt::optim {

/// Typical reply sizes (tokens) and sampling limits of the estimate. Each reply size is capped
/// by the role's max_tokens. Plain value.
struct EstimateAssumptions {
  int judge_tokens_per_criterion = 15;  // one JSON entry per criterion
  int loss_tokens = 150;                // one critique
  int gradient_tokens = 400;            // one piece of feedback
  double optimizer_growth = 1.5;        // a rewritten instruction vs the current one
  int max_examples_per_split = 50;      // judge prompts averaged over at most this many
};

/// A lower and an upper bound. Plain value.
struct Bounds {
  int64_t min = 0;
  int64_t max = 0;
  Bounds& operator+=(const Bounds& other);
  bool operator==(const Bounds&) const = default;
};

/// Calls of one step or run, by the prompts they send (judge calls by the split their examples
/// come from). Plain value.
struct CallCounts {
  Bounds judge_train;  // the batch prediction and candidate scoring
  Bounds judge_gate;   // the gate's validation examples
  Bounds judge_eval;   // the evaluation split
  Bounds loss;
  Bounds gradient;
  Bounds optimizer;
  Bounds diagnostic;  // the router's specificity scores (router_estimate.h)

  Bounds Judge() const;
  /// The role's calls.
  Bounds ForRole(llm::Role role) const;
  CallCounts& operator+=(const CallCounts& other);
};

/// The sizes that decide a run's call counts. Plain value.
struct RunShape {
  int criteria = 0;      // T: the run's criteria (1 for each single-task run)
  int batch = 0;         // B: min(batch_size, training examples)
  int gate_samples = 0;  // V: min(gate.samples, validation examples); unused without a gate
  int eval_size = 0;     // N: examples of the evaluation split
};

/// The shape of a run over `criteria` criteria of `dataset` under `config`.
RunShape ShapeOf(const OptimizeConfig& config, const data::Dataset& dataset, int criteria);

/// Calls of step `step` (0 = the baseline, 1..steps) of a fresh run, per docs/protocol.md (the
/// TextGrad or the OPRO step table, by config.algorithm).
CallCounts StepCallCounts(const OptimizeConfig& config, const RunShape& shape, int step);

/// Calls of a whole fresh run: the baseline and every step.
CallCounts RunCallCounts(const OptimizeConfig& config, const RunShape& shape);

/// One role's projection over every run of the config. Plain value.
struct RoleEstimate {
  llm::Role role = llm::Role::kJudge;
  std::string model;        // as configured ("" for a simulator role that names none)
  bool simulated = false;   // answered by the offline simulator: free
  bool priced = false;      // the model has a price in [llm.prices]
  Bounds calls;
  Bounds prompt_tokens;
  Bounds completion_tokens;
  double usd_min = 0;
  double usd_max = 0;
};

/// The projection of one `judgeopt optimize` invocation (every ST run summed). Plain value.
struct CostEstimate {
  std::string dataset;
  std::string mode_label;  // "SSS", ..., "ST"; "OPRO" or "OPRO-ST" for algorithm opro
  GateMetric gate = GateMetric::kNone;
  int runs = 0;
  int steps = 0;
  RunShape shape;  // of the first run
  /// judge, loss, gradient, optimizer, then diagnostic when the method makes diagnostic calls.
  std::vector<RoleEstimate> roles;
  Bounds calls;
  Bounds prompt_tokens;
  Bounds completion_tokens;
  double usd_min = 0;
  double usd_max = 0;
  bool all_simulated = false;  // every role is the simulator
  bool any_unpriced = false;   // a non-simulated role has no price: its dollars count as 0
  EstimateAssumptions assumptions;
};

/// Projects the cost of running `config` on `dataset` from scratch (no cache hits, no stored
/// evaluations). Fails when a configured criterion is not in the dataset or a prompt does not
/// render.
Result<CostEstimate> EstimateRun(const OptimizeConfig& config, const data::Dataset& dataset,
                                 const EstimateAssumptions& assumptions = {});

/// True when the upper bound exceeds the budget: more dollars than max_usd or more calls than
/// max_calls.
bool ExceedsBudget(const CostEstimate& estimate, const llm::Budget& budget);

/// The projection as a text table (one row per role, then a total line) with its notes: the
/// bounds, "simulated backend: $0" for simulator roles, unpriced models.
std::string RenderEstimate(const CostEstimate& estimate);

/// "at most $X and N calls" (the upper bound) for messages.
std::string DescribeProjection(const CostEstimate& estimate);

/// "max_usd $X, max_calls N" or "no budget" for messages.
std::string DescribeBudget(const llm::Budget& budget);

/// Why a run whose projection exceeds `budget` (ExceedsBudget) does not start: the projection
/// against the budget, the estimate's table, and what to change, naming the budget settings and
/// the way to start anyway (--force, or force=True) as `spelling` spells them.
std::string OverBudgetRefusal(const CostEstimate& estimate, const llm::Budget& budget,
                              OverrideSpelling spelling);

}  // namespace judgeopt::optim
