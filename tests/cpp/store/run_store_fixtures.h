#pragma once
// Test helpers for the run store: runs and steps with every field set to a distinct value, and a
// field-by-field text dump of records so that round trips compare whole records.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::store::testing {

inline optim::RunInfo MakeRunInfo(const std::string& id, const std::string& config = "{\"a\":1}") {
  optim::RunInfo info;
  info.run_id = id;
  info.group_id = "group-" + id;
  info.config_json = config;
  info.code_version = "0.1.0 (abc123)";
  info.dataset = "summeval";
  info.mode = "SSS";
  info.algorithm = "textgrad";
  info.criteria = {"fluency", "coherence"};
  info.steps = 12;
  info.simulated = true;
  info.simulated_roles = {"judge", "loss"};
  return info;
}

inline optim::PromptRecord Prompt(const std::string& name) {
  return {"fp-" + name, "{\"instructions\":{\"fluency\":\"" + name + " \\u00e9\"}}"};
}

inline optim::PredictionRecord Prediction(std::size_t pos, std::optional<double> a,
                                          std::optional<double> b) {
  return {pos, "ex" + std::to_string(pos), {a, b}, "reply, \"quoted\"\nline " + std::to_string(pos),
          b ? "" : "no coherence score"};
}

inline optim::EvaluationRecord MakeEval(const std::string& fingerprint, double avg,
                                        std::optional<int> reused = std::nullopt) {
  optim::EvaluationRecord e;
  e.split = "test";
  e.prompt_fingerprint = fingerprint;
  e.settings_key = "settings-1";
  // Base values in field order (qwk is not stored, so {}), then the criterion.
  e.metrics = {{{0.25, 0.2, 0.3, 0.7, 0.9, 0.4, {}, 3, 0}, "fluency"},
               {{std::nullopt, 0.1, std::nullopt, 1.5, 0.5, 0.25, {}, 2, 1}, "coherence"},
               {{avg, 0.15, 0.3, 1.1, 0.7, 0.325, {}, 3, 1}, "average"}};
  e.predictions = {Prediction(7, 4, 3), Prediction(2, 5, std::nullopt), Prediction(9, 1.5, 2)};
  e.reused_from_step = reused;
  return e;
}

inline optim::CallRecord Call(int step, const std::string& role, int i, bool hit) {
  optim::CallRecord c;
  c.step = step;
  c.stage = role == "judge" ? "predict" : role;
  c.role = role;
  c.request_hash = "hash" + std::to_string(step) + role + std::to_string(i);
  c.tag = "step" + std::to_string(step) + "/" + role + "/" + std::to_string(i);
  c.latency_ms = hit ? 0 : 12.5 + i;
  c.prompt_tokens = 100 + i;
  c.completion_tokens = 10 + i;
  c.total_tokens = c.prompt_tokens + c.completion_tokens;
  c.cached_tokens = 20 * i;
  c.reasoning_tokens = 3 * i;
  c.cost_usd = hit ? 0 : 0.000125 * (i + 1);
  c.attempts = hit ? 0 : 1 + i % 2;
  c.cache_hit = hit;
  c.error = i == 2 ? "timeout after 3 attempts" : "";
  c.finish_reason = i == 2 ? "" : (i == 1 ? "length" : "stop");
  c.simulated = i % 2 == 0;
  return c;
}

/// A conflict_matrix payload in the agreed format (docs/results-schema.md) for two criteria.
inline std::string ConflictPayload(int agree, int independent, int contradict) {
  return "{\"criteria\":[\"fluency\",\"coherence\"],\"pairs\":[{\"a\":\"fluency\","
         "\"b\":\"coherence\",\"agree\":" +
         std::to_string(agree) + ",\"independent\":" + std::to_string(independent) +
         ",\"contradict\":" + std::to_string(contradict) + "}]}";
}

/// A method step's decisions: a conflict matrix, a PCGrad drop (a summary that needs CSV
/// quoting) and a selection without payload.
inline std::vector<optim::DecisionRecord> MakeDecisions(int n) {
  return {{"conflict_matrix", "", std::to_string(n) + " of 4 edit pairs contradict",
           ConflictPayload(1, 3 - n % 3, n)},
          {"pcgrad", "fluency", "dropped 1 of 2 edits, \"contradict\"\nwith coherence",
           "{\"dropped\":[{\"edit\":1,\"against\":\"coherence\"}],\"kept\":[0]}"},
          {"select", "", "kept the incumbent", ""}};
}

/// A step with every field set (and some optionals left empty on purpose).
inline optim::StepRecord MakeStep(int n, bool with_eval = true) {
  optim::StepRecord s;
  s.step = n;
  s.batch_positions = {3, 1, 4};
  s.incumbent_before = Prompt("before" + std::to_string(n));
  s.candidate = Prompt("cand" + std::to_string(n));
  s.incumbent_after = Prompt("cand" + std::to_string(n));
  s.batch_predictions = {Prediction(3, 2, 1), Prediction(1, std::nullopt, 5), Prediction(4, 3, 3)};
  s.losses = {{"fluency", 0, "too lenient"}, {"coherence", 2, "misses the order"}};
  s.gradients = {{"*", 0, "joint: weigh order more"}, {"fluency", 1, "be stricter"}};
  s.optimizer_calls = {{"fluency", 0, "meta fluency", "raw A", "{\"fluency\":\"A\"}", ""},
                       {"coherence", 1, "meta coherence", "garbage", "", "no JSON object"}};
  s.gate.metric = "mae";
  s.gate.skipped = false;
  s.gate.accepted = n % 2 == 1;
  s.gate.incumbent_score = 1.25;
  s.gate.candidate_score = 1.0 + 0.125 * n;
  s.gate.candidate_batch_scores = {0.5, 0.75};
  s.gate.chosen_candidate = 1;
  s.carried_gate_score = 0.875 + n;
  if (with_eval) s.test_eval = MakeEval(s.incumbent_after.fingerprint, 0.1 * n);
  s.decisions = MakeDecisions(n);
  s.calls = {Call(n, "judge", 0, false), Call(n, "loss", 1, true), Call(n, "optimizer", 2, false)};
  return s;
}

/// The step-0 record: only the seed prompt, its test evaluation and its calls.
inline optim::StepRecord MakeBaseline() {
  optim::StepRecord s;
  s.step = 0;
  s.incumbent_after = Prompt("seed");
  s.test_eval = MakeEval("fp-seed", 0.3);
  s.calls = {Call(0, "judge", 0, false)};
  return s;
}

inline std::string Opt(const std::optional<double>& v) {
  if (!v) return "null";
  std::ostringstream out;
  out.precision(17);
  out << *v;
  return out.str();
}

inline void Dump(std::ostringstream& o, const optim::PromptRecord& p) {
  o << "[" << p.fingerprint << "|" << p.json << "]";
}

inline void Dump(std::ostringstream& o, const optim::PredictionRecord& p) {
  o << "pred(" << p.position << "," << p.example_id << ",";
  for (const auto& v : p.values) o << Opt(v) << ";";
  o << "," << p.raw_reply << "," << p.error << ")";
}

inline std::string DumpEval(const std::optional<optim::EvaluationRecord>& e) {
  std::ostringstream o;
  if (!e) return "no-eval";
  o << "eval(" << e->split << "," << e->prompt_fingerprint << "," << e->settings_key << ","
    << (e->reused_from_step ? std::to_string(*e->reused_from_step) : "null") << ")";
  for (const auto& m : e->metrics) {
    o << " m(" << m.criterion << "," << Opt(m.spearman) << "," << Opt(m.kendall) << ","
      << Opt(m.pearson) << "," << Opt(m.mae) << "," << Opt(m.off_by_one) << ","
      << Opt(m.accuracy) << "," << m.n << "," << m.missing << ")";
  }
  for (const auto& p : e->predictions) Dump(o, p);
  return o.str();
}

/// Every field of a step, as text (equal dumps = equal records).
inline std::string DumpStep(const optim::StepRecord& s) {
  std::ostringstream o;
  o << "step " << s.step << " batch";
  for (auto p : s.batch_positions) o << " " << p;
  o << "\n";
  Dump(o, s.incumbent_before);
  Dump(o, s.candidate);
  Dump(o, s.incumbent_after);
  o << "\n";
  for (const auto& p : s.batch_predictions) Dump(o, p);
  for (const auto& t : s.losses) o << "\nloss " << t.criterion << " " << t.sample << " " << t.text;
  for (const auto& t : s.gradients) {
    o << "\ngrad " << t.criterion << " " << t.sample << " " << t.text;
  }
  for (const auto& c : s.optimizer_calls) {
    o << "\nopt " << c.criterion << " " << c.candidate << " " << c.meta_prompt << " "
      << c.raw_reply << " " << c.parsed_json << " " << c.error;
  }
  const auto& g = s.gate;
  o << "\ngate " << g.metric << " " << g.skipped << " " << g.accepted << " "
    << Opt(g.incumbent_score) << " " << Opt(g.candidate_score) << " " << g.chosen_candidate;
  for (double d : g.candidate_batch_scores) o << " " << Opt(d);
  o << "\ncarried " << Opt(s.carried_gate_score) << "\n" << DumpEval(s.test_eval);
  for (const auto& d : s.decisions) {
    o << "\ndecision " << d.kind << "|" << d.criterion << "|" << d.summary << "|"
      << d.payload_json;
  }
  for (const auto& c : s.calls) {
    o << "\ncall " << c.step << " " << c.stage << " " << c.role << " " << c.request_hash << " "
      << c.tag << " " << Opt(c.latency_ms) << " " << c.prompt_tokens << " " << c.completion_tokens
      << " " << Opt(c.cost_usd) << " " << c.attempts << " " << c.cache_hit << " " << c.error
      << " " << c.finish_reason << " " << c.simulated << " " << c.total_tokens << " "
      << c.cached_tokens << " " << c.reasoning_tokens;
  }
  return o.str();
}

}  // namespace judgeopt::store::testing
