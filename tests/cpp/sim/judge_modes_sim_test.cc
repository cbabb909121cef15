// The judge modes against the simulator: the simulated judge reads the sectioned layout and
// answers it in score lines, its interference rule per layout (docs/simulator.md, "Judge
// modes"), and on SummEval test examples the accuracy a long instruction costs the short
// criteria per mode.

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>

#include "cpp/sim/sim_test_util.h"
#include "cpp/skip_policy.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/judge/judge.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/metrics/correlation.h"
#include "judgeopt/sim/judge_prompt_reader.h"
#include "judgeopt/sim/judge_role.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim {
namespace {

constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

// About 150 words of fluency guidance: long enough to crowd out the other criteria's short
// instructions in one prompt.
std::string LongFluencyInstruction() {
  std::string text = "Give a score from 1 (poor) to 5 (excellent).";
  const std::string sentence =
      " Read every sentence of the summary slowly and on its own, asking whether a careful "
      "editor would leave it exactly as written or would want to change something in it.";
  for (int i = 0; i < 5; ++i) text += sentence;
  return text;
}

judge::JudgePrompt WithLongFluency(const data::Dataset& d) {
  return *judge::JudgePrompt::FromDataset(d).WithInstruction("fluency", LongFluencyInstruction());
}

std::vector<std::string> Names(const data::Dataset& d) {
  std::vector<std::string> out;
  for (const auto& c : d.criteria) out.push_back(c.name);
  return out;
}

TEST(JudgeModesSimTest, ReadsTheSectionedLayoutAsRendered) {
  auto d = testing::SyntheticSummEval(4);
  const judge::JudgePrompt prompt = WithLongFluency(*d);
  auto text = judge::RenderSectionedTaskPrompt(prompt, *d, d->examples[1]);
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(LooksLikeJudgePrompt(*text));
  auto view = ReadJudgePrompt(*text, Names(*d));
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  EXPECT_TRUE(view->sectioned);
  ASSERT_EQ(view->entries.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(view->entries[i].criterion, d->criteria[i].name);
    EXPECT_EQ(view->entries[i].instruction, prompt.instructions()[i].text);
    ASSERT_TRUE(view->entries[i].shown_scale.has_value());
    EXPECT_EQ(view->entries[i].shown_scale->max, 5);
  }
  EXPECT_EQ(view->sample_block,
            "Summary: " + d->examples[1].inputs[0] + "\nSource Text: " + d->examples[1].inputs[1]);
  // The joint layout still reads as before.
  auto joint = judge::RenderTaskPrompt(prompt, *d, d->examples[1]);
  auto joint_view = ReadJudgePrompt(*joint, Names(*d));
  ASSERT_TRUE(joint_view.ok());
  EXPECT_FALSE(joint_view->sectioned);
  EXPECT_EQ(joint_view->entries.size(), 4u);
}

TEST(JudgeModesSimTest, SectionedPromptWithoutSectionsIsABadRequest) {
  const std::string text =
      "Task.\n\n## Sample:\nSummary: s\nSource Text: t\n\n"
      "## Criteria (score each one right after reading its instruction):\n\n## Response:\n";
  EXPECT_TRUE(LooksLikeJudgePrompt(text));
  auto view = ReadJudgePrompt(text, {"fluency"});
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.error().message.find("### 1."), std::string::npos);
}

class JudgeModesRuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.malformed.SetAll(0.0);
    auto client = SimClient::Create(dataset_, options_);
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }
  JudgeReading Read(const std::string& text) const {
    JudgeRole role(client_->world(), client_->options());
    auto reading = role.Judge({text, 7, 0.0});
    EXPECT_TRUE(reading.ok());
    return reading.ok() ? *reading : JudgeReading{};
  }

  std::shared_ptr<data::Dataset> dataset_ = testing::SyntheticSummEval(4);
  SimOptions options_;
  std::unique_ptr<SimClient> client_;
};

// The documented rule: interference = 1 + gain * x / (x + half_words) in the joint and the
// sectioned layout alike (no rule reads the layout), and no other criterion in a per-criterion
// prompt.
TEST_F(JudgeModesRuleTest, InterferenceFollowsTheLayout) {
  const judge::JudgePrompt prompt = WithLongFluency(*dataset_);
  const data::Example& ex = dataset_->examples[0];
  const JudgeReading joint = Read(*judge::RenderTaskPrompt(prompt, *dataset_, ex));
  const JudgeReading sectioned = Read(*judge::RenderSectionedTaskPrompt(prompt, *dataset_, ex));
  const JudgeReading alone = Read(*judge::RenderTaskPrompt(prompt, *dataset_, ex, "relevance"));
  ASSERT_EQ(joint.criteria.size(), 4u);
  ASSERT_EQ(sectioned.criteria.size(), 4u);
  ASSERT_EQ(alone.criteria.size(), 1u);
  EXPECT_TRUE(sectioned.sectioned);
  const SimConstants& k = options_.constants;
  for (std::size_t c = 1; c < 4; ++c) {  // the short criteria
    const double joint_excess = joint.criteria[c].interference - 1.0;
    EXPECT_GT(joint_excess, 0.2 * k.interference_gain);
    // Everything about the criterion is the same in both layouts.
    EXPECT_EQ(sectioned.criteria[c].interference, joint.criteria[c].interference);
    EXPECT_EQ(sectioned.criteria[c].coverage, joint.criteria[c].coverage);
    EXPECT_EQ(sectioned.criteria[c].bias, joint.criteria[c].bias);
    EXPECT_EQ(sectioned.criteria[c].gold, joint.criteria[c].gold);
  }
  EXPECT_EQ(alone.criteria[0].interference, 1.0);
  EXPECT_EQ(alone.criteria[0].bias, joint.criteria[1].bias);
  EXPECT_EQ(joint.criteria[0].interference, 1.0);  // the longest is never penalized
}

TEST_F(JudgeModesRuleTest, SectionedRepliesAreScoreLinesTheJudgeReads) {
  WorkPool pool(2);
  std::vector<std::size_t> positions(dataset_->examples.size());
  std::iota(positions.begin(), positions.end(), 0);
  const judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(*dataset_);
  judge::JudgeSettings settings;
  settings.temperature = 0.0;
  settings.max_reasks = 0;
  std::vector<std::vector<judge::Prediction>> by_mode;
  for (judge::JudgeMode mode :
       {judge::JudgeMode::kJoint, judge::JudgeMode::kSectioned, judge::JudgeMode::kPerCriterion}) {
    settings.mode = mode;
    judge::Judge judge(*client_, pool, settings);
    auto preds = judge.Predict(*dataset_, prompt, positions);
    ASSERT_TRUE(preds.ok());
    by_mode.push_back(*preds);
  }
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const judge::Prediction& sectioned = by_mode[1][i];
    EXPECT_EQ(sectioned.raw_reply.find('{'), std::string::npos) << sectioned.raw_reply;
    EXPECT_EQ(sectioned.raw_reply.substr(0, 9), "fluency: ");
    EXPECT_EQ(by_mode[2][i].replies.size(), 4u);
    // Equal instruction lengths: no interference anywhere, and at temperature 0 the persistent
    // error is the same in every layout, so all three modes agree.
    for (std::size_t c = 0; c < 4; ++c) {
      ASSERT_TRUE(sectioned.Value(c).has_value());
      EXPECT_EQ(sectioned.Value(c), by_mode[0][i].Value(c));
      EXPECT_EQ(by_mode[2][i].Value(c), by_mode[0][i].Value(c));
    }
  }
}

// ---- SummEval: what one long instruction costs the short criteria ---------------------------

class JudgeModesSummEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(kDataRoot) + "/summeval/summeval.jsonl")) {
      JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
    }
    data::DataLocator locator(kDataRoot, "", {});
    auto loaded = data::LoadDataset("summeval", locator, {});
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    dataset_ = std::make_shared<data::Dataset>(std::move(*loaded));
    SimOptions options;
    options.malformed.SetAll(0.0);
    auto client = SimClient::Create(dataset_, options);
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  // Short criteria: the seed sentence plus the names of their first three concepts, so that
  // their scores carry signal a longer neighbour can drown.
  judge::JudgePrompt Base() const {
    judge::JudgePrompt prompt = judge::JudgePrompt::FromDataset(*dataset_);
    for (const auto& c : client_->world().criteria()) {
      std::string text = "Give a score from 1 (poor) to 5 (excellent). Look at";
      for (int i = 0; i < 3; ++i) text += (i > 0 ? ", " : " ") + c.concepts[i].name;
      prompt = *prompt.WithInstruction(c.name, text + ".");
    }
    return prompt;
  }

  // Test-split predictions of `prompt` in `mode` (temperature 0: only the persistent error).
  std::vector<judge::Prediction> Predict(const judge::JudgePrompt& prompt,
                                         judge::JudgeMode mode) const {
    WorkPool pool(2);
    judge::JudgeSettings settings;
    settings.temperature = 0.0;
    settings.mode = mode;
    judge::Judge judge(*client_, pool, settings);
    auto preds = judge.Predict(*dataset_, prompt, Positions());
    EXPECT_TRUE(preds.ok());
    return preds.ok() ? *preds : std::vector<judge::Prediction>{};
  }

  // The first 200 test examples: enough for a stable Spearman, few enough for a quick test.
  std::vector<std::size_t> Positions() const {
    const auto& test = dataset_->splits.test;
    return {test.begin(), test.begin() + std::min<std::ptrdiff_t>(200, std::ssize(test))};
  }

  // Mean Spearman over the short criteria (relevance, coherence, consistency).
  double ShortCriteriaSpearman(const std::vector<judge::Prediction>& preds) const {
    double sum = 0;
    for (std::size_t c = 1; c < 4; ++c) {
      std::vector<double> gold;
      std::vector<double> pred;
      for (std::size_t i = 0; i < preds.size(); ++i) {
        auto v = preds[i].Value(c);
        if (!v) continue;
        gold.push_back(dataset_->examples[dataset_->splits.test[i]].gold[c]);
        pred.push_back(*v);
      }
      sum += metrics::Spearman(gold, pred);
    }
    return sum / 3;
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<SimClient> client_;
};

// Holds by construction of the simulator's interference rule (docs/simulator.md): the long
// fluency instruction multiplies the short criteria's noise by 1 + gain * x / (x + half) in any
// prompt that shows it — the joint and the sectioned layout alike, since no rule reads the
// layout — and not at all in a per-criterion call, which does not show it. At temperature 0 the
// error is the same persistent draw in every layout. The test checks that the judge modes carry
// the rule through rendering, parsing and merging on real data (SIMULATED numbers, not a finding
// about LLMs).
TEST_F(JudgeModesSummEvalTest, LongInstructionCostsShortCriteriaOnlyWhereThePromptShowsIt) {
  const judge::JudgePrompt base = Base();
  const judge::JudgePrompt crowded = *base.WithInstruction("fluency", LongFluencyInstruction());
  auto loss = [&](judge::JudgeMode mode) {
    return ShortCriteriaSpearman(Predict(base, mode)) -
           ShortCriteriaSpearman(Predict(crowded, mode));
  };
  const double joint = loss(judge::JudgeMode::kJoint);
  const double sectioned = loss(judge::JudgeMode::kSectioned);
  const double per_criterion = loss(judge::JudgeMode::kPerCriterion);
  std::cout << "[simulated] short-criteria Spearman lost to a long fluency instruction: joint "
            << joint << ", sectioned " << sectioned << ", per-criterion " << per_criterion << "\n";
  EXPECT_GT(joint, 0.02);
  EXPECT_EQ(sectioned, joint);
  EXPECT_LT(per_criterion, joint);
  // A per-criterion call for a short criterion is the same request with either prompt.
  EXPECT_EQ(per_criterion, 0.0);
}

}  // namespace
}  // namespace judgeopt::sim
