#pragma once
// The enum-like settings of the optimize config, each parsed once at the config's edge (file,
// command line) and printed back through its name table (base/enum_names.h: EnumName,
// FindEnum, ParseEnum, EnumChoices). The names in the comments are the canonical ones that
// config files, stored configs and run ids carry.

#include <span>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/judge/judge_mode.h"  // method.judge_mode is a judge::JudgeMode

namespace judgeopt::optim {

/// `protocol`: "default" (our fixes) or "paper" (the study's splits and switches).
enum class Protocol { kDefault, kPaper };

/// `optimize.algorithm`: "textgrad" or "opro".
enum class Algorithm { kTextGrad, kOpro };

/// `optimize.batch_order`: "step" (the study: permutation seed = step number) or "seeded"
/// (seed = run seed * 1000 + step).
enum class BatchOrder { kStep, kSeeded };

/// `gate.metric`: "none", "mae", "off_by_one" or "spearman".
enum class GateMetric { kNone, kMae, kOffByOne, kSpearman };

/// `gate.kind`: "mean" or "noise_aware".
enum class GateKind { kMean, kNoiseAware };

/// `eval.split`: "test" or "validation".
enum class EvalSplit { kTest, kValidation };

/// `opro.trajectory_order`: "worst_to_best" or "best_to_worst".
enum class TrajectoryOrder { kWorstToBest, kBestToWorst };

/// `method.name`: "plain", "spc", "mgda" or "router".
enum class Method { kPlain, kSpc, kMgda, kRouter };

/// `method.mgda_eval`: "batch" or "validation".
enum class MgdaEval { kBatch, kValidation };

/// `method.select`: "last", "best-mean", "max-min" or "knee".
enum class FinalSelect { kLast, kBestMean, kMaxMin, kKnee };

// The name tables (settings.cc), found by argument-dependent lookup.
std::span<const NamedValue<Protocol>> NamesOf(Protocol);
std::span<const NamedValue<Algorithm>> NamesOf(Algorithm);
std::span<const NamedValue<BatchOrder>> NamesOf(BatchOrder);
std::span<const NamedValue<GateMetric>> NamesOf(GateMetric);
std::span<const NamedValue<GateKind>> NamesOf(GateKind);
std::span<const NamedValue<EvalSplit>> NamesOf(EvalSplit);
std::span<const NamedValue<TrajectoryOrder>> NamesOf(TrajectoryOrder);
std::span<const NamedValue<Method>> NamesOf(Method);
std::span<const NamedValue<MgdaEval>> NamesOf(MgdaEval);
std::span<const NamedValue<FinalSelect>> NamesOf(FinalSelect);

}  // namespace judgeopt::optim
