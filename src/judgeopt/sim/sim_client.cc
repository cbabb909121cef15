#include "judgeopt/sim/sim_client.h"

#include "judgeopt/sim/diagnostic_role.h"
#include "judgeopt/sim/gradient_role.h"
#include "judgeopt/sim/judge_role.h"
#include "judgeopt/sim/loss_role.h"
#include "judgeopt/sim/opro_role.h"
#include "judgeopt/sim/optimizer_role.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

constexpr std::size_t kBytesPerToken = 4;

}  // namespace

Result<std::unique_ptr<SimClient>> SimClient::Create(std::shared_ptr<const data::Dataset> dataset,
                                                     SimOptions options) {
  Result<ConceptCatalog> catalog =
      options.concepts_json.empty()
          ? ConceptCatalog::Embedded()
          : ConceptCatalog::Parse(options.concepts_json, "SimOptions::concepts_json");
  if (!catalog.ok()) return catalog.error();
  return std::unique_ptr<SimClient>(
      new SimClient(std::move(dataset), std::move(options), *catalog));
}

SimClient::SimClient(std::shared_ptr<const data::Dataset> dataset, SimOptions options,
                     const ConceptCatalog& catalog)
    : options_(std::move(options)), world_(std::move(dataset), catalog) {
  // One handler per prompt layout. The optimization roles recognize judgeopt's fixed opening
  // sentences (prompts/layout.h), so they go before the judge, whose layout they embed.
  roles_.Add(std::make_unique<LossRole>(options_));
  roles_.Add(std::make_unique<GradientRole>(world_, options_));
  roles_.Add(std::make_unique<OptimizerRole>(world_, options_));
  roles_.Add(std::make_unique<DiagnosticRole>(world_, options_));
  roles_.Add(std::make_unique<OproRole>(world_, options_));
  roles_.Add(std::make_unique<JudgeRole>(world_, options_));
}

std::string SimClient::PromptText(const llm::ChatRequest& request) {
  std::string prompt;
  for (const auto& m : request.messages) {
    if (m.role == "assistant") break;
    if (!prompt.empty()) prompt += "\n\n";
    prompt += m.content;
  }
  return prompt;
}

uint64_t SimClient::CallKey(uint64_t sim_seed, const llm::ChatRequest& request) {
  StableHash h(sim_seed);
  h.Add(static_cast<uint64_t>(request.messages.size()));
  for (const auto& m : request.messages) h.Add(m.role).Add(m.content);
  h.AddDouble(request.temperature);
  h.Add(request.seed.has_value() ? 1u : 0u).AddSigned(request.seed.value_or(0));
  return h.Digest();
}

Result<SimRole> SimClient::RecognizeRole(const llm::ChatRequest& request) const {
  JO_ASSIGN_OR_RETURN(const RoleHandler* handler, roles_.Find(PromptText(request)));
  return handler->role();
}

Result<llm::ChatResponse> SimClient::Complete(const llm::ChatRequest& request) {
  if (request.messages.empty()) {
    return Error(ErrorCode::kBadRequest, "sim: the request has no messages");
  }
  std::string prompt = PromptText(request);
  JO_ASSIGN_OR_RETURN(const RoleHandler* handler, roles_.Find(prompt));
  SimCall call{prompt, CallKey(options_.seed, request), request.temperature};
  JO_ASSIGN_OR_RETURN(std::string reply, handler->Reply(call));

  llm::ChatResponse response;
  response.finish_reason = "stop";
  response.simulated = true;
  if (request.max_tokens > 0 && llm::ApproxTokens(reply) > request.max_tokens) {
    reply.resize(static_cast<std::size_t>(request.max_tokens) * kBytesPerToken);
    response.finish_reason = "length";
  }
  response.content = std::move(reply);
  response.model = request.model.empty() ? kBackendName : request.model;
  response.usage.prompt_tokens = llm::ApproxPromptTokens(request);
  response.usage.completion_tokens = llm::ApproxTokens(response.content);
  response.usage.total_tokens = response.usage.prompt_tokens + response.usage.completion_tokens;
  return response;
}

std::function<Result<std::unique_ptr<llm::LlmClient>>()> SimFactory(
    std::shared_ptr<const data::Dataset> dataset, uint64_t seed) {
  return [dataset = std::move(dataset), seed]() -> Result<std::unique_ptr<llm::LlmClient>> {
    SimOptions options;
    options.seed = seed;
    JO_ASSIGN_OR_RETURN(auto client, SimClient::Create(dataset, options));
    return std::unique_ptr<llm::LlmClient>(std::move(client));
  };
}

}  // namespace judgeopt::sim
