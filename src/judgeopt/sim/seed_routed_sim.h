#pragma once
// The simulator of a grid: one SimClient per request seed, so that every run of a grid sees the
// simulator `judgeopt optimize` gives a run with that seed (its simulator seed follows the run's).
// Shares the dataset; clients are made on first use under a mutex. Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "judgeopt/data/dataset.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim {

class SeedRoutedSim final : public llm::LlmClient {
 public:
  explicit SeedRoutedSim(std::shared_ptr<const data::Dataset> dataset)
      : dataset_(std::move(dataset)) {}

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override;

 private:
  Result<SimClient*> For(int64_t seed);

  std::shared_ptr<const data::Dataset> dataset_;
  std::mutex mu_;
  std::map<int64_t, std::unique_ptr<SimClient>> clients_;
};

}  // namespace judgeopt::sim
