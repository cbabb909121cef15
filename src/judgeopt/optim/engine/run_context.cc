#include "judgeopt/optim/engine/run_context.h"

#include <fmt/format.h>

#include "judgeopt/llm/sample_seed.h"

namespace judgeopt::optim {

const data::Criterion& RunContext::criterion(const std::string& name) const {
  return dataset.criteria[static_cast<std::size_t>(dataset.CriterionIndex(name))];
}

void RunContext::Stage(int step, std::string_view stage) const {
  if (observer != nullptr) observer->OnStage(run_id, step, config.steps, stage);
}

llm::ChatRequest NewRequest(const RunContext& ctx, llm::Role role, std::string prompt,
                            std::string tag) {
  llm::ChatRequest r = llm::MakeRequest(ctx.config.llm, role);
  r.messages.push_back({"user", std::move(prompt)});
  r.seed = ctx.config.seed;
  r.tag = std::move(tag);
  return r;
}

llm::ChatRequest NewSampleRequest(const RunContext& ctx, llm::Role role, std::string prompt,
                                  std::string tag, int step, int k) {
  llm::ChatRequest r = NewRequest(ctx, role, std::move(prompt), std::move(tag));
  llm::SetSample(r, ctx.config.seed, step, k);
  return r;
}

std::vector<Result<llm::ChatResponse>> SendWave(RunContext& ctx, llm::Role role,
                                                const std::vector<llm::ChatRequest>& requests) {
  std::vector<Result<llm::ChatResponse>> replies(requests.size(),
                                                 Error(ErrorCode::kInternal, "not sent"));
  if (requests.empty()) return replies;
  ++ctx.waves;
  llm::LlmClient& client = ctx.client(role);
  ctx.pool.ParallelFor(requests.size(),
                       [&](std::size_t i) { replies[i] = client.Complete(requests[i]); });
  return replies;
}

Status FirstWaveError(const std::vector<Result<llm::ChatResponse>>& replies,
                      const std::vector<llm::ChatRequest>& requests) {
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (!replies[i].ok()) return replies[i].error().WithContext(requests[i].tag);
  }
  return Status::Ok();
}

std::string StepTag(int step, std::string_view stage) {
  return fmt::format("step{}/{}", step, stage);
}

}  // namespace judgeopt::optim
