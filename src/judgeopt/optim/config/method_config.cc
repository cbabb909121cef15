#include "judgeopt/optim/config/method_config.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace judgeopt::optim {
namespace {

using config::Json;
using config::TreePath;

Status CheckOneOf(const std::string& value, const std::vector<std::string>& allowed,
                  const TreePath& at) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return Status::Ok();
  return at.Fail(fmt::format("must be one of {}; got \"{}\"", fmt::join(allowed, ", "), value));
}

}  // namespace

std::string MethodLabel(const MethodConfig& m) {
  if (m.name == "spc") return "SPC";
  if (m.name == "mgda") return "MGDA";
  if (m.name == "router") return "ROUTER";
  return "";
}

Status ParseMethodTable(const Json& t, const TreePath& at, MethodConfig& m) {
  JO_RETURN_IF_ERROR(config::CheckKeys(
      t,
      {"name", "structured_gradients", "conflict_matrix", "owned_blocks", "max_length_ratio",
       "mgda_tolerance", "mgda_eval", "router_threshold", "judge_mode", "select"},
      at));
  JO_ASSIGN_OR_RETURN(m.name, config::GetString(t, "name", at, m.name));
  JO_RETURN_IF_ERROR(CheckOneOf(m.name, {"plain", "spc", "mgda", "router"}, at.Key("name")));
  if (m.name == "spc") {
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
  JO_ASSIGN_OR_RETURN(m.mgda_eval, config::GetString(t, "mgda_eval", at, m.mgda_eval));
  JO_ASSIGN_OR_RETURN(m.router_threshold,
                      config::GetNumber(t, "router_threshold", at, m.router_threshold));
  JO_ASSIGN_OR_RETURN(m.judge_mode, config::GetString(t, "judge_mode", at, m.judge_mode));
  JO_ASSIGN_OR_RETURN(m.select, config::GetString(t, "select", at, m.select));
  return Status::Ok();
}

Status ValidateMethod(const MethodConfig& m, const std::string& mode_name, const TreePath& root) {
  const TreePath at = root.Key("method");
  JO_RETURN_IF_ERROR(CheckOneOf(m.name, {"plain", "spc", "mgda", "router"}, at.Key("name")));
  JO_RETURN_IF_ERROR(
      CheckOneOf(m.judge_mode, {"joint", "per-criterion", "sectioned"}, at.Key("judge_mode")));
  JO_RETURN_IF_ERROR(
      CheckOneOf(m.select, {"last", "best-mean", "max-min", "knee"}, at.Key("select")));
  JO_RETURN_IF_ERROR(CheckOneOf(m.mgda_eval, {"batch", "validation"}, at.Key("mgda_eval")));
  if (m.max_length_ratio != 0 && m.max_length_ratio < 1) {
    return at.Key("max_length_ratio").Fail("must be 0 (no cap) or at least 1");
  }
  if (m.mgda_tolerance < 0) return at.Key("mgda_tolerance").Fail("must not be negative");
  if (m.router_threshold < 1 || m.router_threshold > 10) {
    return at.Key("router_threshold").Fail("must be between 1 and 10 (the specificity scale)");
  }
  const char* needed = m.name == "spc" ? "SSC" : m.name == "mgda" ? "SSS"
                       : m.name == "router"                      ? "SCC"
                                                                 : nullptr;
  if (needed != nullptr && mode_name != needed) {
    return at.Key("name").Fail(fmt::format(
        "method \"{}\" runs on mode {} (it has mode \"{}\"); leave the mode out to get it",
        m.name, needed, mode_name));
  }
  if (m.name == "spc" && !m.structured_gradients) {
    return at.Key("structured_gradients").Fail("method \"spc\" projects structured edits");
  }
  if (m.conflict_matrix && !m.structured_gradients) {
    return at.Key("conflict_matrix").Fail("classifies structured edits: set structured_gradients");
  }
  if (m.structured_gradients && mode_name.size() == 3 && mode_name[1] != 'S' &&
      m.name != "router") {
    return at.Key("structured_gradients").Fail(fmt::format(
        "needs separate (per-criterion) gradients; mode {} combines them", mode_name));
  }
  return Status::Ok();
}

Json MethodToJson(const MethodConfig& m) {
  return {{"name", m.name},
          {"structured_gradients", m.structured_gradients},
          {"conflict_matrix", m.conflict_matrix},
          {"owned_blocks", m.owned_blocks},
          {"max_length_ratio", m.max_length_ratio},
          {"mgda_tolerance", m.mgda_tolerance},
          {"mgda_eval", m.mgda_eval},
          {"router_threshold", m.router_threshold},
          {"judge_mode", m.judge_mode},
          {"select", m.select}};
}

}  // namespace judgeopt::optim
