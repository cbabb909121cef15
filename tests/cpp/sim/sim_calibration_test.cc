// Calibration of the simulator's judge on the real SummEval test split (480 examples): the seed
// prompt scores an average Spearman of about 0.3 and coverage moves it only within the capacity
// band (docs/simulator.md records the figures; the study's grid targets are checked by
// sim_study_grid_test.cc). Without the data the tests skip, and fail under CI=true.

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <numeric>

#include "cpp/skip_policy.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/metrics/correlation.h"
#include "judgeopt/sim/judge_role.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim {
namespace {

constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

class SimCalibrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(kDataRoot) + "/summeval/summeval.jsonl")) {
      JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
    }
    data::DataLocator locator(kDataRoot, "", {});
    auto loaded = data::LoadDataset("summeval", locator, {});
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    dataset_ = std::make_shared<data::Dataset>(std::move(*loaded));
    ASSERT_EQ(dataset_->splits.test.size(), 480u);
    SimOptions options;
    options.malformed.SetAll(0.0);
    auto client = SimClient::Create(dataset_, options);
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  // Every criterion's seed instruction plus the names of its first `k` concepts.
  judge::JudgePrompt Covering(int k) const {
    judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(*dataset_);
    if (k == 0) return prompt;
    for (const auto& c : client_->world().criteria()) {
      std::string text = "Rate from 1 to 5. Look at";
      for (int i = 0; i < k; ++i) text += (i > 0 ? ", " : " ") + c.concepts[i].name;
      prompt = *prompt.WithInstruction(c.name, text + ".");
    }
    return prompt;
  }

  // Per-criterion Spearman on the test split, then their mean (last element).
  std::vector<double> TestSpearman(const judge::JudgePrompt& prompt) const {
    WorkPool pool(2);
    judge::JudgeSettings settings;  // temperature 0.1, as the study's judge
    judge::Judge judge(*client_, pool, settings);
    auto predictions = judge.Predict(*dataset_, prompt, dataset_->splits.test);
    EXPECT_TRUE(predictions.ok());
    std::vector<double> out;
    for (std::size_t c = 0; c < dataset_->criteria.size(); ++c) {
      std::vector<double> gold;
      std::vector<double> pred;
      for (std::size_t i = 0; i < predictions->size(); ++i) {
        auto v = (*predictions)[i].Value(c);
        EXPECT_TRUE(v.has_value());
        if (!v) continue;
        gold.push_back(dataset_->examples[dataset_->splits.test[i]].gold[c]);
        pred.push_back(*v);
      }
      out.push_back(metrics::Spearman(gold, pred));
    }
    out.push_back(std::accumulate(out.begin(), out.end(), 0.0) / dataset_->criteria.size());
    return out;
  }

  static void Print(const std::string& label, const std::vector<double>& rho) {
    std::cout << "[calibration] " << label << ":";
    for (double r : rho) std::cout << " " << r;
    std::cout << " (fluency relevance coherence consistency average)\n";
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<SimClient> client_;
};

// The capacity band (issue 17): the seed prompt is modest (the study's 0.26-0.31 is checked on
// the study's grid by SimStudyGridTest; one simulator seed here varies by a few hundredths), and
// covering every concept moves the judge up only by a band as narrow as the study's best
// single-task gain allows (noise 0.66 -> 0.55 of the span), never to the 0.6+ an unbounded judge
// would reach.
TEST_F(SimCalibrationTest, SeedPromptIsModestAndCoverageMovesItOnlyWithinTheBand) {
  std::vector<double> seed = TestSpearman(Covering(0));
  std::vector<double> most = TestSpearman(Covering(6));
  std::vector<double> all = TestSpearman(Covering(8));
  Print("seed", seed);
  Print("6 of 8 concepts", most);
  Print("8 of 8 concepts", all);
  EXPECT_GE(seed.back(), 0.22);
  EXPECT_LE(seed.back(), 0.34);
  EXPECT_GT(most.back(), seed.back() + 0.01);
  EXPECT_GE(all.back(), most.back() - 0.01);
  EXPECT_LT(all.back(), seed.back() + 0.15);
}

// Every rendered test-split prompt of both built-in datasets is matched to its example, so the
// judge answers from the real gold (multi-line SummEval articles, BRIGHTER's free text).
TEST(SimRealDataTest, EveryRenderedSampleIsFound) {
  for (const char* name : {"summeval", "brighter"}) {
    const data::BuiltinDataset* builtin = data::FindBuiltinDataset(name);
    ASSERT_NE(builtin, nullptr);
    std::string dir = std::string(kDataRoot) + "/" + std::string(builtin->directory);
    if (!std::filesystem::exists(dir)) JO_SKIP_OR_FAIL() << "no " << dir;
    data::DataLocator locator(kDataRoot, "", {});
    auto loaded = data::LoadDataset(name, locator, {});
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    auto dataset = std::make_shared<data::Dataset>(std::move(*loaded));
    auto client = SimClient::Create(dataset);
    ASSERT_TRUE(client.ok());
    JudgeRole role((*client)->world(), (*client)->options());
    judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(*dataset);
    const auto& test = dataset->splits.test;
    ASSERT_FALSE(test.empty());
    for (std::size_t i = 0; i < test.size() && i < 500; ++i) {
      const data::Example& ex = dataset->examples[test[i]];
      auto text = judge::RenderTaskPrompt(prompt, *dataset, ex);
      ASSERT_TRUE(text.ok()) << text.error().ToString();
      auto reading = role.Judge({*text, 0, 0.0});
      ASSERT_TRUE(reading.ok()) << reading.error().ToString();
      EXPECT_TRUE(reading->sample_known) << name << " " << ex.id;
      ASSERT_EQ(reading->criteria.size(), dataset->criteria.size());
      EXPECT_TRUE(reading->criteria[0].gold_from_dataset) << name << " " << ex.id;
    }
  }
}

}  // namespace
}  // namespace judgeopt::sim
