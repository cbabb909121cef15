// The simulator behind the real judge (judge::Judge: rendering, parsing, re-asks).

#include <gtest/gtest.h>

#include <numeric>

#include "cpp/sim/sim_test_util.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim {
namespace {

TEST(SimWithJudgeTest, ReAsksRecoverMalformedRepliesAndSamplesAreFound) {
  auto dataset = testing::SyntheticSummEval(200);
  SimOptions options;
  options.malformed.judge = 0.2;
  auto client = SimClient::Create(dataset, options);
  ASSERT_TRUE(client.ok());
  WorkPool pool(3);
  judge::JudgeSettings settings;
  settings.max_reasks = 3;
  settings.reask_on_missing = true;
  judge::Judge judge(**client, pool, settings);
  std::vector<std::size_t> positions(dataset->examples.size());
  std::iota(positions.begin(), positions.end(), 0);
  auto predictions = judge.Predict(*dataset, judge::JudgePrompt::FromDataset(*dataset), positions);
  ASSERT_TRUE(predictions.ok()) << predictions.error().ToString();

  int reasked = 0;
  int complete = 0;
  for (const auto& p : *predictions) {
    reasked += p.attempts > 1 ? 1 : 0;
    bool all = true;
    for (std::size_t c = 0; c < dataset->criteria.size(); ++c) all = all && p.Value(c).has_value();
    complete += all ? 1 : 0;
  }
  // About 2/3 of the 20% malformed replies are unusable (missing, out of range, invalid, empty).
  EXPECT_GT(reasked, 10);
  EXPECT_GE(complete, 198);

  // Each rendered prompt is matched to its example: the seed-prompt predictions carry signal.
  std::vector<double> gold;
  std::vector<double> pred;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    auto v = (*predictions)[i].Value(2);  // coherence
    if (!v) continue;
    gold.push_back(dataset->examples[i].gold[2]);
    pred.push_back(*v);
  }
  EXPECT_GT(testing::Spearman(gold, pred), 0.2);
}

}  // namespace
}  // namespace judgeopt::sim
