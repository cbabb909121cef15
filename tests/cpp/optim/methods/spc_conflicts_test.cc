// The conflict matrix and textual PCGrad with scripted replies (no simulator): the verdict parser,
// the matrix's calls and decision, the projection rule (ties included), the rendered feedback, and
// ResolveConflicts over a RunContext whose every role is a scripted model.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cpp/optim/loop_fixtures.h"
#include "judgeopt/optim/methods/conflict_matrix.h"
#include "judgeopt/optim/methods/edit_merge.h"
#include "judgeopt/optim/methods/pcgrad.h"
#include "judgeopt/optim/methods/spc_stage.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::optim {
namespace {

using Json = nlohmann::ordered_json;
using prompts::PairVerdict;

// ---- fixtures
// ---------------------------------------------------------------------------------

std::string EditList(const std::vector<std::pair<std::string, std::string>>& edits) {
  Json j = Json::array();
  for (const auto& [action, text] : edits) j.push_back({{"action", action}, {"text", text}});
  return "Paragraphs.\n\n```json\n" + j.dump() + "\n```";
}

// clarity: 2 edits (sample 0 proposes both, sample 1 repeats the first); tone: 1 edit; accuracy: an
// empty list; helpfulness: no list at all (free text).
std::vector<SampleText> Gradients() {
  return {{"clarity", 0, EditList({{"add", "Penalize jargon."}, {"add", "Be polite."}})},
          {"clarity", 1, EditList({{"add", "  penalize JARGON. "}})},
          {"tone", 0, EditList({{"add", "Check politeness."}})},
          {"accuracy", 0, "Paragraphs.\n\n```json\n[]\n```"},
          {"helpfulness", 0, "Say whether the review helps a buyer."},
          {"*", 0, "A joint text."}};
}

const std::vector<std::string> kCriteria = {"clarity", "tone", "accuracy", "helpfulness"};

Json Payload(const DecisionRecord& d) { return Json::parse(d.payload_json); }

// ---- verdict parser
// ---------------------------------------------------------------------------

TEST(VerdictParseTest, ACleanListFillsTheGridInAMajorOrder) {
  const auto p = prompts::ParseVerdicts(
      R"([{"a": "A1", "b": "B2", "verdict": "contradict", "keep": "B2"},
          {"a": "A1", "b": "B1", "verdict": "agree"},
          {"a": "A2", "b": "B1", "verdict": "independent"},
          {"a": "A2", "b": "B2", "verdict": "Contradicts", "keep": "a"}])",
      2, 2);
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.verdicts.size(), 4u);
  EXPECT_EQ(p.verdicts[0], (prompts::EditPairVerdict{0, 0, PairVerdict::kAgree, "", ""}));
  EXPECT_EQ(p.verdicts[1], (prompts::EditPairVerdict{0, 1, PairVerdict::kContradict, "b", ""}));
  EXPECT_EQ(p.verdicts[2].verdict, PairVerdict::kIndependent);
  EXPECT_EQ(p.verdicts[3], (prompts::EditPairVerdict{1, 1, PairVerdict::kContradict, "a", ""}));
  EXPECT_TRUE(p.ignored.empty());
}

TEST(VerdictParseTest, MissingAndUnknownVerdictsCountAsIndependentWithANote) {
  const auto p = prompts::ParseVerdicts(
      "Sure! ```json\n[{\"a\": \"A1\", \"b\": \"B1\", \"verdict\": \"maybe\"},]\n``` Done.", 1, 2);
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.verdicts.size(), 2u);
  EXPECT_EQ(p.verdicts[0].verdict, PairVerdict::kIndependent);
  EXPECT_EQ(p.verdicts[0].note, "unknown verdict 'maybe'");
  EXPECT_EQ(p.verdicts[1].verdict, PairVerdict::kIndependent);
  EXPECT_EQ(p.verdicts[1].note, "missing");
}

TEST(VerdictParseTest, AnUnparseableReplyMakesEveryPairIndependent) {
  for (const char* reply : {"", "They mostly agree.", "[{\"a\": \"A1\", \"b\": \"B1\", \"ver"}) {
    SCOPED_TRACE(reply);
    const auto p = prompts::ParseVerdicts(reply, 2, 1);
    EXPECT_FALSE(p.list_found);
    ASSERT_EQ(p.verdicts.size(), 2u);
    for (const auto& v : p.verdicts) {
      EXPECT_EQ(v.verdict, PairVerdict::kIndependent);
      EXPECT_EQ(v.note, "unparseable reply");
    }
  }
}

TEST(VerdictParseTest, IdsInOtherSpellingsSwappedPairsDuplicatesAndStrangersAreHandled) {
  const auto p = prompts::ParseVerdicts(
      R"({"verdicts": [
          {"a": "B1", "b": "a 2", "verdict": "conflict", "keep": "neither"},
          {"a": 1, "b": 1, "verdict": "agree"},
          {"a": "A1", "b": "B1", "verdict": "contradict"},
          {"a": "A3", "b": "B1", "verdict": "agree"},
          {"a": "A1"}]})",
      2, 1);
  ASSERT_TRUE(p.list_found);
  ASSERT_EQ(p.verdicts.size(), 2u);
  EXPECT_EQ(p.verdicts[0], (prompts::EditPairVerdict{0, 0, PairVerdict::kAgree, "", ""}));
  EXPECT_EQ(p.verdicts[1],
            (prompts::EditPairVerdict{1, 0, PairVerdict::kContradict, "neither", ""}));
  ASSERT_EQ(p.ignored.size(), 3u);
  EXPECT_NE(p.ignored[0].find("A1-B1 given again"), std::string::npos);
  EXPECT_NE(p.ignored[1].find("no such pair"), std::string::npos);
  EXPECT_NE(p.ignored[2].find("no usable"), std::string::npos);
}

TEST(VerdictParseTest, KeepSpellings) {
  const auto keep = [](const std::string& k) {
    const auto p = prompts::ParseVerdicts(
        R"([{"a": "A1", "b": "B1", "verdict": "contradict", "keep": )" + k + "}]", 1, 1);
    return std::make_pair(p.verdicts[0].keep, p.verdicts[0].note);
  };
  EXPECT_EQ(keep("\"A1\"").first, "a");
  EXPECT_EQ(keep("\"b1\"").first, "b");
  EXPECT_EQ(keep("\"both\"").first, "both");
  EXPECT_EQ(keep("\"none\"").first, "neither");
  EXPECT_EQ(keep("null"), std::make_pair(std::string(), std::string()));
  EXPECT_EQ(keep("\"B7\""), std::make_pair(std::string(), std::string("unknown keep 'B7'")));
}

// ---- collecting and rendering edits
// -----------------------------------------------------------

TEST(StepEditsTest, EditsMergeAcrossSamplesAndEveryCriterionGetsADecision) {
  const StepEdits edits = CollectEdits(kCriteria, Gradients());
  ASSERT_EQ(edits.criteria.size(), 4u);
  const CriterionEdits& clarity = edits.criteria[0];
  ASSERT_EQ(clarity.edits.size(), 2u);
  EXPECT_EQ(clarity.edits[0].samples, (std::vector<int>{0, 1}));  // case and space ignored
  EXPECT_EQ(clarity.edits[1].id, 2);
  EXPECT_EQ(edits.criteria[2].empty_lists, (std::vector<int>{0}));
  ASSERT_EQ(edits.criteria[3].free_texts.size(), 1u);
  EXPECT_EQ(edits.EditCount(), 3);

  const auto decisions = EditsDecisions(edits);
  ASSERT_EQ(decisions.size(), 4u);
  for (const auto& d : decisions) EXPECT_EQ(d.kind, "edits");
  EXPECT_EQ(decisions[0].criterion, "clarity");
  EXPECT_EQ(decisions[0].summary, "2 edits (2 add)");
  EXPECT_EQ(decisions[2].summary, "no edits (empty list)");
  EXPECT_EQ(decisions[3].summary, "free text (no edit list parsed)");
  const Json p = Payload(decisions[0]);
  EXPECT_EQ(p["edits"][0]["samples"], Json::array({0, 1}));
  EXPECT_EQ(p["edits"][0]["action"], "add");
  EXPECT_EQ(Payload(decisions[3])["free_text"][0]["reason"], "no edit list parsed");
}

TEST(StepEditsTest, AListWithOnlyUnusableEntriesFallsBackToTheFreeText) {
  const StepEdits edits =
      CollectEdits({"tone"}, {{"tone", 2, "Text.\n[{\"action\": \"merge\", \"text\": \"x\"}]"},
                              {"tone", 3, EditList({{"add", "Check politeness."}})}});
  const auto decisions = EditsDecisions(edits);
  EXPECT_EQ(decisions[0].summary,
            "1 edit (1 add); free text for 1 sample (no usable edit in the list)");
  EXPECT_EQ(Payload(decisions[0])["rejected"][0], "sample 2, entry 1: unknown action 'merge'");
}

TEST(StepEditsTest, RenderedFeedbackKeepsOrderDropsProjectedEditsAndPassesJointTextsThrough) {
  const auto gradients = Gradients();
  const StepEdits edits = CollectEdits(kCriteria, gradients);
  const auto all = RenderFeedback(edits, gradients, {});
  ASSERT_EQ(all.size(), gradients.size());
  EXPECT_EQ(all[0].text,
            "Add to the instruction for 'clarity': Penalize jargon.\nAdd to the instruction for "
            "'clarity': Be polite.");
  EXPECT_EQ(all[1].text, "Add to the instruction for 'clarity': Penalize jargon.");
  EXPECT_EQ(all[3].text, prompts::RenderNoEdit("accuracy"));
  EXPECT_EQ(all[4].text, "Say whether the review helps a buyer.");
  EXPECT_EQ(all[5].criterion, "*");
  EXPECT_EQ(all[5].text, "A joint text.");

  const auto projected = RenderFeedback(edits, gradients, {{"clarity", 2}, {"tone", 1}});
  ASSERT_EQ(projected.size(), gradients.size() - 1);  // tone's only text is gone
  EXPECT_EQ(projected[0].text, "Add to the instruction for 'clarity': Penalize jargon.");
  EXPECT_EQ(projected[2].criterion, "accuracy");
}

// ---- the matrix
// ---------------------------------------------------------------------------------

class MatrixTest : public ::testing::Test {
 protected:
  MatrixTest()
      : dataset_(testdata::MakeLoopDataset()), prompt_(*SeedPromptFor(dataset_, kCriteria)) {}

  data::Dataset dataset_;
  judge::JudgePrompt prompt_;
};

TEST_F(MatrixTest, OnlyPairsWithEditsOnBothSidesAreAsked) {
  const StepEdits edits = CollectEdits(kCriteria, Gradients());
  const auto planned = PlanConflictPairs(edits, prompt_);
  ASSERT_EQ(planned.size(),
            1u);  // clarity-tone; accuracy and helpfulness have no edits
  EXPECT_TRUE(prompts::IsConflictPrompt(planned[0].prompt));
  EXPECT_NE(planned[0].prompt.find("A2. add: Be polite."), std::string::npos);
  EXPECT_NE(planned[0].prompt.find("B1. add: Check politeness."), std::string::npos);
  EXPECT_NE(planned[0].prompt.find("B (tone): Rate politeness from 1 to 5."), std::string::npos);
  EXPECT_NE(planned[0].prompt.find("(2 objects"), std::string::npos);

  const auto m = AssembleMatrix(
      edits, planned, {R"([{"a": "A2", "b": "B1", "verdict": "contradict", "keep": "B1"}])"});
  ASSERT_EQ(m.pairs.size(), 6u);  // every unordered pair of 4 criteria
  EXPECT_EQ(m.pairs[0].a, "clarity");
  EXPECT_EQ(m.pairs[0].b, "tone");
  EXPECT_TRUE(m.pairs[0].called);
  EXPECT_EQ(m.pairs[0].Count(PairVerdict::kContradict), 1);
  EXPECT_EQ(m.pairs[0].Count(PairVerdict::kIndependent), 1);  // A1-B1 missing
  for (std::size_t i = 1; i < m.pairs.size(); ++i) {
    EXPECT_FALSE(m.pairs[i].called);
    EXPECT_TRUE(m.pairs[i].verdicts.empty());
  }

  const DecisionRecord d = MatrixDecision(m);
  EXPECT_EQ(d.kind, "conflict_matrix");
  EXPECT_EQ(d.criterion, "");
  EXPECT_EQ(
      d.summary,
      "1 contradict, 0 agree, 1 independent over 2 edit pairs; 1 missing, unparseable or doubtful");
  const Json p = Payload(d);
  std::vector<std::string> keys;
  for (const auto& [k, v] : p.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"criteria", "pairs"}));
  EXPECT_EQ(p["criteria"], Json(kCriteria));
  ASSERT_EQ(p["pairs"].size(), 6u);
  keys.clear();
  for (const auto& [k, v] : p["pairs"][0].items()) keys.push_back(k);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"a", "b", "agree", "independent", "contradict", "verdicts"}));
  EXPECT_EQ(p["pairs"][0]["verdicts"][1],
            Json::parse(R"({"a": 2, "b": 1, "verdict": "contradict", "keep": "b"})"));
  EXPECT_EQ(p["pairs"][0]["verdicts"][0]["note"], "missing");
  EXPECT_EQ(p["pairs"][5]["a"], "accuracy");
  EXPECT_EQ(p["pairs"][5]["b"], "helpfulness");
  EXPECT_EQ(p["pairs"][5]["independent"], 0);
}

TEST_F(MatrixTest, TiedCountsAndEmptyStepsGiveWellFormedDecisions) {
  // No edits at all: no call, every pair zero.
  const StepEdits none = CollectEdits(kCriteria, {{"clarity", 0, "[]"}});
  EXPECT_TRUE(PlanConflictPairs(none, prompt_).empty());
  const DecisionRecord d = MatrixDecision(AssembleMatrix(none, {}, {}));
  EXPECT_EQ(d.summary, "0 contradict, 0 agree, 0 independent over 0 edit pairs");
  EXPECT_EQ(Payload(d)["pairs"].size(), 6u);

  // One agree and one contradict: a tie in the counts is reported as it is.
  const StepEdits two =
      CollectEdits({"clarity", "tone"}, {{"clarity", 0, EditList({{"add", "x"}, {"add", "y"}})},
                                         {"tone", 0, EditList({{"add", "z"}})}});
  const auto planned = PlanConflictPairs(two, prompt_);
  const auto m = AssembleMatrix(two, planned, {R"([{"a": "A1", "b": "B1", "verdict": "agree"},
                                     {"a": "A2", "b": "B1", "verdict": "contradict"}])"});
  EXPECT_EQ(m.pairs[0].Count(PairVerdict::kAgree), 1);
  EXPECT_EQ(m.pairs[0].Count(PairVerdict::kContradict), 1);
  EXPECT_EQ(MatrixDecision(m).summary, "1 contradict, 1 agree, 0 independent over 2 edit pairs");
}

// ---- PCGrad
// -------------------------------------------------------------------------------------

ConflictMatrix OnePair(const StepEdits& edits, const std::string& reply) {
  std::vector<PlannedPair> planned = {{0, 1, ""}};
  return AssembleMatrix(edits, planned, {reply});
}

TEST(PcgradTest, TheKeptSideSurvivesTiesDropBothAndKeepBothDropsNothing) {
  const StepEdits edits = CollectEdits(
      {"clarity", "tone"}, {{"clarity", 0, EditList({{"add", "a1"}, {"add", "a2"}, {"add", "a3"}})},
                            {"tone", 0, EditList({{"add", "b1"}, {"remove", "b2"}})}});
  const ConflictMatrix m = OnePair(edits, R"([
      {"a": "A1", "b": "B1", "verdict": "contradict", "keep": "B1"},
      {"a": "A2", "b": "B1", "verdict": "contradict", "keep": "both"},
      {"a": "A2", "b": "B2", "verdict": "agree"},
      {"a": "A3", "b": "B2", "verdict": "contradict"}])");
  const Projection p = ProjectEdits(edits, m);
  EXPECT_EQ(p.total, 5);
  EXPECT_EQ(p.dropped, (std::set<EditKey>{{"clarity", 1}, {"clarity", 3}, {"tone", 2}}));
  ASSERT_EQ(p.reasons.size(), 3u);  // run order: clarity 1, clarity 3, tone 2
  EXPECT_EQ(p.reasons[0].first, (EditKey{"clarity", 1}));
  EXPECT_EQ(p.reasons[0].second, (std::vector<ContradictedBy>{{{"tone", 1}, false}}));
  EXPECT_EQ(p.reasons[2].second, (std::vector<ContradictedBy>{{{"clarity", 3}, true}}));

  const DecisionRecord d = PcgradDecision(edits, p);
  EXPECT_EQ(d.kind, "pcgrad");
  EXPECT_EQ(d.summary, "dropped 3 of 5 edits (contradict)");
  const Json j = Payload(d);
  EXPECT_EQ(j["kept"], 2);
  EXPECT_EQ(j["dropped"][0]["text"], "a1");
  EXPECT_EQ(j["dropped"][0]["contradicts"][0]["text"], "b1");
  EXPECT_EQ(j["dropped"][0]["contradicts"][0]["rule"], "classifier kept the other edit");
  EXPECT_EQ(j["dropped"][2]["contradicts"][0]["rule"], "tie: both dropped");
}

TEST(PcgradTest, AnEditKeptInOneVerdictButDroppedInAnotherIsDropped) {
  const StepEdits edits =
      CollectEdits({"clarity", "tone"}, {{"clarity", 0, EditList({{"add", "a1"}})},
                                         {"tone", 0, EditList({{"add", "b1"}, {"add", "b2"}})}});
  const Projection p = ProjectEdits(edits, OnePair(edits, R"([
      {"a": "A1", "b": "B1", "verdict": "contradict", "keep": "A1"},
      {"a": "A1", "b": "B2", "verdict": "contradict", "keep": "B2"}])"));
  EXPECT_EQ(p.dropped, (std::set<EditKey>{{"clarity", 1}, {"tone", 1}}));
}

TEST(PcgradTest, NoContradictionKeepsEverythingAndAnEmptyStepIsFine) {
  const StepEdits edits = CollectEdits(
      {"clarity", "tone"},
      {{"clarity", 0, EditList({{"add", "a1"}})}, {"tone", 0, EditList({{"add", "b1"}})}});
  const Projection p =
      ProjectEdits(edits, OnePair(edits, R"([{"a": "A1", "b": "B1", "verdict": "agree"}])"));
  EXPECT_TRUE(p.dropped.empty());
  EXPECT_EQ(PcgradDecision(edits, p).summary, "kept all 2 edits (no contradiction)");
  const StepEdits empty = CollectEdits({"clarity", "tone"}, {});
  EXPECT_EQ(PcgradDecision(empty, ProjectEdits(empty, AssembleMatrix(empty, {}, {}))).summary,
            "kept all 0 edits (no contradiction)");
}

// ---- ResolveConflicts over a scripted model
// ----------------------------------------------------

class ResolveConflictsTest : public ::testing::Test {
 protected:
  ResolveConflictsTest() : dataset_(testdata::MakeLoopDataset()), pool_(2) {
    config_.llm =
        llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
    config_.criteria = kCriteria;
  }

  Result<std::vector<SampleText>> Resolve(const std::vector<SampleText>& gradients,
                                          std::vector<DecisionRecord>& decisions) {
    const judge::Judge judge(model_, pool_, {});
    RunContext ctx{dataset_, config_, "run", kCriteria, {}, pool_, judge};
    for (auto& c : ctx.clients) c = &model_;
    const judge::JudgePrompt prompt = *SeedPromptFor(dataset_, kCriteria);
    return ResolveConflicts(ctx, 3, prompt, gradients, decisions);
  }

  data::Dataset dataset_;
  OptimizeConfig config_;
  testing::ScriptedLlm model_;
  WorkPool pool_;
};

TEST_F(ResolveConflictsTest, PlainRunsPassGradientsThroughWithoutCalls) {
  std::vector<DecisionRecord> decisions;
  auto out = Resolve(Gradients(), decisions);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->size(), Gradients().size());
  EXPECT_EQ((*out)[0].text, Gradients()[0].text);
  EXPECT_TRUE(decisions.empty());
  EXPECT_EQ(model_.CallCount(), 0u);
}

TEST_F(ResolveConflictsTest, StructuredWithoutTheMatrixRecordsEditsOnly) {
  config_.method.structured_gradients = true;
  std::vector<DecisionRecord> decisions;
  auto out = Resolve(Gradients(), decisions);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(decisions.size(), 4u);
  EXPECT_EQ(model_.CallCount(), 0u);
  EXPECT_EQ((*out)[2].text, "Add to the instruction for 'tone': Check politeness.");
}

TEST_F(ResolveConflictsTest, SpcClassifiesProjectsAndRecordsEveryDecisionInOrder) {
  ASSERT_TRUE(ApplyModeName(config_, "SPC", "mode").ok());
  model_.OnSubstring(std::string(prompts::kConflictOpening),
                     R"(```json
[{"a": "A1", "b": "B1", "verdict": "independent"},
 {"a": "A2", "b": "B1", "verdict": "contradict", "keep": "B1"}]
```)");
  std::vector<DecisionRecord> decisions;
  auto out = Resolve(Gradients(), decisions);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(model_.CallCount(),
            1u);  // one criterion pair has edits on both sides
  const llm::ChatRequest sent = model_.Requests()[0];
  EXPECT_EQ(sent.role, llm::Role::kDiagnostic);
  EXPECT_EQ(sent.tag, "step3/conflicts/clarity-tone");

  std::vector<std::string> kinds;
  for (const auto& d : decisions) kinds.push_back(d.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"edits", "edits", "edits", "edits", "conflict_matrix",
                                             "pcgrad"}));
  EXPECT_EQ(decisions[4].summary, "1 contradict, 0 agree, 1 independent over 2 edit pairs");
  EXPECT_EQ(decisions[5].summary, "dropped 1 of 3 edits (contradict)");
  EXPECT_EQ(Payload(decisions[5])["dropped"][0]["text"], "Be polite.");
  // "Be polite." is gone from clarity's feedback; tone's edit survives.
  EXPECT_EQ((*out)[0].text, "Add to the instruction for 'clarity': Penalize jargon.");
  EXPECT_EQ((*out)[2].text, "Add to the instruction for 'tone': Check politeness.");
}

TEST_F(ResolveConflictsTest, AFailedClassifierCallFailsTheStep) {
  ASSERT_TRUE(ApplyModeName(config_, "SPC", "mode").ok());
  model_.OnSubstring(std::string(prompts::kConflictOpening),
                     Error(ErrorCode::kBudgetExceeded, "budget spent"));
  std::vector<DecisionRecord> decisions;
  auto out = Resolve(Gradients(), decisions);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().ToString().find("step3/conflicts/clarity-tone"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::optim
