#pragma once
// What every stage of an optimization step works with: the dataset, the run's criteria and
// config, a client per role (recording every call), the work pool and the judge; plus the helper
// that sends one stage's independent calls as one concurrent wave.

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/llm_config.h"
#include "judgeopt/optim/config/optimize_config.h"

namespace judgeopt::optim {

/// Told where a run is, for progress displays. Called from the loop's thread only.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// A stage of `step` (0 = baseline) of `total` starts: "predict", "loss", "gradient",
  /// "optimizer", "candidates", "gate", "eval".
  virtual void OnStage(const std::string& run_id, int step, int total, std::string_view stage) {}
  /// A step was committed: how it ended (StepDecision) and the average test Spearman when
  /// evaluated.
  virtual void OnStepDone(const std::string& run_id, int step, int total,
                          std::string_view decision, std::optional<double> test_spearman) {}
};

/// The environment of one run. Borrows everything (the caller keeps it alive for the run). Used
/// from the loop's thread; the clients and pool are thread-safe, and SendWave is the only place
/// that fans out.
struct RunContext {
  const data::Dataset& dataset;
  const OptimizeConfig& config;
  std::string run_id;
  /// The run's criteria in prompt order (all of the dataset's, or one for a single-task run).
  std::vector<std::string> criteria;
  /// One client per llm::Role (indexed by the enum), each recording its calls.
  llm::PerRole<llm::LlmClient*> clients{};
  WorkPool& pool;
  const judge::Judge& judge;
  RunObserver* observer = nullptr;
  /// Sequential waves of calls made so far (one per SendWave or judge wave with calls).
  std::atomic<int> waves{0};

  llm::LlmClient& client(llm::Role role) const {
    return *clients[role];
  }
  /// The dataset's criterion by name (it must exist).
  const data::Criterion& criterion(const std::string& name) const;
  void Stage(int step, std::string_view stage) const;
};

/// A request for `role` carrying one user message, the role's configured model, temperature,
/// max_tokens and extra body, the run's seed and `tag` (sample 0).
llm::ChatRequest NewRequest(const RunContext& ctx, llm::Role role, std::string prompt,
                            std::string tag);

/// NewRequest made sample `k` of `step` (llm::SetSample): for k > 0 its own seed, derived from the
/// run's seed, the role, the step and k.
llm::ChatRequest NewSampleRequest(const RunContext& ctx, llm::Role role, std::string prompt,
                                  std::string tag, int step, int k);

/// Sends `requests` as one concurrent wave through `role`'s client; replies by index. A wave of
/// zero requests makes no call and does not count as a wave.
std::vector<Result<llm::ChatResponse>> SendWave(RunContext& ctx, llm::Role role,
                                                const std::vector<llm::ChatRequest>& requests);

/// The first error of a wave, prefixed with the request's tag; OK when every call succeeded.
Status FirstWaveError(const std::vector<Result<llm::ChatResponse>>& replies,
                      const std::vector<llm::ChatRequest>& requests);

/// "step<k>/<stage>".
std::string StepTag(int step, std::string_view stage);

}  // namespace judgeopt::optim
