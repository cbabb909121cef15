#include "judgeopt/sim/seed_routed_sim.h"

namespace judgeopt::sim {

Result<llm::ChatResponse> SeedRoutedSim::Complete(const llm::ChatRequest& request) {
  JO_ASSIGN_OR_RETURN(SimClient * client, For(request.seed.value_or(0)));
  return client->Complete(request);
}

Result<SimClient*> SeedRoutedSim::For(int64_t seed) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = clients_.find(seed);
  if (it != clients_.end()) return it->second.get();
  SimOptions options;
  options.seed = static_cast<uint64_t>(seed);
  JO_ASSIGN_OR_RETURN(auto client, SimClient::Create(dataset_, options));
  return (clients_[seed] = std::move(client)).get();
}

}  // namespace judgeopt::sim
