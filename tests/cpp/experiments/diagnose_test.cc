// The diagnostics with scripted replies: which (run, step, criterion) are asked and with what
// text (separate and joint gradients, old and new instructions), already-scored keys skipped,
// replies parsed into scores or kept as missing, failed calls reported and not turned into rows,
// and the summaries' statistics.

#include "judgeopt/experiments/diagnose.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cpp/judge/review_dataset.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/engine/run_evaluation.h"

namespace judgeopt::experiments {
namespace {

using judge::JudgePrompt;

optim::PromptRecord Record(const JudgePrompt& p) { return optim::MakePromptRecord(p); }

// An SSS-like run over clarity and tone: step 1 has separate gradients (two for clarity, one
// empty for tone), step 2 one joint gradient and a candidate with new instructions.
DiagnosedRun MakeRun(const data::Dataset& ds) {
  DiagnosedRun run;
  run.info.run_id = "run-1";
  run.info.mode = "SSS";
  run.info.criteria = {"clarity", "tone"};
  const JudgePrompt two(
      ds.preamble, true,
      {{"clarity", "Rate from 1 to 5."}, {"tone", "Rate politeness from 1 to 5."}});
  optim::StepRecord s0;
  s0.step = 0;
  s0.incumbent_after = Record(two);
  s0.gradients = {{"clarity", 0, "never asked: step 0"}};
  optim::StepRecord s1;
  s1.step = 1;
  s1.incumbent_before = Record(two);
  s1.candidate = Record(two);
  s1.gradients = {{"clarity", 0, "Penalize vague wording."},
                  {"tone", 0, "  "},
                  {"clarity", 1, "Reward short sentences."}};
  optim::StepRecord s2;
  s2.step = 2;
  s2.incumbent_before = Record(two);
  s2.candidate = Record(*two.WithInstruction("tone", "Rate politeness; rude words cap it at 2."));
  s2.gradients = {{"*", 0, "JOINT: both criteria need anchors."}};
  run.steps = {s0, s1, s2};
  return run;
}

TEST(DiagnoseTest, GradientTextJoinsTheCriterionsAndTheJointTexts) {
  optim::StepRecord s;
  s.gradients = {{"a", 0, "first"}, {"*", 0, "joint"}, {"b", 0, "other"}, {"a", 1, ""}};
  EXPECT_EQ(GradientTextFor(s, "a"), "first\n\njoint");
  EXPECT_EQ(GradientTextFor(s, "b"), "joint\n\nother");
  EXPECT_EQ(GradientTextFor(s, "c"), "joint");
}

TEST(DiagnoseTest, SpecificityAsksEachStepAndCriterionWithText) {
  const auto ds = judge::testdata::MakeReviewDataset();
  auto items = PlanDiagnostics(kSpecificity, {MakeRun(ds)}, ds, {});
  ASSERT_TRUE(items.ok()) << items.error().message;
  // Step 0 is skipped; tone at step 1 has only blank text; step 2's joint text serves both.
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].step, 1);
  EXPECT_EQ((*items)[0].criterion, "clarity");
  EXPECT_EQ((*items)[1].step, 2);
  EXPECT_EQ((*items)[1].criterion, "clarity");
  EXPECT_EQ((*items)[2].criterion, "tone");
  const std::string& p = (*items)[0].prompt;
  EXPECT_NE(p.find("Penalize vague wording.\n\nReward short sentences."), std::string::npos);
  for (const auto& c : ds.criteria) EXPECT_NE(p.find("- " + c.name), std::string::npos) << c.name;
  EXPECT_NE((*items)[2].prompt.find("JOINT: both criteria need anchors."), std::string::npos);
  EXPECT_EQ((*items)[2].mode, "SSS");
}

TEST(DiagnoseTest, AlreadyScoredKeysAreNotAskedAgain) {
  const auto ds = judge::testdata::MakeReviewDataset();
  std::set<DiagnosticKey> done = {{"run-1", 2, "clarity"}, {"run-1", 1, "clarity"}};
  auto items = PlanDiagnostics(kSpecificity, {MakeRun(ds)}, ds, done);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].criterion, "tone");
  done.insert({"run-1", 2, "tone"});
  EXPECT_TRUE(PlanDiagnostics(kSpecificity, {MakeRun(ds)}, ds, done)->empty());
}

TEST(DiagnoseTest, AdherenceShowsOldAndNewInstructionsAndSkipsStepsWithoutCandidate) {
  const auto ds = judge::testdata::MakeReviewDataset();
  DiagnosedRun run = MakeRun(ds);
  run.steps[1].candidate = {};  // step 1: the optimizer gave nothing usable
  auto items = PlanDiagnostics(kAdherence, {run}, ds, {});
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  const std::string& tone = (*items)[1].prompt;
  EXPECT_EQ((*items)[1].criterion, "tone");
  const auto old_at = tone.find("## Old Instruction\nRate politeness from 1 to 5.");
  const auto new_at = tone.find("## New Instruction\nRate politeness; rude words cap it at 2.");
  EXPECT_NE(old_at, std::string::npos);
  EXPECT_NE(new_at, std::string::npos);
  EXPECT_LT(old_at, new_at);
}

TEST(DiagnoseTest, AStoredPromptThatDoesNotParseIsAnErrorNamingTheRun) {
  const auto ds = judge::testdata::MakeReviewDataset();
  DiagnosedRun run = MakeRun(ds);
  run.steps[2].candidate.json = "{not json";
  auto items = PlanDiagnostics(kAdherence, {run}, ds, {});
  ASSERT_FALSE(items.ok());
  EXPECT_NE(items.error().message.find("run-1"), std::string::npos);
  EXPECT_FALSE(PlanDiagnostics("vibes", {run}, ds, {}).ok());
}

TEST(DiagnoseTest, RepliesBecomeScoresMissingScoresOrErrors) {
  testing::ScriptedLlm llm;
  llm.OnSubstring("gradient-a", "7");
  llm.OnSubstring("gradient-b", "Score: 9 out of 10.");
  llm.OnSubstring("gradient-c", "I would say eleven, i.e. 11");
  llm.OnSubstring("gradient-d", Error{ErrorCode::kUnavailable, "server down"});
  std::vector<DiagnosticItem> items;
  for (std::string s : {"a", "b", "c", "d"}) {
    items.push_back({"run-x", "CCC", 3, "crit-" + s, "prompt with gradient-" + s});
  }
  DiagnosticCallSettings settings;
  settings.base.model = "diag-model";
  settings.base.temperature = 0;
  settings.base.max_tokens = 10;
  settings.endpoint_kind = "sim";
  WorkPool pool(3);
  auto out = ScoreDiagnostics(llm, pool, kSpecificity, items, settings);
  ASSERT_EQ(out.size(), 4u);
  ASSERT_TRUE(out[0].row.has_value());
  EXPECT_EQ(*out[0].row->score, 7);
  EXPECT_EQ(*out[1].row->score, 9);
  ASSERT_TRUE(out[2].row.has_value());
  EXPECT_FALSE(out[2].row->score.has_value());
  EXPECT_EQ(out[2].row->raw_reply, "I would say eleven, i.e. 11");
  EXPECT_FALSE(out[3].row.has_value());
  ASSERT_TRUE(out[3].error.has_value());
  EXPECT_NE(out[3].error->message.find("crit-d"), std::string::npos);
  EXPECT_EQ(llm.CallCount(), 4u);

  const DiagnosticRow& r = *out[1].row;
  EXPECT_EQ(r.run_id, "run-x");
  EXPECT_EQ(r.mode, "CCC");
  EXPECT_EQ(r.kind, kSpecificity);
  EXPECT_EQ(r.step, 3);
  EXPECT_EQ(r.criterion, "crit-b");
  EXPECT_EQ(r.model, "diag-model");
  EXPECT_FALSE(r.simulated) << "the scripted replies are not marked simulated";
  for (const auto& req : llm.Requests()) {
    EXPECT_EQ(req.role, llm::Role::kDiagnostic);
    if (req.messages.back().content.find("gradient-b") == std::string::npos) continue;
    EXPECT_EQ(r.request_hash, llm::RequestKey(req, "sim"));
  }
}

DiagnosticRow Scored(const std::string& mode, int step, const std::string& c,
                     std::optional<int> score, const std::string& kind = kSpecificity) {
  DiagnosticRow r;
  r.mode = mode;
  r.kind = kind;
  r.step = step;
  r.criterion = c;
  r.score = score;
  return r;
}

TEST(DiagnoseTest, SummaryGroupsByModeCriterionAndStep) {
  const std::vector<DiagnosticRow> rows = {Scored("CCC", 1, "fluency", 2),
                                           Scored("CCC", 2, "fluency", 4),
                                           Scored("CCC", 1, "coherence", 6),
                                           Scored("ST:fluency", 1, "fluency", 9),
                                           Scored("ST:coherence", 1, "coherence", 10),
                                           Scored("ST:coherence", 2, "coherence", std::nullopt),
                                           Scored("SSS", 1, "fluency", 8),
                                           Scored("SSS", 1, "fluency", 1, kAdherence)};
  const DiagnosticSummary s = SummarizeDiagnostics(rows, kSpecificity);
  ASSERT_EQ(s.modes, (std::vector<std::string>{"Single", "SSS", "CCC"}));
  ASSERT_EQ(s.criteria, (std::vector<std::string>{"fluency", "coherence"}));
  ASSERT_EQ(s.steps, (std::vector<int>{1, 2}));
  // Single: 9 and 10 scored, one missing.
  EXPECT_DOUBLE_EQ(*s.by_mode[0].mean, 9.5);
  EXPECT_NEAR(*s.by_mode[0].stddev, std::sqrt(0.5), 1e-12);
  EXPECT_EQ(s.by_mode[0].count, 2);
  EXPECT_EQ(s.by_mode[0].missing, 1);
  // SSS has one specificity score (the adherence row is another kind): no deviation.
  EXPECT_DOUBLE_EQ(*s.by_mode[1].mean, 8.0);
  EXPECT_FALSE(s.by_mode[1].stddev.has_value());
  EXPECT_DOUBLE_EQ(*s.by_mode[2].mean, 4.0);
  EXPECT_DOUBLE_EQ(*s.by_criterion[2][0].mean, 3.0);  // CCC fluency: 2 and 4
  EXPECT_DOUBLE_EQ(*s.by_criterion[2][1].mean, 6.0);
  EXPECT_EQ(s.by_criterion[1][1].count + s.by_criterion[1][1].missing, 0);  // SSS coherence
  EXPECT_DOUBLE_EQ(*s.by_step[1][2].mean, 4.0);                             // step 2, CCC
  EXPECT_FALSE(s.by_step[1][0].mean.has_value());  // step 2, Single: only a missing score
  EXPECT_DOUBLE_EQ(*s.separate_mean, (9.5 + 8.0) / 2);
  EXPECT_DOUBLE_EQ(*s.combined_mean, 4.0);

  const std::string text = RenderDiagnosticSummary(s, true);
  EXPECT_NE(text.find("SIMULATED"), std::string::npos);
  EXPECT_NE(text.find("drop 54%"), std::string::npos);  // 1 - 4 / 8.75
  const auto json = DiagnosticSummaryToJson(s, rows, true);
  EXPECT_EQ(json["rows"].size(), 7u);
  EXPECT_EQ(json["by_mode"][2]["mode"], "CCC");
  EXPECT_TRUE(json["rows"][5]["score"].is_null());
}

}  // namespace
}  // namespace judgeopt::experiments
