#include "judgeopt/optim/config/overrides.h"

#include "judgeopt/base/enum_names.h"
#include "judgeopt/judge/judge_mode.h"

namespace judgeopt::optim {

std::string SpellSetting(std::string_view key, OverrideSpelling spelling) {
  if (spelling == OverrideSpelling::kKeywords) return std::string(key);
  std::string flag = "--";
  for (char c : key) flag += c == '_' ? '-' : c;
  return flag;
}

Status ApplyOptimizeOverrides(OptimizeConfig& c, const OptimizeOverrides& o,
                              OverrideSpelling spelling) {
  auto name = [spelling](std::string_view key) { return SpellSetting(key, spelling); };
  if (o.dataset) c.dataset = *o.dataset;
  if (o.algorithm) {
    JO_RETURN_IF_ERROR(ApplyAlgorithmName(c, *o.algorithm, name("algorithm")));
  }
  if (o.mode) {
    JO_RETURN_IF_ERROR(ApplyModeName(c, *o.mode, name("mode")));
  }
  if (o.gate) {
    JO_ASSIGN_OR_RETURN(c.gate.metric, ParseEnum<GateMetric>(*o.gate, name("gate")));
  }
  if (o.steps) c.steps = *o.steps;
  if (o.batch_size) c.batch_size = *o.batch_size;
  if (o.judge_mode) {
    JO_ASSIGN_OR_RETURN(c.method.judge_mode,
                        ParseEnum<judge::JudgeMode>(*o.judge_mode, name("judge_mode")));
  }
  if (o.seed) c.seed = *o.seed;
  return ValidateOptimizeConfig(c);
}

}  // namespace judgeopt::optim
