#include "judgeopt/optim/config/method_config.h"

#include <fmt/format.h>

#include "judgeopt/config/tree_enum.h"
#include "judgeopt/optim/config/method_registry.h"

namespace judgeopt::optim {

using config::Json;
using config::TreePath;

std::string MethodLabel(const MethodConfig& m) { return MethodEntryOf(m.name).label; }

Status ParseMethodTable(const Json& t, const TreePath& at, MethodConfig& m) {
  JO_RETURN_IF_ERROR(config::CheckKeys(
      t,
      {"name", "structured_gradients", "conflict_matrix", "owned_blocks", "max_length_ratio",
       "mgda_tolerance", "mgda_eval", "router_threshold", "judge_mode", "select"},
      at));
  JO_ASSIGN_OR_RETURN(m.name, config::GetEnum(t, "name", at, m.name));
  if (MethodEntryOf(m.name).structured) {
    m.structured_gradients = true;
    m.conflict_matrix = true;
  }
  JO_ASSIGN_OR_RETURN(m.structured_gradients, config::GetBool(t, "structured_gradients", at,
                                                              m.structured_gradients));
  JO_ASSIGN_OR_RETURN(m.conflict_matrix,
                      config::GetBool(t, "conflict_matrix", at, m.conflict_matrix));
  JO_ASSIGN_OR_RETURN(m.owned_blocks, config::GetBool(t, "owned_blocks", at, m.owned_blocks));
  JO_ASSIGN_OR_RETURN(m.max_length_ratio,
                      config::GetNumber(t, "max_length_ratio", at, m.max_length_ratio));
  JO_ASSIGN_OR_RETURN(m.mgda_tolerance,
                      config::GetNumber(t, "mgda_tolerance", at, m.mgda_tolerance));
  JO_ASSIGN_OR_RETURN(m.mgda_eval, config::GetEnum(t, "mgda_eval", at, m.mgda_eval));
  JO_ASSIGN_OR_RETURN(m.router_threshold,
                      config::GetNumber(t, "router_threshold", at, m.router_threshold));
  JO_ASSIGN_OR_RETURN(m.judge_mode, config::GetEnum(t, "judge_mode", at, m.judge_mode));
  JO_ASSIGN_OR_RETURN(m.select, config::GetEnum(t, "select", at, m.select));
  return Status::Ok();
}

Status ValidateMethod(const MethodConfig& m, const std::string& mode_name, const TreePath& root) {
  const TreePath at = root.Key("method");
  if (m.max_length_ratio != 0 && m.max_length_ratio < 1) {
    return at.Key("max_length_ratio").Fail("must be 0 (no cap) or at least 1");
  }
  if (m.mgda_tolerance < 0) return at.Key("mgda_tolerance").Fail("must not be negative");
  if (m.router_threshold < 1 || m.router_threshold > 10) {
    return at.Key("router_threshold").Fail("must be between 1 and 10 (the specificity scale)");
  }
  const MethodEntry& method = MethodEntryOf(m.name);
  const char* needed = method.stages;
  if (needed != nullptr && mode_name != needed) {
    return at.Key("name").Fail(fmt::format(
        "method \"{}\" runs on mode {} (it has mode \"{}\"); leave the mode out to get it",
        EnumName(m.name), needed, mode_name));
  }
  if (method.structured && !m.structured_gradients) {
    return at.Key("structured_gradients").Fail(
        fmt::format("method \"{}\" projects structured edits", EnumName(m.name)));
  }
  if (m.conflict_matrix && !m.structured_gradients) {
    return at.Key("conflict_matrix").Fail("classifies structured edits: set structured_gradients");
  }
  if (m.structured_gradients && mode_name.size() == 3 && mode_name[1] != 'S' &&
      m.name != Method::kRouter) {
    return at.Key("structured_gradients").Fail(fmt::format(
        "needs separate (per-criterion) gradients; mode {} combines them", mode_name));
  }
  return Status::Ok();
}

Json MethodToJson(const MethodConfig& m) {
  return {{"name", EnumName(m.name)},
          {"structured_gradients", m.structured_gradients},
          {"conflict_matrix", m.conflict_matrix},
          {"owned_blocks", m.owned_blocks},
          {"max_length_ratio", m.max_length_ratio},
          {"mgda_tolerance", m.mgda_tolerance},
          {"mgda_eval", EnumName(m.mgda_eval)},
          {"router_threshold", m.router_threshold},
          {"judge_mode", EnumName(m.judge_mode)},
          {"select", EnumName(m.select)}};
}

}  // namespace judgeopt::optim
