#include "judgeopt/judge/judge_mode.h"

namespace judgeopt::judge {
namespace {

constexpr NamedValue<JudgeMode> kJudgeModes[] = {{JudgeMode::kJoint, "joint"},
                                                 {JudgeMode::kPerCriterion, "per-criterion"},
                                                 {JudgeMode::kSectioned, "sectioned"}};

}  // namespace

std::span<const NamedValue<JudgeMode>> NamesOf(JudgeMode) { return kJudgeModes; }

std::string JudgeModeName(JudgeMode mode) { return EnumName(mode); }

Result<JudgeMode> ParseJudgeMode(std::string_view name, std::string_view field) {
  return ParseEnum<JudgeMode>(name, field);
}

std::size_t CallsPerExample(JudgeMode mode, std::size_t criteria) {
  return mode == JudgeMode::kPerCriterion ? criteria : 1;
}

}  // namespace judgeopt::judge
