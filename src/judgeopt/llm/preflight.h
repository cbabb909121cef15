#pragma once
// The diagnosis behind `judgeopt check`: what one probe call of a role says about the role's
// settings. A refusal or an unusable reply becomes a Finding with the config lines that fix it
// (as role keys, rendered as TOML and applied with the config parser, so the lines printed are
// the lines that were verified) or, when no client setting can fix it, what to change on the
// server. Pure functions; thread-safe.

#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::llm {

enum class Severity { kOk, kWarning, kProblem };

/// One line of a role's check. A kProblem means the configured run would fail or be wrong.
struct Finding {
  Severity severity = Severity::kOk;
  std::string message;
  /// Role keys that fix it, e.g. {"max_tokens": 8192} (empty object: no client setting can).
  config::Json fix = config::Json::object();
  /// What to change on the server when no client setting can ("" when a fix is given).
  std::string server_advice;
};

/// A finding of `severity` with no fix.
inline Finding Note(Severity severity, std::string message) {
  return {severity, std::move(message), config::Json::object(), ""};
}

/// What a diagnosis knows about the probe.
struct ProbeContext {
  Role role = Role::kJudge;
  RoleConfig config;
  /// The probe's prompt, estimated locally (bytes / 4).
  int64_t probe_prompt_tokens = 0;
  /// The largest prompt the configured run sends this role (estimated), for limits stated by
  /// the server (a context length): a suggested max_tokens leaves room for it.
  int64_t run_prompt_tokens = 0;
};

/// A refused call (an HTTP error, or no connection): why, and the fix when a setting can fix it.
Finding DiagnoseRefusal(const ProbeContext& probe, const Error& error);

/// A delivered reply: empty or cut off (hidden reasoning eating the limit), filtered, no usage
/// reported, a prompt the server cut (the run-time rule of llm/limit_errors.h: fewer than
/// kTruncationShare of the estimated prompt tokens). Empty when the reply is sound.
std::vector<Finding> DiagnoseReply(const ProbeContext& probe, const ChatResponse& reply);

/// The fix as config lines: "[llm.<table>]" (a role's name, or "defaults") then one
/// "key = value" line per key (TOML).
std::string FixToml(std::string_view table, const config::Json& fix);

/// `config` with `fix` applied to `role` through the config parser (endpoint keys go to every
/// endpoint of the role). Fails when the fix does not parse.
Result<LlmConfig> ApplyFix(const LlmConfig& config, Role role, const config::Json& fix);

}  // namespace judgeopt::llm
