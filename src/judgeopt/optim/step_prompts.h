#pragma once
// The prompts a stored step sent, rebuilt from its record (`judgeopt prompt --run ID --step K`):
// the judge's prompt for each batch example, the loss and gradient prompts (planned again from
// the stored predictions and loss texts by the same planners the loop uses, so they are the
// texts that were sent), and the optimizer meta-prompts as stored. Makes no LLM call.

#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/types.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// The stage a step's request belongs to, in the order the stages run.
enum class StepStage { kPredict, kLoss, kGradient, kRoute, kConflicts, kOptimizer };

/// The name table of StepStage (base/enum_names.h): "predict", "loss", "gradient", "route",
/// "conflicts", "optimizer". StepPrompt::stage holds one; `prompt --stage` lists and checks them.
std::span<const NamedValue<StepStage>> NamesOf(StepStage);

/// One request of a step. Plain value.
struct StepPrompt {
  std::string stage;      // EnumName of its StepStage
  std::string tag;        // the request's tag, e.g. "step3/gradient/fluency/s1"
  llm::Role role = llm::Role::kJudge;
  std::string criterion;  // "*" for a text shared by every criterion; "a,b" for a conflict pair
  int sample = -1;        // batch position; -1 for calls about no one sample

  /// Whether the request concerns `c` (its own, a shared "*" text, or a pair naming it).
  bool Concerns(const std::string& c) const;
  std::vector<llm::ChatMessage> messages;
};

/// Every request of step `record.step` (>= 1) of a run over `criteria`, in the order the stages
/// ran: for method "router" the specificity calls ("route") and the routed separate gradient
/// calls after the joint gradients; with structured gradients and a conflict matrix (or method
/// "spc") the classifier calls ("conflicts") before the optimizer. MGDA's and the gate's scoring
/// calls are judge prompts of stored prompts and are not listed. `config` is the run's resolved config (RunInfo::config_json). Fails when the record does
/// not fit the dataset (an example or criterion it names is missing) or is the baseline.
Result<std::vector<StepPrompt>> RebuildStepPrompts(const data::Dataset& dataset,
                                                   const OptimizeConfig& config,
                                                   const std::vector<std::string>& criteria,
                                                   const std::string& run_id,
                                                   const StepRecord& record);

}  // namespace judgeopt::optim
