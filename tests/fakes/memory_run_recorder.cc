#include "fakes/memory_run_recorder.h"

#include <fmt/format.h>

#include "judgeopt/optim/config/config_compare.h"
#include "judgeopt/optim/engine/call_log.h"

namespace judgeopt::optim {

Status MemoryRunRecorder::BeginRun(const RunInfo& info) {
  if (info.run_id.empty()) return InvalidArgument("run recorder: run_id is empty");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(info.run_id);
  if (it == runs_.end()) {
    runs_[info.run_id].info = info;
    order_.push_back(info.run_id);
    return Status::Ok();
  }
  if (Status same = CheckSameResults(it->second.info.config_json, info.config_json); !same.ok()) {
    return InvalidArgument(fmt::format("run {}: already recorded, and {}; use another run id",
                                       info.run_id, same.error().message));
  }
  if (it->second.status == "failed") {
    it->second.status = "running";
    it->second.message.clear();
  }
  return Status::Ok();
}

Result<std::optional<RunCheckpoint>> MemoryRunRecorder::LoadCheckpoint(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return std::optional<RunCheckpoint>();
  const Run& run = it->second;
  RunCheckpoint cp;
  cp.status = run.status;
  if (!run.steps.empty()) {
    const StepRecord& last = run.steps.rbegin()->second;
    cp.last_step = last.step;
    cp.incumbent = last.incumbent_after;
    cp.carried_gate_score = last.carried_gate_score;
  }
  for (auto s = run.steps.rbegin(); s != run.steps.rend(); ++s) {
    if (s->second.test_eval.has_value() && s->second.test_eval->split == "test") {
      cp.last_test_eval = s->second.test_eval;
      cp.last_test_eval_step = s->second.step;
      break;
    }
  }
  return std::optional<RunCheckpoint>(std::move(cp));
}

Status MemoryRunRecorder::RecordStep(const std::string& run_id, const StepRecord& step) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) {
    return NotFound(fmt::format("run {}: not begun (call BeginRun first)", run_id));
  }
  if (step.step < 0) {
    return InvalidArgument(fmt::format("run {}: step {} is negative", run_id, step.step));
  }
  if (it->second.steps.count(step.step) != 0) {
    return InvalidArgument(fmt::format("run {}: step {} is already stored", run_id, step.step));
  }
  if (hook_) JO_RETURN_IF_ERROR(hook_(run_id, step));
  it->second.steps.emplace(step.step, step);
  AddSimulatedRoles(step.calls, it->second.info);
  return Status::Ok();
}

Result<std::optional<EvaluationRecord>> MemoryRunRecorder::FindEvaluation(
    const std::string& prompt_fingerprint, const std::string& split,
    const std::string& settings_key) {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<EvaluationRecord> reused;
  for (const std::string& id : order_) {
    for (const auto& [n, step] : runs_.at(id).steps) {
      const auto& e = step.test_eval;
      if (!e || e->prompt_fingerprint != prompt_fingerprint || e->split != split ||
          e->settings_key != settings_key) {
        continue;
      }
      if (!e->reused_from_step.has_value()) return e;
      if (!reused) reused = e;
    }
  }
  return reused;
}

Status MemoryRunRecorder::FinishRun(const std::string& run_id, const std::string& status,
                                    const std::string& message) {
  if (status != "finished" && status != "failed") {
    return InvalidArgument(
        fmt::format("run {}: status '{}' is not 'finished' or 'failed'", run_id, status));
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return NotFound(fmt::format("run {}: not begun", run_id));
  it->second.status = status;
  it->second.message = message;
  return Status::Ok();
}

Result<std::optional<StepRecord>> MemoryRunRecorder::LoadStep(const std::string& run_id,
                                                             int step) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return std::optional<StepRecord>();
  auto s = it->second.steps.find(step);
  if (s == it->second.steps.end()) return std::optional<StepRecord>();
  return std::optional<StepRecord>(s->second);
}

void MemoryRunRecorder::set_record_hook(RecordHook hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hook_ = std::move(hook);
}

std::vector<std::string> MemoryRunRecorder::RunIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return order_;
}

std::optional<RunInfo> MemoryRunRecorder::Info(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return std::nullopt;
  return it->second.info;
}

std::vector<StepRecord> MemoryRunRecorder::Steps(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StepRecord> out;
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return out;
  for (const auto& [n, step] : it->second.steps) out.push_back(step);
  return out;
}

std::string MemoryRunRecorder::RunStatus(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  return it == runs_.end() ? std::string() : it->second.status;
}

std::string MemoryRunRecorder::RunMessage(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(run_id);
  return it == runs_.end() ? std::string() : it->second.message;
}

}  // namespace judgeopt::optim
