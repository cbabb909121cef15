// Cherry-pick with a scripted judge whose replies depend on the instruction in the prompt and on
// the split of the example: instruction ALPHA is right on validation and wrong on test, BETA the
// reverse, the seed always answers 3. So the validation pick (ALPHA) and the oracle pick (BETA)
// differ, and every metric of the table follows from the script. Also: distinct candidates only,
// the stitched prompt, the direction of MAE, a rerun with zero calls, and input errors.

#include "judgeopt/experiments/cherrypick.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "cpp/judge/review_dataset.h"
#include "fakes/scripted_llm.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/judge/prompt_file.h"
#include "judgeopt/optim/engine/run_evaluation.h"

namespace judgeopt::experiments {
namespace {

using judge::JudgePrompt;

constexpr int kHalf = 5;  // validation = examples 0..4, test = 5..9
const double kClarity[] = {1, 2, 3, 4, 5};
const double kTone[] = {5, 3, 4, 1, 2};

data::Dataset MakeDataset() {
  data::Dataset d = judge::testdata::MakeReviewDataset();
  d.criteria.resize(2);  // clarity, tone (1-5)
  d.examples.clear();
  for (int i = 0; i < 2 * kHalf; ++i) {
    d.examples.push_back({"e" + std::to_string(i),
                          {"review-" + std::to_string(i) + "-end", "P"},
                          {kClarity[i % kHalf], kTone[i % kHalf]},
                          "g",
                          static_cast<std::size_t>(i)});
  }
  d.splits = {};
  for (int i = 0; i < kHalf; ++i) d.splits.validation.push_back(i);
  for (int i = kHalf; i < 2 * kHalf; ++i) d.splits.test.push_back(i);
  return d;
}

// The value the script gives for criterion `c` of example `i` under `prompt`.
double Value(const std::string& prompt, const std::string& c, int i) {
  const double gold = c == "clarity" ? kClarity[i % kHalf] : kTone[i % kHalf];
  const bool validation = i < kHalf;
  if (prompt.find("ALPHA-" + c) != std::string::npos) return validation ? gold : 6 - gold;
  if (prompt.find("BETA-" + c) != std::string::npos) return validation ? 6 - gold : gold;
  return 3;
}

testing::ScriptedLlm::Reply Answer(const llm::ChatRequest& request) {
  std::string prompt;
  for (const auto& m : request.messages) prompt += m.content + "\n";
  for (int i = 0; i < 2 * kHalf; ++i) {
    if (prompt.find("review-" + std::to_string(i) + "-end") == std::string::npos) continue;
    return fmt::format(R"({{"clarity": {}, "tone": {}}})", Value(prompt, "clarity", i),
                       Value(prompt, "tone", i));
  }
  return Error{ErrorCode::kInternal, "no example in the prompt"};
}

/// Evaluations kept in memory, counting saves.
class MemoryEvaluations : public EvaluationStore {
 public:
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(const std::string& fp,
                                                                const std::string& split,
                                                                const std::string& key) override {
    auto it = kept_.find({fp, split, key});
    if (it == kept_.end()) return std::optional<optim::EvaluationRecord>();
    return std::optional<optim::EvaluationRecord>(it->second);
  }
  Status SaveEvaluation(const optim::EvaluationRecord& e) override {
    kept_[{e.prompt_fingerprint, e.split, e.settings_key}] = e;
    ++saves;
    return Status::Ok();
  }
  int saves = 0;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, optim::EvaluationRecord> kept_;
};

optim::StepRecord Step(int n, const JudgePrompt& incumbent) {
  optim::StepRecord s;
  s.step = n;
  s.incumbent_after = optim::MakePromptRecord(incumbent);
  return s;
}

// A single-task run of `c`: steps 0 (seed), 1 (ALPHA), 2 (BETA), 3 (BETA again).
SingleTaskRun MakeRun(const data::Dataset& ds, const std::string& c) {
  SingleTaskRun run;
  run.info.run_id = "g-" + c;
  run.info.group_id = "g";
  run.info.mode = "ST:" + c;
  run.info.dataset = ds.name;
  run.info.criteria = {c};
  run.config.dataset = ds.name;
  const JudgePrompt seed = *JudgePrompt::FromDataset(ds).OnlyCriterion(c);
  const JudgePrompt alpha = *seed.WithInstruction(c, "ALPHA-" + c + ": judge carefully.");
  const JudgePrompt beta = *seed.WithInstruction(c, "BETA-" + c + ": judge otherwise.");
  run.steps = {Step(0, seed), Step(1, alpha), Step(2, beta), Step(3, beta)};
  return run;
}

struct Fixture {
  data::Dataset ds = MakeDataset();
  testing::ScriptedLlm llm{&Answer};
  WorkPool pool{3};
  MemoryEvaluations evaluations;
  std::vector<SingleTaskRun> runs = {MakeRun(ds, "tone"), MakeRun(ds, "clarity")};

  Result<CherrypickOutcome> Run(const CherrypickOptions& options) {
    CherrypickDeps deps{llm, pool, evaluations, true};
    return RunCherrypick(ds, runs, options, deps);
  }
};

TEST(CherrypickTest, PicksOnValidationStitchesAndEvaluatesOnTest) {
  Fixture f;
  CherrypickOptions options;
  options.validation_samples = 4;
  auto out = f.Run(options);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const CherrypickResult& r = out->result;
  // 2 criteria x 3 distinct candidates x 4 validation examples, 2 picks alone, seed, stitched.
  EXPECT_EQ(f.llm.CallCount(), 2u * 3 * 4 + 2 * 5 + 5 + 5);
  EXPECT_EQ(out->evaluations_made, 2 * 3 + 2 + 2);
  EXPECT_EQ(r.pick_split, "validation");
  EXPECT_EQ(r.pick_samples, 4);
  EXPECT_EQ(r.run_ids, (std::vector<std::string>{"g-clarity", "g-tone"}));  // criteria order
  EXPECT_EQ(r.group_id, "g");
  EXPECT_TRUE(r.simulated);
  ASSERT_EQ(r.rows.size(), 3u);
  for (const std::string c : {"clarity", "tone"}) {
    const CherrypickRow* row = r.Row(c);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->source_run_id, "g-" + c);
    EXPECT_EQ(row->source_step, 1) << c;  // ALPHA: perfect on validation
    EXPECT_EQ(row->instruction, "ALPHA-" + c + ": judge carefully.");
    ASSERT_EQ(row->candidates.size(), 3u);             // step 3 repeats step 2's prompt
    EXPECT_DOUBLE_EQ(*row->candidates[0].score, 0.0);  // a constant: the study's 0
    EXPECT_DOUBLE_EQ(*row->candidates[1].score, 1.0);
    EXPECT_DOUBLE_EQ(*row->candidates[2].score, -1.0);
    EXPECT_DOUBLE_EQ(*row->pick_score, 1.0);
    // On test ALPHA is reversed: alone and stitched alike; the seed answers 3 everywhere.
    EXPECT_DOUBLE_EQ(*row->single.spearman, -1.0);
    EXPECT_DOUBLE_EQ(*row->stitched.spearman, -1.0);
    EXPECT_DOUBLE_EQ(*row->initial.spearman, 0.0);
    EXPECT_EQ(row->stitched.n, 5);
  }
  EXPECT_DOUBLE_EQ(*r.Row("clarity")->initial.mae, 1.2);   // |3 - (1..5)|
  EXPECT_DOUBLE_EQ(*r.Row("clarity")->stitched.mae, 2.4);  // |(5..1) - (1..5)|
  EXPECT_DOUBLE_EQ(*r.Row("average")->initial.off_by_one, 0.6);
  EXPECT_EQ(r.Row("average")->stitched.n, 10);

  auto stitched = config::ParseJson(r.stitched_prompt.json, "stitched");
  ASSERT_TRUE(stitched.ok());
  auto prompt = judge::PromptFromTree(*stitched, f.ds, "stitched");
  ASSERT_TRUE(prompt.ok()) << prompt.error().message;
  ASSERT_EQ(prompt->instructions().size(), 2u);
  EXPECT_EQ(prompt->instructions()[0].criterion, "clarity");
  EXPECT_EQ(prompt->instructions()[1].text, "ALPHA-tone: judge carefully.");
  EXPECT_EQ(prompt->preamble(), f.ds.preamble);
  EXPECT_EQ(r.initial_prompt.fingerprint, JudgePrompt::FromDataset(f.ds).Fingerprint());

  const std::string table = RenderCherrypick(r);
  EXPECT_NE(table.find("Cherry-pick (stitched)"), std::string::npos);
  EXPECT_NE(table.find("SIMULATED"), std::string::npos);
  EXPECT_EQ(table.find("oracle"), std::string::npos);
  EXPECT_EQ(CherrypickToJson(r)["rows"].size(), 3u);
}

TEST(CherrypickTest, ARerunMakesNoCallAndGivesTheSameResult) {
  Fixture f;
  auto first = f.Run({});
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::size_t calls = f.llm.CallCount();
  auto again = f.Run({});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(f.llm.CallCount(), calls);
  EXPECT_EQ(again->evaluations_made, 0);
  EXPECT_EQ(again->evaluations_reused, first->evaluations_made + first->evaluations_reused);
  EXPECT_EQ(again->result.id, first->result.id);
  EXPECT_EQ(CherrypickToJson(again->result), CherrypickToJson(first->result));
}

TEST(CherrypickTest, TheOraclePicksOnTestAndReusesThoseEvaluations) {
  Fixture f;
  CherrypickOptions options;
  options.oracle = true;
  auto out = f.Run(options);
  ASSERT_TRUE(out.ok()) << out.error().message;
  // Candidates on test; each pick alone is then one of them (found, not made again).
  EXPECT_EQ(f.llm.CallCount(), 2u * 3 * 5 + 5 + 5);
  EXPECT_EQ(out->evaluations_reused, 2);
  const CherrypickResult& r = out->result;
  EXPECT_EQ(r.pick_split, "test");
  EXPECT_NE(r.id, f.Run({})->result.id);
  EXPECT_EQ(r.Row("tone")->source_step, 2);  // BETA: right on test
  EXPECT_DOUBLE_EQ(*r.Row("tone")->single.spearman, 1.0);
  EXPECT_NE(RenderCherrypick(r).find("oracle"), std::string::npos);
}

TEST(CherrypickTest, MaeIsPickedLowestFirstMissingRunsKeepTheSeedAndTestCanBeCut) {
  Fixture f;
  f.runs = {MakeRun(f.ds, "tone")};
  f.runs[0].steps = {f.runs[0].steps[2], f.runs[0].steps[1]};  // BETA first, then ALPHA
  CherrypickOptions options;
  options.metric = "mae";
  options.test_samples = 3;  // the first 3 test examples only
  auto out = f.Run(options);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const CherrypickRow* tone = out->result.Row("tone");
  EXPECT_EQ(tone->source_step, 1);  // ALPHA, validation MAE 0, beats BETA's 2.4
  EXPECT_DOUBLE_EQ(*tone->pick_score, 0.0);
  const CherrypickRow* clarity = out->result.Row("clarity");
  EXPECT_EQ(clarity->source_run_id, "");
  EXPECT_EQ(clarity->instruction, f.ds.criteria[0].seed_instruction);
  EXPECT_FALSE(clarity->single.spearman.has_value());
  EXPECT_EQ(clarity->single.n, 0);
  EXPECT_EQ(tone->stitched.n + tone->stitched.missing, 3);
}

TEST(CherrypickTest, BadInputsAreErrorsBeforeAnyCall) {
  Fixture f;
  CherrypickOptions bad_metric;
  bad_metric.metric = "accuracy";
  EXPECT_FALSE(f.Run(bad_metric).ok());
  f.runs[0].info.mode = "SSS";
  auto not_st = f.Run({});
  ASSERT_FALSE(not_st.ok());
  EXPECT_NE(not_st.error().message.find("g-tone"), std::string::npos);
  f.runs.clear();
  EXPECT_FALSE(f.Run({}).ok());
  EXPECT_EQ(f.llm.CallCount(), 0u);
}

}  // namespace
}  // namespace judgeopt::experiments
