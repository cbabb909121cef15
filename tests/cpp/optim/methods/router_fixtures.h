#pragma once
// Fixtures for unit tests of the router, criterion-owned blocks and the length balance: the
// 4-criterion loop dataset, a RunContext whose every role is one scripted model, and a hand-made
// batch with per-criterion loss texts.

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/optim/engine/batch.h"
#include "judgeopt/optim/engine/run_context.h"
#include "judgeopt/optim/engine/run_record.h"

namespace judgeopt::optim::testdata {

/// A RunContext over MakeLoopDataset() whose five roles are `llm`. Holds everything it borrows; not
/// copyable; use from one test thread.
class MethodHarness {
 public:
  explicit MethodHarness(const std::string& mode) : dataset_(MakeLoopDataset()) {
    config_.llm =
        llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    config_.dataset = dataset_.name;
    const Status s = ApplyModeName(config_, mode, "mode");
    if (!s.ok()) ADD_FAILURE() << s.error().ToString();
    for (const data::Criterion& c : dataset_.criteria) criteria_.push_back(c.name);
  }

  OptimizeConfig& config() { return config_; }
  const data::Dataset& dataset() const { return dataset_; }
  const std::vector<std::string>& criteria() const { return criteria_; }

  /// The context (built on first use, after the config is final).
  RunContext& ctx() {
    if (!ctx_) {
      llm::PerRole<llm::LlmClient*> clients{};
      clients.fill(&llm);
      ctx_.reset(new RunContext{dataset_, config_, "run", criteria_, clients, pool_, judge_});
    }
    return *ctx_;
  }

  /// The seed prompt of the dataset.
  judge::JudgePrompt Seed() const { return judge::JudgePrompt::FromDataset(dataset_); }

  /// `n` training examples as the judge answered them (every criterion 3).
  std::vector<BatchSample> Batch(int n) const {
    std::vector<BatchSample> out;
    for (int i = 0; i < n; ++i) {
      BatchSample s;
      s.position = static_cast<std::size_t>(i);
      const data::Example& ex = dataset_.examples[s.position];
      for (std::size_t f = 0; f < dataset_.inputs.size(); ++f) {
        s.judged.inputs.push_back({dataset_.inputs[f].label, ex.inputs[f]});
      }
      nlohmann::ordered_json reply;
      for (const std::string& c : criteria_) {
        reply[c] = 3;
        s.judged.predictions.push_back({c, prompts::Score{3, ""}});
      }
      s.judged.raw_reply = reply.dump();
      out.push_back(std::move(s));
    }
    return out;
  }

  /// One loss text per (criterion, sample): "loss <c> s<i>".
  std::vector<SampleText> Losses(int n) const {
    std::vector<SampleText> out;
    for (const std::string& c : criteria_) {
      for (int i = 0; i < n; ++i) out.push_back({c, i, fmt::format("loss {} s{}", c, i)});
    }
    return out;
  }

  /// Requests received whose tag starts with `prefix`.
  std::vector<llm::ChatRequest> RequestsTagged(const std::string& prefix) const {
    std::vector<llm::ChatRequest> out;
    for (const auto& r : llm.Requests()) {
      if (r.tag.rfind(prefix, 0) == 0) out.push_back(r);
    }
    return out;
  }

  testing::ScriptedLlm llm;

 private:
  data::Dataset dataset_;
  OptimizeConfig config_;
  std::vector<std::string> criteria_;
  WorkPool pool_{2};
  const judge::Judge judge_{llm, pool_, {}};
  std::unique_ptr<RunContext> ctx_;
};

/// The JSON payload of a decision.
inline nlohmann::json Payload(const DecisionRecord& d) {
  return nlohmann::json::parse(d.payload_json);
}

}  // namespace judgeopt::optim::testdata
