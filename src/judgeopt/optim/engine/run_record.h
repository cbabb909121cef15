#pragma once
// What an optimization run records, and the port it records through. The loop (optim/) fills
// these plain values; store/run_store implements RunRecorder on SQLite (docs/results-schema.md).
// Every record is a pure function of the run's config and the model replies: no timestamps or
// thread-dependent order, so exports of a run compare byte for byte.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/metrics/criterion_metrics.h"

namespace judgeopt::optim {

/// One LLM call made by the run. Plain value.
struct CallRecord {
  int step = 0;                // 0 = baseline evaluation
  std::string stage;           // "predict", "loss", "gradient", "optimizer", "candidates",
                               // "gate", "eval"
  std::string role;            // llm::RoleName: "judge", "loss", ...
  std::string request_hash;    // llm::RequestKey of the request (hex)
  std::string tag;             // the request's tag, e.g. "step3/gradient/fluency/s1"
  double latency_ms = 0;       // 0 for cache hits
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t total_tokens = 0;      // llm::Usage: as the server reported, else prompt + completion
  int64_t cached_tokens = 0;     // prompt tokens served from the provider's prompt cache
  int64_t reasoning_tokens = 0;  // hidden reasoning tokens, billed as output
  double cost_usd = 0;
  int attempts = 0;            // transport attempts (retries included); 0 for cache hits
  bool cache_hit = false;
  std::string error;           // "" when the call succeeded
  std::string finish_reason;   // as the reply said ("stop", "length", ...); "" when it failed
  bool simulated = false;      // the reply came from judgeopt's simulator (llm::ChatResponse)
};

/// A judge prompt as stored: fingerprint plus its JSON (judge::PromptToJsonText). Plain value.
struct PromptRecord {
  std::string fingerprint;
  std::string json;
};

/// One example's judge verdict. Plain value.
struct PredictionRecord {
  std::size_t position = 0;  // index into dataset.examples
  std::string example_id;
  std::vector<std::optional<double>> values;  // aligned with RunInfo::criteria
  std::string raw_reply;
  std::string error;  // "" when usable
};

/// One criterion's metrics in an evaluation; criterion "average" is the unweighted mean.
/// Absent coefficients (constant inputs, too few pairs) are nullopt; qwk is not stored and
/// stays nullopt. `missing` counts examples without a usable prediction. Plain value.
struct MetricRow : metrics::OptionalMetrics {
  std::string criterion;
};

/// An evaluation of one prompt on one split. Plain value.
struct EvaluationRecord {
  std::string split;               // "test" or "validation"
  std::string prompt_fingerprint;
  /// Hash of what else decides the predictions (judge model, temperature, max_tokens, seed,
  /// repeat index, positions); an evaluation is reused only when fingerprint, split and this
  /// key all match.
  std::string settings_key;
  std::vector<MetricRow> metrics;  // dataset criteria order, then "average"
  std::vector<PredictionRecord> predictions;
  /// Step whose stored evaluation this one repeats (no calls were made), or nullopt.
  std::optional<int> reused_from_step;
};

/// One criterion's text for one sample of the batch (loss critique or gradient). A joint text
/// shared by every criterion has criterion "*". Plain value.
struct SampleText {
  std::string criterion;
  int sample = 0;  // position in the batch
  std::string text;
};

/// One optimizer call (one per criterion in separate mode, one in combined mode, times the
/// candidate count). Plain value.
struct OptimizerCallRecord {
  std::string criterion;  // "*" for a combined call
  int candidate = 0;
  std::string meta_prompt;
  std::string raw_reply;
  std::string parsed_json;  // {"criterion": "instruction", ...} as parsed; "" when unparseable
  std::string error;        // parse or call failure; "" when fine
};

/// The gate's decision. Plain value.
struct GateRecord {
  std::string metric;  // "none", "mae", "off_by_one", "spearman"
  bool skipped = true;
  bool accepted = true;
  std::optional<double> incumbent_score;
  std::optional<double> candidate_score;
  /// Candidate scores on the training batch when several candidates were generated.
  std::vector<double> candidate_batch_scores;
  int chosen_candidate = 0;
};

/// A decision one of the conflict-aware methods took in a step (docs/methods.md): the parsed
/// edits of a structured gradient, the conflict matrix, what PCGrad dropped or rewrote, MGDA's
/// candidate table and choice, the router's per-criterion routes, a length cap, the noise-aware
/// gate's bootstrap, the validation scores of the Pareto archive, the final selection. Stored in
/// step order, shown by `judgeopt runs show`. Plain value.
struct DecisionRecord {
  /// "edits", "conflict_matrix", "pcgrad", "mgda", "route", "owned_block", "length_cap",
  /// "noise_gate", "archive", "select".
  std::string kind;
  std::string criterion;     // the criterion it concerns; "" when it concerns several
  std::string summary;       // one line for people, e.g. "dropped 2 of 7 edits (contradict)"
  std::string payload_json;  // the details, as canonical JSON (deterministic key order)
  bool operator==(const DecisionRecord&) const = default;
};

/// Everything one step produced, written in one transaction. Step 0 is the baseline: only
/// `incumbent_after` and `test_eval` are set. Plain value.
struct StepRecord {
  int step = 0;
  std::vector<std::size_t> batch_positions;
  PromptRecord incumbent_before;
  PromptRecord candidate;
  PromptRecord incumbent_after;
  std::vector<PredictionRecord> batch_predictions;
  std::vector<SampleText> losses;
  std::vector<SampleText> gradients;
  std::vector<OptimizerCallRecord> optimizer_calls;
  GateRecord gate;
  /// The incumbent's gate score carried to the next step (the study's cached score); nullopt
  /// when the gate is off or rescoring.
  std::optional<double> carried_gate_score;
  std::optional<EvaluationRecord> test_eval;
  /// What the run's methods decided this step, in the order they decided it (empty for plain
  /// runs).
  std::vector<DecisionRecord> decisions;
  std::vector<CallRecord> calls;
};

/// A run's identity and settings. Plain value.
struct RunInfo {
  std::string run_id;
  std::string group_id;        // ST runs of one config share it; otherwise == run_id
  std::string config_json;     // the resolved config, as JSON text
  std::string code_version;    // judgeopt version and git revision
  std::string dataset;
  std::string mode;            // "SSS", ..., "OPRO", or "ST:<criterion>"
  std::string algorithm;       // "textgrad" or "opro"
  std::vector<std::string> criteria;  // the run's criteria, in prompt order
  int steps = 0;
  /// True when any reply the run used came from judgeopt's simulator.
  bool simulated = false;
  /// The roles (llm::RoleName, in role order) that received at least one simulated reply.
  std::vector<std::string> simulated_roles;
};

/// What a resumed run continues from. Plain value.
struct RunCheckpoint {
  int last_step = -1;  // highest committed step (0 = baseline only; -1 = nothing yet)
  PromptRecord incumbent;
  std::optional<double> carried_gate_score;
  /// The last stored test evaluation (for reuse when the prompt did not change).
  std::optional<EvaluationRecord> last_test_eval;
  /// The step whose record holds last_test_eval (-1 when there is none).
  int last_test_eval_step = -1;
  std::string status;  // "running", "finished", "failed"
};

/// How a committed step ended, as the per-step table and the progress lines say it: "baseline"
/// (step 0), "unchanged" (the optimizer proposed the prompt it was given), "rejected" by the gate,
/// "kept (no gate)" (gate none), or "accepted".
inline const char* StepDecision(const StepRecord& r) {
  if (r.step == 0) return "baseline";
  if (r.candidate.fingerprint == r.incumbent_before.fingerprint) return "unchanged";
  if (!r.gate.accepted) return "rejected";
  return r.gate.skipped ? "kept (no gate)" : "accepted";
}

/// Where runs are recorded. Implementations are thread-safe; RecordStep is atomic (a step is
/// stored whole or not at all).
class RunRecorder {
 public:
  virtual ~RunRecorder() = default;
  /// Registers a run, or checks that an existing run with this id was started under a config
  /// that decides the same results (CheckSameResults in config_compare.h; a mismatch is an error
  /// naming the run and the differing key). The first config_json recorded is kept.
  virtual Status BeginRun(const RunInfo& info) = 0;
  /// The checkpoint of a run, or nullopt when the run is unknown.
  virtual Result<std::optional<RunCheckpoint>> LoadCheckpoint(const std::string& run_id) = 0;
  /// Stores one step in one transaction; a step already stored is an error.
  virtual Status RecordStep(const std::string& run_id, const StepRecord& step) = 0;
  /// An evaluation of any run with this fingerprint, split and settings key, or nullopt.
  virtual Result<std::optional<EvaluationRecord>> FindEvaluation(
      const std::string& prompt_fingerprint, const std::string& split,
      const std::string& settings_key) = 0;
  /// Marks the run "finished" or "failed" (with a message).
  virtual Status FinishRun(const std::string& run_id, const std::string& status,
                           const std::string& message) = 0;
  /// The stored record of one step (every field RecordStep was given), or nullopt when it is not
  /// stored. Algorithms with state across steps (OPRO's trajectory) rebuild it from these on
  /// resume. The default implementation reports that the recorder cannot load steps.
  virtual Result<std::optional<StepRecord>> LoadStep(const std::string& run_id, int step);
};

inline Result<std::optional<StepRecord>> RunRecorder::LoadStep(const std::string& run_id,
                                                                int step) {
  return Error(ErrorCode::kInternal, "run " + run_id + ": this run recorder cannot load step " +
                                         std::to_string(step));
}

}  // namespace judgeopt::optim
