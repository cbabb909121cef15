#include "judgeopt/optim/opro/opro_prompt.h"

#include <algorithm>

#include "judgeopt/base/numpy_random.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/prompts/format.h"

namespace judgeopt::optim {

std::vector<std::size_t> OproBatch(const data::Dataset& dataset, const OptimizeConfig& config,
                                   int step) {
  return SampleBatch(dataset, config, config.opro.fixed_batch ? 0 : step);
}

std::vector<std::size_t> OproExemplarPositions(const data::Dataset& dataset,
                                               const OptimizeConfig& config, int step,
                                               const std::vector<std::size_t>& batch) {
  const std::vector<std::size_t>& train = dataset.splits.train;
  const std::vector<std::size_t> order = Permutation(train.size(), BatchSeed(config, step));
  const auto wanted = static_cast<std::size_t>(config.opro.demonstrations);
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < order.size() && out.size() < wanted; ++k) {
    const std::size_t position = train[order[k]];
    const bool in_batch = std::find(batch.begin(), batch.end(), position) != batch.end();
    if (in_batch && config.opro.exemplars_exclude_batch) continue;
    out.push_back(position);
  }
  return out;
}

std::vector<prompts::OproExemplar> OproExemplars(const data::Dataset& dataset,
                                                 const std::vector<std::string>& criteria,
                                                 const std::vector<std::size_t>& positions) {
  std::vector<prompts::OproExemplar> out;
  for (std::size_t p : positions) {
    const data::Example& ex = dataset.examples[p];
    prompts::OproExemplar e;
    for (std::size_t f = 0; f < dataset.inputs.size(); ++f) {
      e.inputs.push_back({dataset.inputs[f].label, ex.inputs[f]});
    }
    for (const std::string& c : criteria) {
      const auto index = static_cast<std::size_t>(dataset.CriterionIndex(c));
      e.expected.push_back({c, prompts::GoldScore(ex.gold[index])});
    }
    out.push_back(std::move(e));
  }
  return out;
}

prompts::TrajectoryOrder OproOrder(const OproConfig& opro) {
  switch (opro.trajectory_order) {
    case TrajectoryOrder::kWorstToBest: return prompts::TrajectoryOrder::kWorstToBest;
    case TrajectoryOrder::kBestToWorst: return prompts::TrajectoryOrder::kBestToWorst;
  }
  return prompts::TrajectoryOrder::kWorstToBest;  // not reached: the switch names every order
}

std::string OproMetaPromptFor(const data::Dataset& dataset, const OptimizeConfig& config,
                              const std::vector<std::string>& criteria,
                              const judge::JudgePrompt& current,
                              const prompts::OproTrajectory& trajectory,
                              const std::vector<std::size_t>& exemplar_positions) {
  prompts::OproPromptInput input;
  input.criteria = criteria;
  input.order = OproOrder(config.opro);
  input.entries = trajectory.Sorted(input.order);
  input.prompt_head = current.preamble();
  input.exemplars = OproExemplars(dataset, criteria, exemplar_positions);
  return prompts::OproMetaPrompt(input);
}

}  // namespace judgeopt::optim
