#include "judgeopt/optim/engine/batch.h"

#include <algorithm>

#include "judgeopt/base/numpy_random.h"
#include "judgeopt/prompts/format.h"

namespace judgeopt::optim {

prompts::Score BatchSample::Gold(const data::Dataset& dataset,
                                 const std::string& criterion) const {
  const int c = dataset.CriterionIndex(criterion);
  return prompts::GoldScore(dataset.examples[position].gold[static_cast<std::size_t>(c)]);
}

uint32_t BatchSeed(const OptimizeConfig& config, int step) {
  if (config.batch_order == BatchOrder::kSeeded) {
    return static_cast<uint32_t>(static_cast<uint64_t>(config.seed) * 1000u +
                                 static_cast<uint64_t>(step));
  }
  return static_cast<uint32_t>(step);
}

std::vector<std::size_t> SampleBatch(const data::Dataset& dataset, const OptimizeConfig& config,
                                     int step) {
  const std::vector<std::size_t>& train = dataset.splits.train;
  const std::vector<std::size_t> order = Permutation(train.size(), BatchSeed(config, step));
  const std::size_t b = std::min<std::size_t>(static_cast<std::size_t>(config.batch_size),
                                              train.size());
  std::vector<std::size_t> batch;
  batch.reserve(b);
  for (std::size_t k = 0; k < b; ++k) batch.push_back(train[order[k]]);
  return batch;
}

std::vector<std::size_t> GatePositions(const data::Dataset& dataset, int samples) {
  const std::vector<std::size_t>& val = dataset.splits.validation;
  const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(samples), val.size());
  return {val.begin(), val.begin() + static_cast<std::ptrdiff_t>(n)};
}

Result<std::vector<judge::Prediction>> PredictWave(RunContext& ctx, const judge::JudgePrompt& prompt,
                                                   const std::vector<std::size_t>& positions,
                                                   int step, std::string_view stage, int repeat) {
  if (positions.empty()) return std::vector<judge::Prediction>{};
  ++ctx.waves;
  judge::PredictOptions options;
  options.tag = StepTag(step, stage);
  options.repeat = repeat;
  JO_ASSIGN_OR_RETURN(auto predictions,
                      ctx.judge.Predict(ctx.dataset, prompt, positions, options));
  JO_RETURN_IF_ERROR(FirstCallFailure(predictions));
  return predictions;
}

Status FirstCallFailure(const std::vector<judge::Prediction>& predictions) {
  for (const judge::Prediction& p : predictions) {
    if (p.error && p.error->code != ErrorCode::kParse) {
      return p.error->WithContext("judge call for example '" + p.id + "'");
    }
  }
  return Status::Ok();
}

std::vector<BatchSample> MakeBatchSamples(const RunContext& ctx,
                                          const std::vector<std::size_t>& positions,
                                          std::vector<judge::Prediction> predictions) {
  std::vector<BatchSample> samples;
  samples.reserve(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    BatchSample s;
    s.position = positions[i];
    const data::Example& ex = ctx.dataset.examples[positions[i]];
    for (std::size_t f = 0; f < ctx.dataset.inputs.size(); ++f) {
      s.judged.inputs.push_back({ctx.dataset.inputs[f].label, ex.inputs[f]});
    }
    s.judged.raw_reply = predictions[i].raw_reply;
    for (const std::string& name : ctx.criteria) {
      const int c = ctx.dataset.CriterionIndex(name);
      const auto& v = predictions[i].values[static_cast<std::size_t>(c)].value;
      std::optional<prompts::Score> score;
      if (v) score = prompts::Score{*v, ""};
      s.judged.predictions.push_back({name, score});
    }
    s.prediction = std::move(predictions[i]);
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace judgeopt::optim
