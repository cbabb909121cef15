#pragma once
// The offline simulator as an LlmClient (backend "sim"). See docs/simulator.md.

#include <cstdint>
#include <functional>
#include <memory>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/sim/role_handler.h"
#include "judgeopt/sim/sim_options.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// A deterministic stand-in for a language model. It sees only the request's messages (never
/// ChatRequest::role or tag), recognizes the role from the prompt layout, and answers by the
/// rules of its world model; the reply is a pure function of (simulator seed, messages,
/// temperature, request seed, sample index). Usage is bytes/4 (llm::ApproxTokens); a reply longer
/// than max_tokens is cut there with finish_reason "length". Shares ownership of the dataset;
/// immutable after Create(), so Complete() is thread-safe.
class SimClient : public llm::LlmClient {
 public:
  static constexpr const char* kBackendName = "sim";

  /// `dataset` may be null (every sample then gets a pseudo-gold). Fails only on a bad
  /// `options.concepts_json`.
  static Result<std::unique_ptr<SimClient>> Create(std::shared_ptr<const data::Dataset> dataset,
                                                   SimOptions options = {});

  SimClient(const SimClient&) = delete;
  SimClient& operator=(const SimClient&) = delete;

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override;

  /// The role the simulator reads `request` as, or the kBadRequest error Complete() would give.
  Result<SimRole> RecognizeRole(const llm::ChatRequest& request) const;

  const SimWorld& world() const { return world_; }
  const SimOptions& options() const { return options_; }

  /// The prompt a role reads: the messages before the first assistant message, joined by "\n\n".
  static std::string PromptText(const llm::ChatRequest& request);
  /// Stable hash of everything a reply may depend on (see SimCall::call_key): the simulator's
  /// seed, the messages, the temperature and the request's seed. Only what goes over the wire, so
  /// `judgeopt sim-server` answers an HTTP request exactly as the in-process simulator does; a
  /// repeated sample differs by its seed (llm/sample_seed.h), not by its sample index.
  static uint64_t CallKey(uint64_t sim_seed, const llm::ChatRequest& request);

 private:
  SimClient(std::shared_ptr<const data::Dataset> dataset, SimOptions options,
            const ConceptCatalog& catalog);

  const SimOptions options_;
  const SimWorld world_;
  RoleDispatcher roles_;
};

/// Makes the simulator of a command (ClientStackPorts::make_sim): over `dataset`, seeded with
/// `seed`, built only when a sim role is.
std::function<Result<std::unique_ptr<llm::LlmClient>>()> SimFactory(
    std::shared_ptr<const data::Dataset> dataset, uint64_t seed);

}  // namespace judgeopt::sim
