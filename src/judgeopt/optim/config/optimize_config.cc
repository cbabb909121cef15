#include "judgeopt/optim/config/optimize_config.h"

#include <cctype>

#include <fmt/format.h>

#include "judgeopt/config/tree_enum.h"
#include "judgeopt/optim/config/method_registry.h"

namespace judgeopt::optim {
namespace {

using config::Json;
using config::TreePath;

const Json& Table(const Json& tree, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = tree.find(key);
  return it == tree.end() ? kEmpty : *it;
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

Result<int> GetIntIn(const Json& obj, const std::string& key, const TreePath& at, int fallback,
                     int min_value) {
  JO_ASSIGN_OR_RETURN(long long v, config::GetInt(obj, key, at, fallback));
  if (v < min_value || v > 1000000) {
    return at.Key(key).Fail(fmt::format("must be between {} and 1000000, got {}", min_value, v));
  }
  return static_cast<int>(v);
}

// In one file, a mode that is neither the [method]'s label nor its stages is a contradiction
// (on the command line, --mode replaces the method instead: ApplyModeName).
Status CheckModeFitsMethod(const MethodConfig& m, const std::string& mode, const TreePath& at) {
  const MethodEntry& method = MethodEntryOf(m.name);
  if (method.stages == nullptr) return Status::Ok();
  const std::string upper = Upper(mode);
  if (upper == method.label || upper == method.stages) return Status::Ok();
  return at.Fail(fmt::format("\"{}\" contradicts method.name = \"{}\", which runs on mode {} "
                             "(leave the mode out, or set it to \"{}\")",
                             mode, EnumName(m.name), method.stages, method.label));
}

Status ParseOptimizeTable(const Json& t, const TreePath& at, OptimizeConfig& c) {
  JO_RETURN_IF_ERROR(config::CheckKeys(
      t,
      {"algorithm", "mode", "criteria", "steps", "batch_size", "seed", "batch_order",
       "num_candidates", "optimizer_retries", "judge_reasks"},
      at));
  JO_ASSIGN_OR_RETURN(c.algorithm, config::GetEnum(t, "algorithm", at, c.algorithm));
  // OPRO's one joint mode is CCC (a single combined proposer); TextGrad's default is SSS.
  // A method without a mode gets the stages it runs on (ValidateMethod lists them).
  const bool opro = c.algorithm == Algorithm::kOpro;
  if (t.contains("mode") || opro) {
    const std::string default_mode = opro ? "CCC" : c.mode.Name();
    JO_ASSIGN_OR_RETURN(std::string mode, config::GetString(t, "mode", at, default_mode));
    JO_RETURN_IF_ERROR(CheckModeFitsMethod(c.method, mode, at.Key("mode")));
    JO_RETURN_IF_ERROR(ApplyModeName(c, mode, at.Key("mode").Describe()));
  } else if (c.method.name != Method::kPlain) {
    JO_RETURN_IF_ERROR(ApplyModeName(c, MethodLabel(c.method), at.Key("mode").Describe()));
  }
  if (t.contains("criteria")) {
    JO_ASSIGN_OR_RETURN(c.criteria, config::GetStringList(t, "criteria", at));
  }
  JO_ASSIGN_OR_RETURN(c.steps, GetIntIn(t, "steps", at, c.steps, 0));
  JO_ASSIGN_OR_RETURN(c.batch_size, GetIntIn(t, "batch_size", at, c.batch_size, 1));
  JO_ASSIGN_OR_RETURN(long long seed, config::GetInt(t, "seed", at, c.seed));
  c.seed = seed;
  JO_ASSIGN_OR_RETURN(c.batch_order, config::GetEnum(t, "batch_order", at, c.batch_order));
  JO_ASSIGN_OR_RETURN(c.num_candidates, GetIntIn(t, "num_candidates", at, c.num_candidates, 1));
  JO_ASSIGN_OR_RETURN(c.optimizer_retries,
                      GetIntIn(t, "optimizer_retries", at, c.optimizer_retries, 0));
  JO_ASSIGN_OR_RETURN(c.judge_reasks, GetIntIn(t, "judge_reasks", at, c.judge_reasks, 0));
  return Status::Ok();
}

Status ParseGateTable(const Json& t, const TreePath& at, GateConfig& g) {
  JO_RETURN_IF_ERROR(config::CheckKeys(
      t, {"metric", "samples", "kind", "bootstrap", "tolerance", "confidence"}, at));
  JO_ASSIGN_OR_RETURN(g.metric, config::GetEnum(t, "metric", at, g.metric));
  JO_ASSIGN_OR_RETURN(g.samples, GetIntIn(t, "samples", at, g.samples, 1));
  JO_ASSIGN_OR_RETURN(g.kind, config::GetEnum(t, "kind", at, g.kind));
  JO_ASSIGN_OR_RETURN(g.bootstrap, GetIntIn(t, "bootstrap", at, g.bootstrap, 1));
  JO_ASSIGN_OR_RETURN(g.tolerance, config::GetNumber(t, "tolerance", at, g.tolerance));
  JO_ASSIGN_OR_RETURN(g.confidence, config::GetNumber(t, "confidence", at, g.confidence));
  return Status::Ok();
}

Status ParseEvalTable(const Json& t, const TreePath& at, EvalSchedule& e) {
  JO_RETURN_IF_ERROR(config::CheckKeys(t, {"every", "initial", "first", "last", "split"}, at));
  JO_ASSIGN_OR_RETURN(e.every, GetIntIn(t, "every", at, e.every, 1));
  JO_ASSIGN_OR_RETURN(e.initial, config::GetBool(t, "initial", at, e.initial));
  JO_ASSIGN_OR_RETURN(e.first, config::GetBool(t, "first", at, e.first));
  JO_ASSIGN_OR_RETURN(e.last, config::GetBool(t, "last", at, e.last));
  JO_ASSIGN_OR_RETURN(e.split, config::GetEnum(t, "split", at, e.split));
  return Status::Ok();
}

Status ParseOproTable(const Json& t, const TreePath& at, OproConfig& o) {
  JO_RETURN_IF_ERROR(config::CheckKeys(
      t,
      {"trajectory_size", "num_candidates", "demonstrations", "trajectory_order", "fixed_batch",
       "exemplars_exclude_batch", "dedupe_trajectory"},
      at));
  JO_ASSIGN_OR_RETURN(o.trajectory_size, GetIntIn(t, "trajectory_size", at, o.trajectory_size, 1));
  JO_ASSIGN_OR_RETURN(o.num_candidates, GetIntIn(t, "num_candidates", at, o.num_candidates, 1));
  JO_ASSIGN_OR_RETURN(o.demonstrations, GetIntIn(t, "demonstrations", at, o.demonstrations, 0));
  JO_ASSIGN_OR_RETURN(o.trajectory_order,
                      config::GetEnum(t, "trajectory_order", at, o.trajectory_order));
  JO_ASSIGN_OR_RETURN(o.fixed_batch, config::GetBool(t, "fixed_batch", at, o.fixed_batch));
  JO_ASSIGN_OR_RETURN(o.exemplars_exclude_batch, config::GetBool(t, "exemplars_exclude_batch", at,
                                                                 o.exemplars_exclude_batch));
  JO_ASSIGN_OR_RETURN(o.dedupe_trajectory,
                      config::GetBool(t, "dedupe_trajectory", at, o.dedupe_trajectory));
  return Status::Ok();
}

Status ValidateOpro(const OptimizeConfig& c, const TreePath& root) {
  if (!c.single_task && c.mode.Name() != "CCC") {
    return root.Key("optimize").Key("mode").Fail(fmt::format(
        "\"{}\" does not apply to algorithm \"opro\": OPRO has no loss or gradient stage and "
        "proposes every criterion's instruction in one combined call; use \"CCC\" (its default) "
        "or \"ST\" (one OPRO run per criterion)",
        c.mode.Name()));
  }
  if (c.opro.trajectory_size < 1) {
    return root.Key("opro").Key("trajectory_size").Fail("must be at least 1");
  }
  if (c.opro.num_candidates < 1) {
    return root.Key("opro").Key("num_candidates").Fail("must be at least 1");
  }
  if (c.opro.demonstrations < 0) {
    return root.Key("opro").Key("demonstrations").Fail("must not be negative");
  }
  return Status::Ok();
}

struct SwitchField {
  const char* key;
  bool ProtocolSwitches::*member;
};

constexpr SwitchField kSwitchFields[] = {
    {"preserve_output_format", &ProtocolSwitches::preserve_output_format},
    {"fallback_to_current", &ProtocolSwitches::fallback_to_current},
    {"dedupe_joint_gradients", &ProtocolSwitches::dedupe_joint_gradients},
    {"label_joint_feedback", &ProtocolSwitches::label_joint_feedback},
    {"rescore_incumbent", &ProtocolSwitches::rescore_incumbent},
    {"tolerate_parse_failures", &ProtocolSwitches::tolerate_parse_failures},
    {"numeric_loss_compare", &ProtocolSwitches::numeric_loss_compare},
    {"strip_optimizer_preamble", &ProtocolSwitches::strip_optimizer_preamble},
    {"lenient_optimizer_json", &ProtocolSwitches::lenient_optimizer_json},
    {"escape_variable_json", &ProtocolSwitches::escape_variable_json},
};

Status ParseSwitchesTable(const Json& t, const TreePath& at, ProtocolSwitches& s) {
  std::vector<std::string> keys;
  for (const auto& f : kSwitchFields) keys.emplace_back(f.key);
  JO_RETURN_IF_ERROR(config::CheckKeys(t, keys, at));
  for (const auto& f : kSwitchFields) {
    JO_ASSIGN_OR_RETURN(s.*f.member, config::GetBool(t, f.key, at, s.*f.member));
  }
  return Status::Ok();
}

Status ParseBudgetTable(const Json& t, const TreePath& at, llm::Budget& b) {
  JO_RETURN_IF_ERROR(config::CheckKeys(t, {"max_usd", "max_calls"}, at));
  if (t.contains("max_usd")) {
    JO_ASSIGN_OR_RETURN(double usd, config::GetNumber(t, "max_usd", at, 0));
    if (usd < 0) return at.Key("max_usd").Fail("must not be negative");
    b.max_usd = usd;
  }
  if (t.contains("max_calls")) {
    JO_ASSIGN_OR_RETURN(long long calls, config::GetInt(t, "max_calls", at, 0));
    if (calls < 0) return at.Key("max_calls").Fail("must not be negative");
    b.max_calls = calls;
  }
  return Status::Ok();
}

}  // namespace

Status ApplyModeName(OptimizeConfig& c, const std::string& name, const std::string& field) {
  const std::string upper = Upper(name);
  if (const MethodEntry* method = MethodWithLabel(upper)) {
    c.single_task = false;
    JO_ASSIGN_OR_RETURN(c.mode, ParseMode(method->stages, field));
    c.method.name = method->method;
    if (method->structured) {
      c.method.structured_gradients = true;
      c.method.conflict_matrix = true;
    }
    return Status::Ok();
  }
  // Another mode keeps a method only when it names that method's own stages.
  const MethodEntry& current = MethodEntryOf(c.method.name);
  if (current.stages != nullptr && upper != current.stages) {
    if (current.structured) c.method.structured_gradients = c.method.conflict_matrix = false;
    c.method.name = Method::kPlain;
  }
  if (upper == "ST") {
    c.single_task = true;
    c.mode = Mode{Strategy::kCombined, Strategy::kCombined, Strategy::kCombined};
    return Status::Ok();
  }
  JO_ASSIGN_OR_RETURN(c.mode, ParseMode(name, field));
  c.single_task = false;
  return Status::Ok();
}

Status ApplyAlgorithmName(OptimizeConfig& c, const std::string& name, const std::string& field) {
  JO_ASSIGN_OR_RETURN(const Algorithm algorithm, ParseEnum<Algorithm>(name, field));
  if (algorithm == Algorithm::kOpro && c.algorithm != Algorithm::kOpro && !c.single_task) {
    c.mode = Mode{Strategy::kCombined, Strategy::kCombined, Strategy::kCombined};
  }
  c.algorithm = algorithm;
  return Status::Ok();
}

std::string ModeLabel(const OptimizeConfig& c) {
  if (c.single_task) return "ST";
  const MethodEntry& method = MethodEntryOf(c.method.name);
  return method.label_is_mode ? method.label : c.mode.Name();
}

std::string RunLabel(const OptimizeConfig& c) {
  if (c.algorithm == Algorithm::kOpro) return c.single_task ? "OPRO-ST" : "OPRO";
  const std::string method = MethodLabel(c.method);
  std::string label = method.empty() ? ModeLabel(c) : method;
  if (c.method.owned_blocks) label += "+owned";
  if (c.method.max_length_ratio > 0) label += "+cap";
  if (c.method.judge_mode != judge::JudgeMode::kJoint) {
    label.append("+").append(EnumName(c.method.judge_mode));
  }
  if (c.gate.kind == GateKind::kNoiseAware) label += "+nagate";
  if (c.method.select != FinalSelect::kLast) label.append("+").append(EnumName(c.method.select));
  return label;
}

OproConfig OproDefaults(Protocol protocol) {
  OproConfig o;
  if (protocol == Protocol::kPaper) {
    o.exemplars_exclude_batch = false;
    o.dedupe_trajectory = false;
  }
  return o;
}

ProtocolSwitches PaperSwitches() {
  ProtocolSwitches s;
  s.preserve_output_format = false;
  s.fallback_to_current = false;
  s.dedupe_joint_gradients = false;
  s.label_joint_feedback = false;
  s.rescore_incumbent = false;
  s.tolerate_parse_failures = false;
  s.escape_variable_json = false;
  return s;
}

bool EvalSchedule::Due(int step, int total) const {
  if (step == 0) return initial;
  if (step == 1 && first) return true;
  if (step == total && last) return true;
  return step % every == 0;
}

Result<OptimizeConfig> ParseOptimizeConfig(const Json& tree, const std::string& origin,
                                           const llm::EnvLookup& env) {
  const TreePath root(origin);
  JO_RETURN_IF_ERROR(config::CheckKeys(tree,
                                       {"protocol", "dataset", "data_version", "optimize", "gate",
                                        "eval", "switches", "opro", "method", "budget", "llm"},
                                       root));
  OptimizeConfig c;
  c.origin = origin;
  JO_ASSIGN_OR_RETURN(c.protocol, config::GetEnum(tree, "protocol", root, c.protocol));
  if (c.protocol == Protocol::kPaper) {
    c.switches = PaperSwitches();
    c.judge_reasks = 0;
  }
  c.opro = OproDefaults(c.protocol);
  JO_ASSIGN_OR_RETURN(c.dataset, config::GetString(tree, "dataset", root, c.dataset));
  JO_ASSIGN_OR_RETURN(c.data_version, config::GetString(tree, "data_version", root, ""));
  JO_RETURN_IF_ERROR(ParseMethodTable(Table(tree, "method"), root.Key("method"), c.method));
  JO_RETURN_IF_ERROR(ParseOptimizeTable(Table(tree, "optimize"), root.Key("optimize"), c));
  JO_RETURN_IF_ERROR(ParseGateTable(Table(tree, "gate"), root.Key("gate"), c.gate));
  JO_RETURN_IF_ERROR(ParseEvalTable(Table(tree, "eval"), root.Key("eval"), c.eval));
  JO_RETURN_IF_ERROR(
      ParseSwitchesTable(Table(tree, "switches"), root.Key("switches"), c.switches));
  JO_RETURN_IF_ERROR(ParseOproTable(Table(tree, "opro"), root.Key("opro"), c.opro));
  JO_RETURN_IF_ERROR(ParseBudgetTable(Table(tree, "budget"), root.Key("budget"), c.budget));
  if (tree.contains("llm")) {
    JO_ASSIGN_OR_RETURN(c.llm, llm::ParseLlmConfig(tree["llm"], origin, env));
  } else {
    c.llm = llm::DefaultLlmConfig(env);
  }
  JO_RETURN_IF_ERROR(ValidateOptimizeConfig(c));
  return c;
}

Result<OptimizeConfig> LoadOptimizeConfig(const std::string& path, const llm::EnvLookup& env) {
  JO_ASSIGN_OR_RETURN(Json tree, config::LoadTreeFile(path));
  return ParseOptimizeConfig(tree, path, env);
}

Status ValidateOptimizeConfig(const OptimizeConfig& c) {
  const TreePath root(c.origin.empty() ? std::string("config") : c.origin);
  if (c.algorithm == Algorithm::kOpro) JO_RETURN_IF_ERROR(ValidateOpro(c, root));
  const bool ungated = c.gate.metric == GateMetric::kNone;
  if (c.gate.kind == GateKind::kNoiseAware && ungated) {
    return root.Key("gate").Key("kind").Fail("\"noise_aware\" needs a gate metric (gate.metric)");
  }
  if (c.gate.confidence <= 0 || c.gate.confidence >= 1) {
    return root.Key("gate").Key("confidence").Fail("must be between 0 and 1 (exclusive)");
  }
  if (c.gate.tolerance < 0) return root.Key("gate").Key("tolerance").Fail("must not be negative");
  if (c.method.name != Method::kPlain && c.single_task) {
    return root.Key("method").Key("name").Fail(
        "a single-task run has one criterion: there is no conflict to resolve");
  }
  JO_RETURN_IF_ERROR(ValidateMethod(c.method, c.single_task ? "ST" : c.mode.Name(), root));
  if (c.method != MethodConfig{} && c.algorithm != Algorithm::kTextGrad) {
    return root.Key("method").Fail("the conflict-aware methods apply to algorithm \"textgrad\"");
  }
  if (c.method.select != FinalSelect::kLast && ungated) {
    return root.Key("method").Key("select").Fail(
        "choosing from the Pareto archive needs validation scores: set gate.metric");
  }
  if (c.steps < 0) return root.Key("optimize").Key("steps").Fail("must not be negative");
  if (c.batch_size < 1) return root.Key("optimize").Key("batch_size").Fail("must be at least 1");
  return Status::Ok();
}

Json OptimizeConfigToJson(const OptimizeConfig& c) {
  Json j = Json::object();
  j["protocol"] = EnumName(c.protocol);
  j["dataset"] = c.dataset;
  j["data_version"] = c.data_version;
  j["optimize"] = {{"algorithm", EnumName(c.algorithm)},
                   {"mode", ModeLabel(c)},
                   {"criteria", c.criteria},
                   {"steps", c.steps},
                   {"batch_size", c.batch_size},
                   {"seed", c.seed},
                   {"batch_order", EnumName(c.batch_order)},
                   {"num_candidates", c.num_candidates},
                   {"optimizer_retries", c.optimizer_retries},
                   {"judge_reasks", c.judge_reasks}};
  j["gate"] = {{"metric", EnumName(c.gate.metric)}, {"samples", c.gate.samples}};
  // The noise-aware settings only when used, so existing configs keep their run ids.
  if (c.gate != GateConfig{.metric = c.gate.metric, .samples = c.gate.samples}) {
    j["gate"]["kind"] = EnumName(c.gate.kind);
    j["gate"]["bootstrap"] = c.gate.bootstrap;
    j["gate"]["tolerance"] = c.gate.tolerance;
    j["gate"]["confidence"] = c.gate.confidence;
  }
  j["eval"] = {{"every", c.eval.every}, {"initial", c.eval.initial}, {"first", c.eval.first},
               {"last", c.eval.last},   {"split", EnumName(c.eval.split)}};
  Json sw = Json::object();
  for (const auto& f : kSwitchFields) sw[f.key] = c.switches.*f.member;
  j["switches"] = std::move(sw);
  // Only when it matters, so TextGrad configs (and their run ids) are what they were before OPRO.
  if (c.algorithm == Algorithm::kOpro || c.opro != OproDefaults(c.protocol)) {
    j["opro"] = {{"trajectory_size", c.opro.trajectory_size},
                 {"num_candidates", c.opro.num_candidates},
                 {"demonstrations", c.opro.demonstrations},
                 {"trajectory_order", EnumName(c.opro.trajectory_order)},
                 {"fixed_batch", c.opro.fixed_batch},
                 {"exemplars_exclude_batch", c.opro.exemplars_exclude_batch},
                 {"dedupe_trajectory", c.opro.dedupe_trajectory}};
  }
  if (c.method != MethodConfig{}) j["method"] = MethodToJson(c.method);
  Json budget = Json::object();
  if (c.budget.max_usd) budget["max_usd"] = *c.budget.max_usd;
  if (c.budget.max_calls) budget["max_calls"] = *c.budget.max_calls;
  j["budget"] = std::move(budget);
  j["llm"] = llm::LlmConfigToJson(c.llm);
  return j;
}

std::string ResultKeyText(const OptimizeConfig& c) {
  Json j = OptimizeConfigToJson(c);
  j.erase("budget");
  Json roles = Json::object();
  for (llm::Role r : llm::kAllRoles) {
    const llm::RoleConfig& rc = c.llm.role(r);
    roles[std::string(llm::RoleName(r))] = {
        {"backend", std::string(llm::BackendName(rc.backend))},
        {"model", rc.model},
        {"temperature", rc.temperature},
        {"max_tokens", rc.max_tokens},
        {"extra_body", rc.extra_body_json}};
    Json urls = Json::array();
    if (rc.backend == llm::Backend::kOpenAi) {
      for (const auto& e : rc.endpoints) urls.push_back(e.base_url);
    }
    roles[std::string(llm::RoleName(r))]["base_urls"] = std::move(urls);
  }
  j["llm"] = std::move(roles);
  return j.dump();
}

}  // namespace judgeopt::optim
