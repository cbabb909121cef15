#pragma once
// The judge modes: how an example's criteria are split into judge calls, with the one name table
// that config files, flags, stored configs and run ids use. A leaf of the judge module (base
// only), so the optimize config can name a mode without the judge itself.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"

namespace judgeopt::judge {

/// How an example's criteria are split into judge calls.
enum class JudgeMode {
  kJoint,         // the study's: one call per example scoring every criterion of the prompt
  kPerCriterion,  // one call per (example, criterion), each seeing only its own instruction
  kSectioned,     // one call per example; each criterion's score is asked for right after its
                  // own instruction block
};

/// The name table of JudgeMode (base/enum_names.h): "joint", "per-criterion", "sectioned".
std::span<const NamedValue<JudgeMode>> NamesOf(JudgeMode);

/// "joint", "per-criterion" or "sectioned".
std::string JudgeModeName(JudgeMode mode);

/// Parses a JudgeModeName; fails naming `field` and the known names.
Result<JudgeMode> ParseJudgeMode(std::string_view name, std::string_view field);

/// Judge calls one example costs in `mode` for a prompt of `criteria` criteria, re-asks aside:
/// `criteria` for per-criterion, else 1.
std::size_t CallsPerExample(JudgeMode mode, std::size_t criteria);

}  // namespace judgeopt::judge
