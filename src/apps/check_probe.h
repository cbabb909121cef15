#pragma once
// The probe calls of `judgeopt check` (check_cmd.cc): per role, at most kMaxProbeCalls calls with
// the role's real settings through the real client stack (no cache, no retries, so each call is
// one request); a refusal or an unusable reply is diagnosed (llm/preflight.h), its fix applied
// and tried with the next call; a sound reply is followed by the same call again to see whether
// the server honours seeds.

#include <memory>
#include <string>
#include <vector>

#include "apps/common_flags.h"
#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/llm/preflight.h"
#include "judgeopt/optim/config/optimize_config.h"
#include "judgeopt/optim/estimate/estimate.h"

namespace judgeopt::apps {

inline constexpr int kMaxProbeCalls = 3;

/// The probe every role is sent: the judge prompt (the configured judge mode's first call) of
/// the dataset's longest example.
struct Probe {
  judge::JudgeCall call;
  int64_t prompt_tokens = 0;
};
Result<Probe> MakeProbe(const optim::OptimizeConfig& config, const data::Dataset& dataset);

/// One reported line of a role's check.
struct CheckLine {
  llm::Finding finding;
  /// The fix (finding.fix) was applied for a later call, which the server accepted.
  bool verified = false;
};

/// A role's check.
struct RoleCheck {
  llm::Role role = llm::Role::kJudge;
  std::string target;  // "openai gpt-5-mini at http://..." or "sim (in-process)"
  std::vector<CheckLine> lines;
  double latency_ms = -1.0;  // of the accepted call; -1 when none was accepted
  bool failed = false;       // the configured settings fail (even when a fix was found)
  config::Json fix = config::Json::object();  // every fix of the role, merged
};

/// Runs the checks. Holds references to its arguments, which must outlive it; one thread.
class ProbeRunner {
 public:
  ProbeRunner(const optim::OptimizeConfig& config, std::shared_ptr<const data::Dataset> dataset,
              const Probe& probe, const LlmFlags& flags, const optim::CostEstimate& estimate);
  RoleCheck Check(llm::Role role);

 private:
  /// Records the accepted `reply` and, when a call is left, sends `request` again to see whether
  /// the server honours its seed.
  void AfterAcceptedCall(llm::LlmClient& client, const llm::ChatRequest& request,
                         const llm::ChatResponse& reply, int calls_left, RoleCheck& out);
  llm::ProbeContext Context(const llm::LlmConfig& llm_config, llm::Role role) const;

  const optim::OptimizeConfig& config_;
  std::shared_ptr<const data::Dataset> dataset_;
  const Probe& probe_;
  LlmFlags flags_;
  const optim::CostEstimate& estimate_;
};

/// The merged fixes of every role, as config lines ("" when none).
std::string CombinedFixes(const std::vector<RoleCheck>& checks);

}  // namespace judgeopt::apps
