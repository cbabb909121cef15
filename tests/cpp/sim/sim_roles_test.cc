// The simulator's optimization roles (loss, gradient, optimizer, diagnostics, OPRO), driven with
// prompts from the real prompts/ builders, so a layout change makes these tests fail.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "cpp/sim/sim_roles_util.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/diagnostics.h"
#include "judgeopt/prompts/opro.h"
#include "judgeopt/prompts/optimizer.h"
#include "judgeopt/prompts/parse.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"

namespace judgeopt::sim {
namespace {

namespace op = prompts;
using testing::Ask;
using testing::ConceptsOf;
using testing::Covering;
using testing::kSummEvalCriteria;
using testing::MentionedNames;

class SimRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = testing::SyntheticSummEval(24);
    client_ = testing::MakeClient(dataset_);
  }

  // The judge prompt with `instructions` (criterion -> text) over the dataset's seed prompt.
  judge::JudgePrompt PromptWith(const std::vector<std::pair<std::string, std::string>>& set) const {
    judge::JudgePrompt p = judge::JudgePrompt::FromDataset(*dataset_);
    for (const auto& [c, text] : set) p = *p.WithInstruction(c, text);
    return p;
  }

  std::string System(const judge::JudgePrompt& p, std::optional<std::string> only = {}) const {
    auto text = judge::RenderInstructions(p, *dataset_, only);
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : "";
  }

  op::JudgedSample Sample(int i, std::vector<double> values = {3, 3, 3, 3}) const {
    return testing::Judged(*dataset_, dataset_->examples[i], kSummEvalCriteria, values);
  }

  // A gradient S reply for `criterion` whose instruction is `instruction`.
  std::string GradientS(const std::string& criterion, const std::string& instruction,
                        const std::string& critique, int64_t seed) {
    auto p = PromptWith({{criterion, instruction}});
    return Ask(*client_, op::GradientPromptSeparate(System(p, criterion), Sample(seed % 20),
                                                    criterion, critique, instruction),
               seed);
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<SimClient> client_;
};

TEST_F(SimRolesTest, EveryBuilderPromptGoesToItsRole) {
  op::Outcome o{"fluency", op::Score{3, ""}, op::Score{4, ""}};
  std::vector<op::Outcome> all = {o, {"coherence", op::Score{2, ""}, op::Score{2, ""}}};
  auto p = PromptWith({});
  std::vector<op::Instruction> ins = {{"fluency", "Rate."}, {"coherence", "Rate."}};
  std::vector<op::CriterionText> fb = {{"fluency", "x"}, {"coherence", "y"}};
  std::vector<op::JudgedSample> samples = {Sample(0)};
  std::vector<std::string> grads = {"g"};
  std::vector<op::CriterionGradients> cg = {{"fluency", grads}};
  op::OproPromptInput opro;
  opro.criteria = {"fluency"};
  opro.entries = {{{{"fluency", "Rate.", 0.5}}, 0.5}};
  const std::vector<std::pair<std::string, SimRole>> cases = {
      {op::LossPromptSeparate(o), SimRole::kLoss},
      {op::LossPromptCombined(all), SimRole::kLoss},
      {op::GradientPromptSeparate(System(p, "fluency"), Sample(0), "fluency", "c", "Rate."),
       SimRole::kGradient},
      {op::GradientPromptCombined(System(p), Sample(0), fb, ins), SimRole::kGradient},
      {op::OptimizerPromptSeparate("fluency", "Rate.", System(p, "fluency"), samples, grads),
       SimRole::kOptimizer},
      {op::OptimizerPromptCombined(ins, System(p), samples, cg), SimRole::kOptimizer},
      {op::SpecificityPrompt("fluency", kSummEvalCriteria, "g"), SimRole::kDiagnostic},
      {op::AdherencePrompt("fluency", "a", "b", "g"), SimRole::kDiagnostic},
      {op::OproMetaPrompt(opro), SimRole::kOpro},
  };
  for (const auto& [prompt, role] : cases) {
    auto got = client_->RecognizeRole(testing::UserRequest(prompt));
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    EXPECT_EQ(*got, role) << prompt.substr(0, 120);
  }
}

TEST_F(SimRolesTest, LossStatesVerdictDifferenceAndDirectionPerCriterion) {
  std::string under = Ask(*client_, op::LossPromptSeparate({"fluency", op::Score{3, ""},
                                                           op::Score{5, ""}}));
  EXPECT_NE(under.find("fluency: INCORRECT"), std::string::npos) << under;
  EXPECT_NE(under.find("difference: 2.00"), std::string::npos) << under;
  EXPECT_NE(under.find("under-rated"), std::string::npos) << under;
  EXPECT_NE(under.find("right score is 5"), std::string::npos) << under;

  std::string right = Ask(*client_, op::LossPromptSeparate({"fluency", op::Score{4, "4.0"},
                                                           op::Score{4, ""}}));
  EXPECT_EQ(right.rfind("fluency: CORRECT", 0), 0u) << right;

  std::string none = Ask(*client_, op::LossPromptSeparate({"fluency", std::nullopt,
                                                          op::Score{2, ""}}));
  EXPECT_NE(none.find("INCORRECT"), std::string::npos);
  EXPECT_NE(none.find("right score is 2"), std::string::npos) << none;

  std::vector<op::Outcome> all = {{"fluency", op::Score{5, ""}, op::Score{3, ""}},
                                  {"relevance", op::Score{3, ""}, op::Score{3, ""}},
                                  {"coherence", op::Score{1, ""}, op::Score{2.5, ""}},
                                  {"consistency", op::Score{4, ""}, std::nullopt}};
  std::string c = Ask(*client_, op::LossPromptCombined(all));
  auto lines = SplitLines(c);
  ASSERT_EQ(lines.size(), 5u) << c;
  EXPECT_NE(lines[0].find("fluency: INCORRECT"), std::string::npos);
  EXPECT_NE(lines[0].find("over-rated"), std::string::npos);
  EXPECT_NE(lines[1].find("relevance: CORRECT"), std::string::npos);
  EXPECT_NE(lines[2].find("difference: 1.50"), std::string::npos);
  EXPECT_NE(lines[2].find("under-rated"), std::string::npos);
  EXPECT_NE(lines[3].find("consistency: UNKNOWN"), std::string::npos);
  EXPECT_EQ(lines[4], "Overall: 1 of 4 correct.");
}

TEST_F(SimRolesTest, SeparateGradientNamesItsCriterionsMissingConceptsAndRarelyOverReaches) {
  const std::string wrong = "fluency: INCORRECT. ... so the sample was under-rated.";
  const std::string right = "fluency: CORRECT. The predicted score 4 equals the ground truth 4.";
  int seed = 0;
  int over_reach = 0;
  for (const auto& c : kSummEvalCriteria) {
    for (int k = 0; k <= 8; k += 2) {
      std::string instruction = Covering(*client_, c, k);
      std::set<std::string> covered;
      for (const auto& n : MentionedNames(*client_, c, instruction)) covered.insert(n);
      for (bool correct : {false, true}) {
        std::string g = GradientS(c, instruction, correct ? right : wrong, ++seed);
        EXPECT_EQ(SplitLines(g).size(), 5u) << "3 paragraphs:\n" << g;
        int fresh = 0;
        int foreign = 0;
        for (const auto& d : kSummEvalCriteria) {
          auto named = MentionedNames(*client_, d, g);
          if (d != c) {  // over-reach: only after a wrong score, one concept, proposed for c
            for (const auto& n : named) {
              EXPECT_NE(testing::SentenceWith(g, n).find("'" + c + "'"), std::string::npos);
            }
            foreign += static_cast<int>(named.size());
            continue;
          }
          for (const auto& n : named) {
            if (covered.count(n)) continue;  // a part that works and must stay
            ++fresh;
            std::string sentence = testing::SentenceWith(g, n);
            EXPECT_NE(sentence.find("'" + c + "'"), std::string::npos) << sentence;
          }
        }
        int missing = 8 - static_cast<int>(covered.size());
        EXPECT_EQ(fresh, std::min(correct ? 1 : 2, missing)) << g;
        EXPECT_LE(foreign, correct ? 0 : 1) << g;
        over_reach += foreign;
      }
    }
  }
  // gradient_overreach_share = 0.2 of the 20 gradients after a wrong score.
  EXPECT_GE(over_reach, 1);
  EXPECT_LE(over_reach, 10);
}

TEST_F(SimRolesTest, CombinedGradientMisattributesMoreWithMoreCriteriaAndAddsGenericAdvice) {
  // Share of named concepts whose sentence does not quote their own criterion, by criteria count.
  auto misattributed = [&](int n, int* generic_replies, int* calls) {
    std::vector<std::string> criteria(kSummEvalCriteria.begin(), kSummEvalCriteria.begin() + n);
    const std::string system = System(PromptWith({}));
    std::vector<op::Instruction> ins;
    std::vector<op::CriterionText> fb;
    for (const auto& c : criteria) {
      ins.push_back({c, "Rate from 1 to 5."});
      fb.push_back({c, c + ": INCORRECT."});
    }
    int named = 0, wrong = 0;
    for (int s = 0; s < 150; ++s) {
      std::string g = Ask(*client_, op::GradientPromptCombined(system, Sample(s % 20), fb, ins), s);
      ++*calls;
      *generic_replies += g.find("Be more careful") != std::string::npos ||
                          g.find("overall quality") != std::string::npos ||
                          g.find("whole input") != std::string::npos ||
                          g.find("full range") != std::string::npos;
      for (const auto& c : criteria) {
        for (const auto& name : MentionedNames(*client_, c, g)) {
          ++named;
          wrong += testing::SentenceWith(g, name).find("'" + c + "'") == std::string::npos;
        }
      }
    }
    EXPECT_GT(named, 300);
    return static_cast<double>(wrong) / named;
  };
  int generic1 = 0, calls1 = 0, generic4 = 0, calls4 = 0, generic2 = 0, calls2 = 0;
  double one = misattributed(1, &generic1, &calls1);
  double two = misattributed(2, &generic2, &calls2);
  double four = misattributed(4, &generic4, &calls4);
  EXPECT_EQ(one, 0.0);
  EXPECT_EQ(generic1, 0);
  EXPECT_GT(two, 0.08);
  EXPECT_GT(four, two + 0.2);
  EXPECT_GT(four, 0.4);
  EXPECT_EQ(generic4, calls4);
}

TEST_F(SimRolesTest, SeparateOptimizerAddsTheGradientsConceptsToTheInstruction) {
  const std::string c = "coherence";
  const std::string old = Covering(*client_, c, 1);
  std::vector<std::string> grads;
  std::set<std::string> named;
  for (int s = 0; s < 3; ++s) {
    grads.push_back(GradientS(c, old, "coherence: INCORRECT, over-rated", 40 + s));
    for (const auto& n : MentionedNames(*client_, c, grads.back())) named.insert(n);
  }
  ASSERT_GT(named.size(), 2u);
  std::vector<op::JudgedSample> samples = {Sample(0), Sample(1), Sample(2)};
  auto p = PromptWith({{c, old}});
  std::string reply =
      Ask(*client_, op::OptimizerPromptSeparate(c, old, System(p, c), samples, grads));
  auto parsed = op::ParseSeparateReply(reply);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->rfind(old, 0), 0u) << "the old instruction is kept: " << *parsed;
  auto now = MentionedNames(*client_, c, *parsed);
  for (const auto& n : named) {
    EXPECT_NE(std::find(now.begin(), now.end(), n), now.end()) << n << " not taken up";
  }
  for (const auto& d : kSummEvalCriteria) {
    if (d == c) continue;
    EXPECT_TRUE(MentionedNames(*client_, d, *parsed).empty()) << *parsed;
  }
  // Feedback without concepts adds none (writing errors may still reword or pad the text).
  std::vector<std::string> generic = {"Be more careful when reading the text."};
  reply = Ask(*client_, op::OptimizerPromptSeparate(c, old, System(p, c), samples, generic));
  auto before = MentionedNames(*client_, c, old);
  for (const auto& n : MentionedNames(*client_, c, *op::ParseSeparateReply(reply))) {
    EXPECT_NE(std::find(before.begin(), before.end(), n), before.end()) << n << " was added";
  }
}

// The combined gradient reads the critiques: concepts come from the criteria they call wrong,
// with a request for higher or lower scores where they say under- or over-rated; a critique that
// says nothing readable (empty, or about nothing) leaves only generic advice.
TEST_F(SimRolesTest, CombinedGradientTargetsWhatTheCritiquesCallWrong) {
  const std::string system = System(PromptWith({}));
  std::vector<op::Instruction> ins;
  for (const auto& c : kSummEvalCriteria) ins.push_back({c, "Rate from 1 to 5."});
  const std::vector<op::CriterionText> real = {
      {"fluency",
       "INCORRECT. The predicted score 2 is 3 below the ground truth 5, so the sample "
       "was under-rated."},
      {"relevance", "CORRECT. The predicted score 4 equals the ground truth 4."},
      {"coherence", "CORRECT. The predicted score 3 equals the ground truth 3."},
      {"consistency", "CORRECT. The predicted score 5 equals the ground truth 5."}};
  for (const std::string useless : {"", "Noted; nothing to add."}) {
    std::vector<op::CriterionText> blank;
    for (const auto& f : real) blank.push_back({f.criterion, useless});
    int targeted = 0, other = 0, higher = 0, generic_only = 0;
    for (int s = 0; s < 40; ++s) {
      const std::string g =
          Ask(*client_, op::GradientPromptCombined(system, Sample(s % 20), real, ins), s);
      targeted += static_cast<int>(MentionedNames(*client_, "fluency", g).size());
      for (const auto& c : kSummEvalCriteria) {
        if (c != "fluency") other += static_cast<int>(MentionedNames(*client_, c, g).size());
      }
      higher += g.find("give higher scores") != std::string::npos;
      const std::string b =
          Ask(*client_, op::GradientPromptCombined(system, Sample(s % 20), blank, ins), s);
      int named = 0;
      for (const auto& c : kSummEvalCriteria) named += MentionedNames(*client_, c, b).size();
      generic_only +=
          named == 0 && CountGenericAdvice(b) > 0 && b.find("higher scores") == std::string::npos;
    }
    EXPECT_GE(targeted, 100);  // 3 of fluency's missing concepts per gradient
    EXPECT_EQ(other, 0);       // nothing of the criteria scored right
    EXPECT_EQ(higher, 40);     // "under-rated" becomes a request for higher scores
    EXPECT_EQ(generic_only, 40) << "critique: '" << useless << "'";
  }
}

TEST_F(SimRolesTest, CombinedOptimizerPutsConceptsWhereTheGradientAttributesThem) {
  std::vector<op::Instruction> ins;
  for (const auto& c : kSummEvalCriteria) ins.push_back({c, "Rate from 1 to 5 (\"1\" = worst)."});
  // Hand-written joint feedback: one concept attributed to its own criterion, one to a wrong one.
  std::vector<std::string> joint = {
      "The instruction for 'fluency' should also ask the judge about grammar. The instruction for "
      "'relevance' should also ask the judge about logical flow. The instructions should also ask "
      "the judge about hallucinated content."};
  std::vector<op::CriterionGradients> grads;
  for (const auto& c : kSummEvalCriteria) grads.push_back({c, joint});
  std::vector<op::JudgedSample> samples = {Sample(3)};
  SimConstants no_leak;  // edits that leak are checked below
  no_leak.optimizer_leak_per_extra_criterion = 0;
  auto client = testing::MakeClient(dataset_, no_leak);
  for (bool escape : {true, false}) {
    op::OptimizerOptions options;
    options.escape_variable_json = escape;
    std::string prompt =
        op::OptimizerPromptCombined(ins, System(PromptWith({})), samples, grads, options);
    std::string reply = Ask(*client, prompt);
    auto parsed = op::ParseCombinedReply(reply, kSummEvalCriteria);
    ASSERT_TRUE(parsed.ok()) << reply;
    ASSERT_EQ(parsed->found.size(), 4u) << reply;
    EXPECT_TRUE(parsed->missing.empty());
    std::map<std::string, std::string> got;
    for (const auto& i : parsed->found) got[i.criterion] = AsciiLower(i.text);
    EXPECT_NE(got["fluency"].find("grammar"), std::string::npos);
    EXPECT_NE(got["relevance"].find("logical flow"), std::string::npos);
    EXPECT_EQ(got["coherence"].find("logical flow"), std::string::npos);
    int hosts = 0;
    for (const auto& [c, text] : got) {
      hosts += text.find("hallucinated content") != std::string::npos;
      EXPECT_EQ(text.rfind("rate from 1 to 5 (\"1\" = worst).", 0), 0u) << text;
    }
    EXPECT_EQ(hosts, 1) << "an unattributed concept lands on exactly one criterion";
  }
}

// An edit that leaks: with probability optimizer_leak_per_extra_criterion x (criteria - 1) (0.3
// for 4 criteria at the optimizer's temperature 0.7) one added concept sentence is also written
// into another criterion's instruction; a one-criterion rewrite never leaks.
TEST_F(SimRolesTest, CombinedOptimizerSometimesLeaksAnEditIntoAnotherInstruction) {
  std::vector<op::Instruction> ins;
  std::vector<op::CriterionGradients> grads;
  for (const auto& c : kSummEvalCriteria) ins.push_back({c, "Rate from 1 to 5."});
  const std::string grammar =
      "The instruction for 'fluency' should also ask the judge about "
      "grammar.";
  for (const auto& c : kSummEvalCriteria) grads.push_back({c, {grammar}});
  const std::vector<op::JudgedSample> samples = {Sample(3)};
  const std::string prompt =
      op::OptimizerPromptCombined(ins, System(PromptWith({})), samples, grads);
  int leaked = 0;
  constexpr int kSeeds = 200;
  for (int s = 0; s < kSeeds; ++s) {
    auto parsed = op::ParseCombinedReply(Ask(*client_, prompt, s), kSummEvalCriteria);
    ASSERT_TRUE(parsed.ok());
    int hosts = 0;
    for (const auto& i : parsed->found)
      hosts += AsciiLower(i.text).find("grammar") != std::string::npos;
    EXPECT_GE(hosts, 1);
    EXPECT_LE(hosts, 2);
    leaked += hosts == 2;
  }
  EXPECT_GT(leaked, kSeeds / 6);
  EXPECT_LT(leaked, kSeeds / 2);
}

TEST_F(SimRolesTest, OptimizerRepliesParseExceptTheMalformedShare) {
  std::vector<op::Instruction> ins;
  std::vector<op::CriterionGradients> grads;
  for (const auto& c : kSummEvalCriteria) {
    ins.push_back({c, "Rate from 1 to 5."});
    grads.push_back({c, {"The instruction for '" + c + "' should also ask about " +
                         ConceptsOf(*client_, c)[2].name + "."}});
  }
  std::vector<op::JudgedSample> samples = {Sample(5)};
  const std::string prompt = op::OptimizerPromptCombined(ins, System(PromptWith({})), samples,
                                                         grads);
  for (double share : {0.0, 0.5}) {
    auto client = testing::MakeClient(dataset_, share);
    int failed = 0, fenced = 0;
    for (int s = 0; s < 200; ++s) {
      std::string reply = Ask(*client, prompt, s);
      fenced += reply.find("```") != std::string::npos;
      auto parsed = op::ParseCombinedReply(reply, kSummEvalCriteria);
      const bool bad = !parsed.ok() || !parsed->missing.empty();
      failed += bad;
      if (share == 0.0 && bad) {
        ADD_FAILURE() << "unusable reply without malformation ("
                      << (parsed.ok() ? Join(parsed->missing, ", ") : parsed.error().ToString())
                      << "): " << reply;
      }
    }
    if (share == 0.0) {
      EXPECT_EQ(failed, 0);
      EXPECT_EQ(fenced, 0);
    } else {  // 3 of the 5 kinds are unusable: about 60 of 200
      EXPECT_GT(failed, 35);
      EXPECT_LT(failed, 90);
      EXPECT_GT(fenced, 5);
    }
  }
}

TEST_F(SimRolesTest, AdherenceReflectsUptakeAndSpecificityReflectsFocus) {
  const std::string c = "consistency";
  const std::string old = Covering(*client_, c, 0);
  std::vector<std::string> grads;
  for (int s = 0; s < 3; ++s) grads.push_back(GradientS(c, old, "consistency: INCORRECT", 70 + s));
  std::vector<op::JudgedSample> samples = {Sample(0), Sample(1), Sample(2)};
  auto p = PromptWith({{c, old}});
  auto taken = op::ParseSeparateReply(
      Ask(*client_, op::OptimizerPromptSeparate(c, old, System(p, c), samples, grads)));
  ASSERT_TRUE(taken.ok());
  const std::string text = op::DiagnosticGradientText(grads);
  auto score = [&](const std::string& prompt) {
    auto v = op::ParseDiagnosticScore(Ask(*client_, prompt, 0, 0.0));
    EXPECT_TRUE(v.has_value());
    return v.value_or(0);
  };
  EXPECT_EQ(score(op::AdherencePrompt(c, old, *taken, text)), 10);
  EXPECT_EQ(score(op::AdherencePrompt(c, old, old, text)), 1);
  // Separate gradients stay on their criterion; an over-reach (one concept of another criterion
  // in some of them) costs a point at most.
  EXPECT_GE(score(op::SpecificityPrompt(c, kSummEvalCriteria, text)), 9);
  EXPECT_LE(score(op::SpecificityPrompt("fluency", kSummEvalCriteria, text)), 2);
  EXPECT_EQ(score(op::SpecificityPrompt(c, kSummEvalCriteria, "Be more careful.")), 1);
  const std::string generic =
      "\n\nBe more careful when reading the text. Consider the overall quality of the text "
      "before scoring. Read the whole input before giving any score. Use the full range of the "
      "scale where it fits.";
  int diluted = score(op::SpecificityPrompt(c, kSummEvalCriteria, text + generic));
  EXPECT_LT(diluted, 10) << "generic advice costs specificity";
  EXPECT_GE(diluted, 8);
}

TEST_F(SimRolesTest, OproRecombinesTheBestEntriesAndAddsOneConceptPerCriterion) {
  const auto& flu = ConceptsOf(*client_, "fluency");
  const auto& coh = ConceptsOf(*client_, "coherence");
  auto entry = [](std::string f, std::string c, double fs, double cs) {
    return op::OproEntry{{{"fluency", f, fs}, {"coherence", c, cs}}, (fs + cs) / 2};
  };
  op::OproPromptInput input;
  input.criteria = {"fluency", "coherence"};
  input.entries = {entry("Rate. Watch " + flu[5].name + ".", "Rate.", 0.2, 0.2),
                   entry("Rate. Watch " + flu[0].name + ".", "Rate. Watch " + coh[1].name + ".",
                         0.5, 0.6),
                   entry("Rate. Watch " + flu[1].name + ".\nAnd " + flu[2].name + ".",
                         "Rate. Watch " + coh[3].name + ".", 0.6, 0.7)};
  input.prompt_head = "Rate the summary.";
  input.exemplars = {{{{"Summary", "s"}}, {{"fluency", op::Score{4, ""}}}}};
  std::string prompt = op::OproMetaPrompt(input);
  std::set<std::string> proposals;
  for (int s = 0; s < 8; ++s) {
    std::string reply = Ask(*client_, prompt, s, 1.0);
    auto parsed = op::ParseCombinedReply(reply, input.criteria);
    ASSERT_TRUE(parsed.ok()) << reply;
    ASSERT_EQ(parsed->found.size(), 2u);
    const std::string& f = parsed->found[0].text;
    const std::string& c = parsed->found[1].text;
    proposals.insert(f + "|" + c);
    EXPECT_EQ(f.rfind("Rate. Watch " + flu[1].name + ".\nAnd " + flu[2].name + ".", 0), 0u) << f;
    auto fn = MentionedNames(*client_, "fluency", f);
    auto cn = MentionedNames(*client_, "coherence", c);
    // Best two entries: concepts 0, 1, 2 of fluency and 1, 3 of coherence; plus one new each.
    EXPECT_EQ(fn.size(), 4u) << f;
    EXPECT_EQ(cn.size(), 3u) << c;
    for (int k : {0, 1, 2}) EXPECT_NE(std::find(fn.begin(), fn.end(), flu[k].name), fn.end());
    for (int k : {1, 3}) EXPECT_NE(std::find(cn.begin(), cn.end(), coh[k].name), cn.end());
  }
  EXPECT_GT(proposals.size(), 2u) << "request seeds vary the new concept";
}

TEST_F(SimRolesTest, RepliesArePureFunctionsOfTheRequest) {
  auto p = PromptWith({});
  std::string prompt = op::GradientPromptSeparate(System(p, "fluency"), Sample(0), "fluency",
                                                  "fluency: INCORRECT", "Rate from 1 to 5.");
  auto other = testing::MakeClient(dataset_);
  std::set<std::string> by_seed;
  for (int s = 0; s < 10; ++s) {
    std::string a = Ask(*client_, prompt, s);
    EXPECT_EQ(a, Ask(*other, prompt, s));
    by_seed.insert(a);
  }
  EXPECT_GT(by_seed.size(), 3u);
  auto seeded = testing::MakeClient(dataset_, 0.0, 99);
  int differ = 0;
  for (int s = 0; s < 10; ++s) differ += Ask(*seeded, prompt, s) != Ask(*client_, prompt, s);
  EXPECT_GT(differ, 3);
}

TEST_F(SimRolesTest, BrokenLayoutsFailLoudlyNamingTheMissingPart) {
  auto expect_error = [&](std::string prompt, std::string_view cut, std::string_view named) {
    std::size_t at = prompt.find(cut);
    ASSERT_NE(at, std::string::npos) << cut;
    prompt.erase(at, cut.size());
    auto reply = client_->Complete(testing::UserRequest(prompt));
    ASSERT_FALSE(reply.ok()) << "accepted a prompt without " << cut;
    EXPECT_EQ(reply.error().code, ErrorCode::kBadRequest);
    EXPECT_NE(reply.error().message.find(named), std::string::npos) << reply.error().message;
  };
  auto p = PromptWith({});
  std::vector<op::JudgedSample> samples = {Sample(0)};
  std::vector<std::string> grads = {"g"};
  std::vector<op::Instruction> ins = {{"fluency", "Rate."}, {"coherence", "Rate."}};
  std::vector<op::CriterionGradients> cg = {{"fluency", grads}};
  expect_error(op::LossPromptSeparate({"fluency", op::Score{3, ""}, op::Score{4, ""}}),
               "**Ground truth (fluency)**", "Ground truth");
  expect_error(op::GradientPromptSeparate(System(p, "fluency"), Sample(0), "fluency", "c", "R."),
               "<VARIABLE>", "VARIABLE");
  expect_error(op::GradientPromptCombined(System(p), Sample(0), {}, ins), "  coherence:",
               "coherence");
  expect_error(op::OptimizerPromptSeparate("fluency", "R.", System(p, "fluency"), samples, grads),
               "<FEEDBACK>", "FEEDBACK");
  expect_error(op::OptimizerPromptCombined(ins, System(p), samples, cg), "\"coherence\": \"Rate.\"",
               "coherence");
  expect_error(op::SpecificityPrompt("fluency", kSummEvalCriteria, "g"), "## All Criteria",
               "All Criteria");
  op::OproPromptInput opro;
  opro.criteria = {"fluency"};
  opro.entries = {{{{"fluency", "Rate.", 0.5}}, 0.5}};
  expect_error(op::OproMetaPrompt(opro), "- Score:", "scored instruction sets");
}

TEST(SimRolesGenericTest, DerivedConceptsDriveGradientsOfAGenericDataset) {
  auto ds = std::make_shared<data::Dataset>();
  ds->name = "reviews";
  ds->inputs = {{"text", "Review"}};
  data::Criterion helpful;
  helpful.name = "helpfulness";
  helpful.description = "Whether the review lists concrete details, pros and cons.";
  data::Criterion tone;
  tone.name = "tone";
  tone.concepts = {"polite|courteous", "sarcasm|sarcastic"};
  ds->criteria = {helpful, tone};
  ds->examples.push_back({"r1", {"Great phone."}, {4, 2}, "", 1});
  auto client = testing::MakeClient(ds);
  judge::JudgePrompt p = judge::JudgePrompt::FromDataset(*ds);
  auto sys = judge::RenderInstructions(p, *ds, std::string("tone"));
  ASSERT_TRUE(sys.ok());
  op::JudgedSample sample = testing::Judged(*ds, ds->examples[0], {"helpfulness", "tone"}, {3, 3});
  std::string g = Ask(*client, op::GradientPromptSeparate(*sys, sample, "tone", "tone: INCORRECT",
                                                          "Rate the tone."));
  EXPECT_NE(g.find("polite"), std::string::npos) << g;
  EXPECT_NE(g.find("sarcasm"), std::string::npos) << g;
  sys = judge::RenderInstructions(p, *ds, std::string("helpfulness"));
  g = Ask(*client, op::GradientPromptSeparate(*sys, sample, "helpfulness", "INCORRECT",
                                              "Rate helpfulness."));
  auto mentioned = MentionedNames(*client, "helpfulness", g);
  EXPECT_EQ(mentioned.size(), 3u) << g;  // the kept name plus two description words
}

}  // namespace
}  // namespace judgeopt::sim
