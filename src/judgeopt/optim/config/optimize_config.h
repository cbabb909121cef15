#pragma once
// The configuration of `judgeopt optimize`: what to optimize (dataset, criteria), how (algorithm,
// mode, steps, batch, gate, evaluation schedule), which of the study's defects to reproduce
// (protocol switches, docs/protocol.md), the LLM roles and the budget. Parsed from a TOML/JSON
// tree with unknown keys rejected; round-trips through JSON (the resolved config stored with
// each run).

#include <cstdint>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/method_config.h"
#include "judgeopt/optim/config/mode.h"
#include "judgeopt/optim/config/settings.h"

namespace judgeopt::optim {

/// Switches for the study's defects (reference-protocol §15). Defaults are our fixes;
/// `protocol = "paper"` sets the six marked (paper) to the study's behaviour. Plain value.
struct ProtocolSwitches {
  bool preserve_output_format = true;   // (paper) §15.1: new prompts keep the output-format block
  bool fallback_to_current = true;      // (paper) §15.2: a criterion the optimizer omits keeps
                                        // its current instruction (study: the seed instruction)
  bool dedupe_joint_gradients = true;   // (paper) §15.3: joint gradients shown once
  bool label_joint_feedback = true;     // (paper) §15.3: CCC's joint block is not labelled with
                                        // the first criterion's name
  bool rescore_incumbent = true;        // (paper) §15.5: the gate scores incumbent and candidate
                                        // in the same step on the same calls
  bool tolerate_parse_failures = true;  // (paper) §15.8: an unparseable judge value is skipped
                                        // in loss and gradient instead of failing the step
  bool numeric_loss_compare = true;     // §15.10: CORRECT compares numbers, not strings
  bool strip_optimizer_preamble = true;  // "Here is the improved instruction:" lines removed
  bool lenient_optimizer_json = true;    // curly quotes, key case, placeholders repaired
  bool escape_variable_json = true;      // (paper) the combined meta-prompt's VARIABLE is valid
                                         // JSON (study: instructions pasted unescaped, §4.6)

  bool operator==(const ProtocolSwitches&) const = default;
};

/// The study's switches: every (paper) item above set to the study's behaviour.
ProtocolSwitches PaperSwitches();

/// Validation gate. Plain value.
struct GateConfig {
  GateMetric metric = GateMetric::kNone;
  int samples = 100;            // validation examples (the first `samples` of the split)
  /// "mean" (accept when the mean score does not fall: the study's) or "noise_aware" (paired
  /// bootstrap over the validation examples, docs/methods.md).
  GateKind kind = GateKind::kMean;
  int bootstrap = 1000;         // noise_aware: bootstrap resamples
  double tolerance = 0.02;      // noise_aware: largest regression allowed per criterion
  double confidence = 0.9;      // noise_aware: confidence that no criterion regresses more
  bool operator==(const GateConfig&) const = default;
};

/// OPRO (reference-protocol §5; docs/protocol.md "OPRO"). Defaults are the study's values with
/// its defects fixed; `protocol = "paper"` turns the two marked (paper) off. Plain value.
struct OproConfig {
  int trajectory_size = 20;                      // k: scored instruction sets kept
  int num_candidates = 8;                        // proposals per step (one concurrent wave)
  int demonstrations = 3;                        // exemplars shown in the meta-prompt
  TrajectoryOrder trajectory_order = TrajectoryOrder::kWorstToBest;
  bool fixed_batch = true;                       // the study's use_fixed_training_batch
  bool exemplars_exclude_batch = true;           // (paper) §15.11: exemplars are not batch rows
  bool dedupe_trajectory = true;                 // (paper) §15.11: no duplicate entries
  bool operator==(const OproConfig&) const = default;
};

/// The OPRO settings a protocol starts from ("paper": the two (paper) items off).
OproConfig OproDefaults(Protocol protocol);

/// When the test split is evaluated (reference-protocol §3.3). Plain value.
struct EvalSchedule {
  int every = 1;         // evaluate at steps divisible by this
  bool initial = true;   // step 0 (the seed prompt)
  bool first = true;     // step 1
  bool last = true;      // the final step
  EvalSplit split = EvalSplit::kTest;
  /// True when step `step` (0..total) is evaluated.
  bool Due(int step, int total) const;
  bool operator==(const EvalSchedule&) const = default;
};

/// Everything `judgeopt optimize` needs. Plain value.
struct OptimizeConfig {
  std::string origin;  // the file it came from ("" = built-in defaults), for messages only

  Protocol protocol = Protocol::kDefault;  // splits and switches
  std::string dataset = "summeval";  // built-in name or spec file
  std::string data_version;          // "" = the dataset's default version

  Algorithm algorithm = Algorithm::kTextGrad;
  bool single_task = false;          // mode "ST": one run per criterion
  Mode mode;                         // SSS by default (CCC with algorithm "opro")
  std::vector<std::string> criteria;  // criteria to optimize ("" = all of the dataset's)
  int steps = 12;
  int batch_size = 3;
  int64_t seed = 0;                  // LLM sampling seed; with batch_order "seeded", batches too
  BatchOrder batch_order = BatchOrder::kStep;
  int num_candidates = 1;            // TextGrad only (OPRO: opro.num_candidates)
  int optimizer_retries = 1;         // further optimizer calls after an unusable reply
  int judge_reasks = 1;              // further judge calls after an unusable reply (paper: 0)
  GateConfig gate;
  EvalSchedule eval;
  ProtocolSwitches switches;
  OproConfig opro;                   // used with algorithm opro
  MethodConfig method;               // conflict-aware methods (TextGrad only; docs/methods.md)

  llm::LlmConfig llm;
  llm::Budget budget;

  bool operator==(const OptimizeConfig&) const = default;
};

/// Parses a config tree (the whole file). Keys: protocol, dataset, data_version, and tables
/// [optimize], [gate], [eval], [switches], [opro], [budget], [llm]. Unknown keys, wrong types and
/// invalid values fail before anything runs, naming `origin` and the key.
Result<OptimizeConfig> ParseOptimizeConfig(const config::Json& tree, const std::string& origin,
                                           const llm::EnvLookup& env = llm::ProcessEnv());

/// Loads and parses a config file.
Result<OptimizeConfig> LoadOptimizeConfig(const std::string& path,
                                          const llm::EnvLookup& env = llm::ProcessEnv());

/// Sets `mode` / `single_task` from "SSS", "SSC", "SCC", "CCC", "ST", or a method's label: "SPC"
/// (SSC stages, method "spc"), "MGDA" (SSS, "mgda"), "ROUTER" (SCC, "router"). Another mode
/// name keeps the configured method only when it names that method's stages, and otherwise
/// turns it back to "plain". `field` names the source.
Status ApplyModeName(OptimizeConfig& config, const std::string& name, const std::string& field);

/// Sets `algorithm` ("textgrad" or "opro"; `field` names the source). Switching to "opro" makes
/// a joint mode CCC: OPRO has no loss or gradient stage and proposes every criterion's
/// instruction in one combined call, so CCC (joint) and ST (one run per criterion) are its only
/// modes.
Status ApplyAlgorithmName(OptimizeConfig& config, const std::string& name,
                          const std::string& field);

/// "ST" for single-task configs, "SPC" for method "spc", else the mode's name.
std::string ModeLabel(const OptimizeConfig& config);

/// What names a run's configuration in run ids and listings: for TextGrad the method's label
/// ("SPC", "MGDA", "ROUTER") or ModeLabel, followed by "+owned", "+cap", "+<judge mode>",
/// "+nagate" and "+<select>" for those options when set; "OPRO" (joint) or "OPRO-ST" for OPRO.
std::string RunLabel(const OptimizeConfig& config);

/// Cross-field checks (also run by ParseOptimizeConfig; call again after command-line
/// overrides). Messages name the key.
Status ValidateOptimizeConfig(const OptimizeConfig& config);

/// The resolved config as a tree ParseOptimizeConfig accepts (no secrets: key variable names
/// only).
config::Json OptimizeConfigToJson(const OptimizeConfig& config);

/// The parts of the config that decide a run's results (not budget, concurrency, timeouts or
/// retries), as canonical JSON text: the run id is derived from it, so rerunning the same
/// command continues the same run.
std::string ResultKeyText(const OptimizeConfig& config);

}  // namespace judgeopt::optim
