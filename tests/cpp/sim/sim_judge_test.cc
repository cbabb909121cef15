// Behaviour of the simulated judge on a synthetic dataset: determinism, the three error terms of
// the world model, temperature, malformed replies, and errors.

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "cpp/sim/sim_test_util.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/sim/judge_role.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::sim {
namespace {

using testing::JudgePromptText;
using testing::Pairs;
using testing::UserRequest;

constexpr int kExamples = 400;
// Contains no concept phrase of any shipped criterion (checked in NeutralFillerMentionsNothing).
constexpr const char* kFiller = " Read the whole text and then decide on one number.";

class SimJudgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = testing::SyntheticSummEval(kExamples);
    SimOptions options;
    options.seed = 11;
    options.malformed.SetAll(0.0);
    auto client = SimClient::Create(dataset_, options);
    ASSERT_TRUE(client.ok()) << client.error().ToString();
    client_ = std::move(*client);
  }

  const CriterionModel& Model(const std::string& name) const {
    return client_->world().criteria()[client_->world().FindCriterion(name)];
  }

  // "Check <first k concept names of c>." plus `filler` copies of kFiller.
  std::string Covering(const std::string& c, int k, int filler = 0) const {
    std::string out = "Rate from 1 to 5. Check";
    const auto& concepts = Model(c).concepts;
    for (int i = 0; i < k; ++i) out += " " + concepts[i].name + ";";
    for (int i = 0; i < filler; ++i) out += kFiller;
    return out;
  }

  // The judge module's own rendering, so these tests read exactly what the judge sends.
  std::string Prompt(const data::Example& ex, const Pairs& instructions) const {
    std::vector<judge::CriterionInstruction> list;
    for (const auto& [name, text] : instructions) list.push_back({name, text});
    judge::JudgePrompt prompt(dataset_->preamble, true, list);
    auto text = judge::RenderTaskPrompt(prompt, *dataset_, ex);
    EXPECT_TRUE(text.ok()) << text.error().ToString();
    return text.ok() ? *text : "";
  }

  JudgeReading Read(const std::string& prompt, double temperature = 0.0) const {
    JudgeRole role(client_->world(), client_->options());
    llm::ChatRequest r = UserRequest(prompt, temperature);
    auto reading = role.Judge({prompt, SimClient::CallKey(client_->options().seed, r),
                               temperature});
    EXPECT_TRUE(reading.ok()) << reading.error().ToString();
    return *reading;
  }

  // Predictions per criterion over every example, parsed from the replies.
  std::map<std::string, std::vector<double>> Predict(const Pairs& instructions) {
    std::map<std::string, std::vector<double>> out;
    for (const auto& ex : dataset_->examples) {
      auto reply = client_->Complete(UserRequest(Prompt(ex, instructions)));
      EXPECT_TRUE(reply.ok()) << reply.error().ToString();
      auto j = nlohmann::json::parse(reply->content);
      for (const auto& [name, text] : instructions) out[name].push_back(j.at(name).get<double>());
    }
    return out;
  }

  std::vector<double> Gold(const std::string& c) const {
    std::vector<double> g;
    int idx = dataset_->CriterionIndex(c);
    for (const auto& ex : dataset_->examples) g.push_back(ex.gold[idx]);
    return g;
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<SimClient> client_;
};

Pairs Uniform(const std::vector<std::string>& names, const std::string& text) {
  Pairs out;
  for (const auto& n : names) out.emplace_back(n, text);
  return out;
}

const std::vector<std::string> kCriteria = {"fluency", "relevance", "coherence", "consistency"};

TEST_F(SimJudgeTest, NeutralFillerMentionsNothing) {
  for (const auto& m : client_->world().criteria()) {
    EXPECT_EQ(CountMentions(m.concepts, AsciiLower(kFiller)), 0) << m.name;
    EXPECT_EQ(m.concepts.size(), 8u);
  }
}

TEST_F(SimJudgeTest, ReplyIsOneJsonObjectOfEveryCriterionInPromptOrder) {
  std::string p = Prompt(dataset_->examples[3], Uniform(kCriteria, "Rate from 1 to 5."));
  auto reply = client_->Complete(UserRequest(p));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  auto j = nlohmann::ordered_json::parse(reply->content);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) {
    keys.push_back(k);
    ASSERT_TRUE(v.is_number_integer()) << reply->content;
    EXPECT_GE(v.get<int>(), 1);
    EXPECT_LE(v.get<int>(), 5);
  }
  EXPECT_EQ(keys, kCriteria);
  EXPECT_EQ(reply->finish_reason, "stop");
  EXPECT_EQ(reply->model, "sim");
  EXPECT_TRUE(Read(p).sample_known);
}

TEST_F(SimJudgeTest, SameRequestSameReplyAndSeedsMatterWhereTheyShould) {
  Pairs seed = Uniform(kCriteria, "Rate from 1 to 5.");
  SimOptions other_seed = client_->options();
  other_seed.seed = 12;
  auto other = SimClient::Create(dataset_, other_seed);
  ASSERT_TRUE(other.ok());
  auto again = SimClient::Create(dataset_, client_->options());
  ASSERT_TRUE(again.ok());
  int differs_by_sim_seed = 0;
  int differs_by_request_seed = 0;
  for (int i = 0; i < 50; ++i) {
    std::string p = Prompt(dataset_->examples[i], seed);
    llm::ChatRequest cold = UserRequest(p, 0.0);
    std::string a = client_->Complete(cold)->content;
    EXPECT_EQ(a, client_->Complete(cold)->content);
    EXPECT_EQ(a, (*again)->Complete(cold)->content);
    differs_by_sim_seed += a != (*other)->Complete(cold)->content ? 1 : 0;
    // At temperature 0 the request seed and sample index change nothing.
    llm::ChatRequest cold_seeded = cold;
    cold_seeded.seed = 5;
    cold_seeded.sample_index = 3;
    EXPECT_EQ(a, client_->Complete(cold_seeded)->content);
    // At temperature 1 the request seed does, for some examples; the sample index alone never
    // does (it does not go over the wire: a repeated sample differs by its seed).
    llm::ChatRequest hot = UserRequest(p, 1.0);
    llm::ChatRequest hot_index = hot;
    hot_index.sample_index = 1;
    llm::ChatRequest hot_seed = hot;
    hot_seed.seed = 99;
    const std::string h = client_->Complete(hot)->content;
    EXPECT_EQ(h, client_->Complete(hot)->content);
    EXPECT_EQ(h, client_->Complete(hot_index)->content);
    differs_by_request_seed += h != client_->Complete(hot_seed)->content ? 1 : 0;
  }
  EXPECT_GT(differs_by_sim_seed, 10);
  EXPECT_GT(differs_by_request_seed, 10);
}

TEST_F(SimJudgeTest, AccuracyRisesWithConceptCoverage) {
  double last_spearman = -1;
  double first_spearman = 0;
  double last_mae = 1e9;
  for (int k : {0, 4, 8}) {
    Pairs instructions;
    for (const auto& c : kCriteria) instructions.emplace_back(c, Covering(c, k));
    auto pred = Predict(instructions);
    double spearman = 0;
    double mae = 0;
    for (const auto& c : kCriteria) {
      spearman += testing::Spearman(Gold(c), pred[c]) / kCriteria.size();
      mae += testing::Mae(Gold(c), pred[c]) / kCriteria.size();
    }
    // Within the capacity band (issue 17): every 4 more concepts still help, a little.
    EXPECT_GT(spearman, last_spearman + 0.01) << "k=" << k;
    if (k == 0) first_spearman = spearman;
    EXPECT_LT(mae, last_mae) << "k=" << k;
    last_spearman = spearman;
    last_mae = mae;
    JudgeReading r = Read(Prompt(dataset_->examples[0], instructions));
    for (const auto& s : r.criteria) EXPECT_DOUBLE_EQ(s.coverage, k / 8.0) << s.criterion;
  }
  EXPECT_LT(last_spearman, first_spearman + 0.2);  // the band's ceiling
}

TEST_F(SimJudgeTest, ConceptsOfAnotherCriterionRaiseThatCriterionsError) {
  // fluency's instruction gets 4 coherence concepts, or (control) neutral words of the same
  // length, so that interference is the same in both prompts.
  Pairs base;
  for (const auto& c : kCriteria) base.emplace_back(c, Covering(c, 4));
  Pairs mixed = base;
  mixed[0].second = Covering("fluency", 4) + " Also" + Covering("coherence", 4).substr(17);
  Pairs control = base;
  control[0].second = Covering("fluency", 4);
  while (CountWords(control[0].second) < CountWords(mixed[0].second)) control[0].second += " then";
  ASSERT_EQ(CountWords(control[0].second), CountWords(mixed[0].second));

  double mae_mixed = testing::Mae(Gold("fluency"), Predict(mixed)["fluency"]);
  double mae_control = testing::Mae(Gold("fluency"), Predict(control)["fluency"]);
  EXPECT_GT(mae_mixed, mae_control + 0.2);
  JudgeReading r_mixed = Read(Prompt(dataset_->examples[0], mixed));
  JudgeReading r_control = Read(Prompt(dataset_->examples[0], control));
  // The control's bias is the judge's own leniency for fluency; the mixed prompt adds to it.
  EXPECT_NE(r_mixed.criteria[0].bias, r_control.criteria[0].bias);
  EXPECT_LE(std::abs(r_control.criteria[0].bias), SimConstants().leniency_max * 4);
  EXPECT_DOUBLE_EQ(r_mixed.criteria[0].coverage, r_control.criteria[0].coverage);
  EXPECT_DOUBLE_EQ(r_mixed.criteria[0].sd, r_control.criteria[0].sd);
}

TEST_F(SimJudgeTest, LongerOtherInstructionsRaiseAShortInstructionsError) {
  Pairs even;
  for (const auto& c : kCriteria) even.emplace_back(c, Covering(c, 3));
  Pairs crowded = even;
  for (std::size_t i = 1; i < crowded.size(); ++i) {
    crowded[i].second = Covering(kCriteria[i], 3, 12);
  }

  double mae_even = testing::Mae(Gold("fluency"), Predict(even)["fluency"]);
  double mae_crowded = testing::Mae(Gold("fluency"), Predict(crowded)["fluency"]);
  EXPECT_GT(mae_crowded, mae_even + 0.05);
  JudgeReading r_even = Read(Prompt(dataset_->examples[0], even));
  JudgeReading r_crowded = Read(Prompt(dataset_->examples[0], crowded));
  EXPECT_LT(r_even.criteria[0].interference, 1.05);  // concept names differ a little in length
  EXPECT_GT(r_crowded.criteria[0].interference, 1.2);
  // The long instructions themselves are not penalized for being longer.
  EXPECT_DOUBLE_EQ(r_crowded.criteria[1].interference, 1.0);
}

TEST_F(SimJudgeTest, TemperatureScalesOnlyThePerCallNoise) {
  std::string p = Prompt(dataset_->examples[5], Uniform(kCriteria, "Rate from 1 to 5."));
  JudgeReading cold = Read(p, 0.0);
  JudgeReading warm = Read(p, 0.5);
  for (std::size_t i = 0; i < cold.criteria.size(); ++i) {
    EXPECT_DOUBLE_EQ(cold.criteria[i].sd, warm.criteria[i].sd);
    EXPECT_NE(cold.criteria[i].noise, warm.criteria[i].noise);
  }
}

TEST_F(SimJudgeTest, MalformedShareAndEveryKindOccur) {
  SimOptions options = client_->options();
  options.malformed.judge = 0.3;
  auto client = SimClient::Create(dataset_, options);
  ASSERT_TRUE(client.ok());
  std::map<std::string, int> kinds;
  constexpr int kCalls = 1600;
  for (int i = 0; i < kCalls; ++i) {
    llm::ChatRequest r = UserRequest(
        Prompt(dataset_->examples[i % kExamples], Uniform(kCriteria, "Rate from 1 to 5.")), 0.1);
    r.sample_index = i / kExamples;
    std::string reply = (*client)->Complete(r)->content;
    std::string kind = "ok";
    if (reply.empty()) {
      kind = "empty";
    } else if (reply.find("```") != std::string::npos) {
      kind = "fence";
    } else if (reply.front() != '{') {
      kind = "prose";
    } else if (!nlohmann::json::accept(reply)) {
      kind = "invalid";
    } else {
      auto j = nlohmann::json::parse(reply);
      if (j.size() < kCriteria.size()) kind = "missing";
      for (const auto& [k, v] : j.items()) {
        if (v.get<double>() < 1 || v.get<double>() > 5) kind = "range";
      }
    }
    ++kinds[kind];
  }
  EXPECT_NEAR(1.0 - static_cast<double>(kinds["ok"]) / kCalls, 0.3, 0.04);
  for (const char* k : {"empty", "fence", "prose", "invalid", "missing", "range"}) {
    EXPECT_GT(kinds[k], 30) << k;
  }
}

TEST_F(SimJudgeTest, UnrecognizedPromptIsAClearError) {
  auto reply = client_->Complete(UserRequest("Write a haiku about summaries."));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(reply.error().message.find("unrecognized prompt"), std::string::npos);
  EXPECT_NE(reply.error().message.find("Write a haiku"), std::string::npos);
  EXPECT_FALSE(client_->Complete(llm::ChatRequest{}).ok());

  std::string p = Prompt(dataset_->examples[0], Uniform(kCriteria, "Rate."));
  auto role = client_->RecognizeRole(UserRequest(p));
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(*role, SimRole::kJudge);
}

TEST_F(SimJudgeTest, ReAskConversationIsStillReadAsAJudgePrompt) {
  llm::ChatRequest r = UserRequest(Prompt(dataset_->examples[0], Uniform(kCriteria, "Rate.")));
  r.messages.push_back({"assistant", "I think it is good."});
  r.messages.push_back({"user", "Reply with the JSON object only."});
  auto reply = client_->Complete(r);
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_TRUE(nlohmann::json::accept(reply->content));
}

TEST_F(SimJudgeTest, UnknownSamplesAndCriteriaGetAPseudoGold) {
  std::set<std::string> replies;
  for (int i = 0; i < 30; ++i) {
    std::string p = JudgePromptText("Rate.", {{"fluency", "Rate."}, {"tone", "Rate."}},
                                    {{"Summary", "never seen " + std::to_string(i)},
                                     {"Source Text", "nor this"}},
                                    true, "0|1|2|3");
    JudgeReading r = Read(p);
    EXPECT_FALSE(r.sample_known);
    ASSERT_EQ(r.criteria.size(), 2u);
    EXPECT_FALSE(r.criteria[1].gold_from_dataset);
    EXPECT_EQ(r.criteria[1].scale.max, 3);  // from the output-format line
    EXPECT_EQ(r.criteria[0].scale.max, 5);  // the dataset's scale wins for known criteria
    auto reply = client_->Complete(UserRequest(p));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->content, client_->Complete(UserRequest(p))->content);
    replies.insert(reply->content);
  }
  EXPECT_GT(replies.size(), 5u);

  auto bare = SimClient::Create(nullptr);
  ASSERT_TRUE(bare.ok());
  std::string p = Prompt(dataset_->examples[0], Uniform(kCriteria, "Rate."));
  EXPECT_TRUE((*bare)->Complete(UserRequest(p)).ok());
}

TEST_F(SimJudgeTest, UsageIsBytesOverFourAndMaxTokensCuts) {
  llm::ChatRequest r = UserRequest(Prompt(dataset_->examples[0], Uniform(kCriteria, "Rate.")));
  auto full = client_->Complete(r);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->usage.prompt_tokens, llm::ApproxPromptTokens(r));
  EXPECT_EQ(full->usage.completion_tokens, llm::ApproxTokens(full->content));
  r.max_tokens = 2;
  auto cut = client_->Complete(r);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->content, full->content.substr(0, 8));
  EXPECT_EQ(cut->finish_reason, "length");
}

TEST_F(SimJudgeTest, ConcurrentCallsGiveTheSequentialReplies) {
  constexpr std::size_t kN = 64;
  std::vector<llm::ChatRequest> requests;
  std::vector<std::string> sequential;
  for (std::size_t i = 0; i < kN; ++i) {
    requests.push_back(UserRequest(
        Prompt(dataset_->examples[i], Uniform(kCriteria, "Rate.")), 0.7));
    sequential.push_back(client_->Complete(requests.back())->content);
  }
  std::vector<std::string> parallel(kN);
  WorkPool pool(4);
  pool.ParallelFor(kN, [&](std::size_t i) {
    parallel[i] = client_->Complete(requests[i])->content;
  });
  EXPECT_EQ(parallel, sequential);
}

}  // namespace
}  // namespace judgeopt::sim
