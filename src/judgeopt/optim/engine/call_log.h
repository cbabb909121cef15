#pragma once
// Recording every LLM call an optimization run makes (role, stage, request hash, latency,
// tokens, cost, attempts, cache hit) for the run store, without the stages knowing about it.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "judgeopt/llm/client.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim {

/// Thread-safe list of CallRecords. Drain() returns them in a canonical order (tag, then
/// request hash), so what is stored never depends on completion order.
class CallLog {
 public:
  void Add(CallRecord record);
  /// Takes and sorts every record added since the last Drain.
  std::vector<CallRecord> Drain();
  /// Records added since the last Drain.
  std::size_t pending() const;

 private:
  mutable std::mutex mu_;
  std::vector<CallRecord> records_;
};

/// Wraps a client and adds one CallRecord per call to a CallLog. The step and stage come from
/// the request's tag, which the loop writes as "step<k>/<stage>/...". Borrows the client and the
/// log (both must outlive it); thread-safe when the inner client is.
class RecordingClient final : public llm::LlmClient {
 public:
  RecordingClient(llm::LlmClient& inner, std::string endpoint_kind, CallLog& log)
      : inner_(inner), endpoint_kind_(std::move(endpoint_kind)), log_(log) {}

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override;

 private:
  llm::LlmClient& inner_;
  const std::string endpoint_kind_;
  CallLog& log_;
};

/// The role names of `a` and `b` together, each once, in role order (llm::kAllRoles; names that
/// are no role after them, sorted).
std::vector<std::string> MergeRoleNames(std::vector<std::string> a,
                                        const std::vector<std::string>& b);

/// Adds to `info.simulated_roles` every role of `calls` that got a simulated reply, keeping them
/// in role order (unknown names after, sorted), and sets `info.simulated` when there is any. A
/// run's label only ever grows: the steps of a resumed run add to what earlier ones recorded.
/// Returns true when `info` changed. docs/simulator.md, "The SIMULATED label".
bool AddSimulatedRoles(const std::vector<CallRecord>& calls, RunInfo& info);

/// Step number and stage read from a tag "step<k>/<stage>/..." (step -1 and stage "" when the tag
/// has another shape).
struct TagParts {
  int step = -1;
  std::string stage;
};
TagParts ParseTag(const std::string& tag);

}  // namespace judgeopt::optim
