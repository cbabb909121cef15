// The simulator's optimizer on the layouts of the router and criterion-owned blocks (mixed joint
// and per-criterion feedback, owned-block prompts, the read-only block of separate prompts), then
// the router, and criterion-owned blocks with the length balance, end to end on SummEval with the
// simulator behind every role: short runs (2 steps, batch 2, cut test split) whose every step
// stores its decisions. All numbers are SIMULATED.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "cpp/sim/sim_roles_util.h"
#include "cpp/sim/small_summeval_run.h"
#include "cpp/skip_policy.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/methods/length_balance.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/prompts/optimizer.h"
#include "judgeopt/prompts/parse.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::optim {
namespace {

namespace op = prompts;
using sim::testing::kSummEvalCriteria;

constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

class SimMethodLayoutTest : public ::testing::Test {
 protected:
  SimMethodLayoutTest()
      : dataset_(sim::testing::SyntheticSummEval(24)), client_(sim::testing::MakeClient(dataset_)) {
    for (const auto& c : kSummEvalCriteria) instructions_.push_back({c, "Rate from 1 to 5."});
    samples_ = {
        sim::testing::Judged(*dataset_, dataset_->examples[2], kSummEvalCriteria, {3, 3, 3, 3})};
  }

  std::string System(std::optional<std::string> only = {}) const {
    auto text =
        judge::RenderInstructions(judge::JudgePrompt::FromDataset(*dataset_), *dataset_, only);
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : "";
  }

  // The name of the first simulated rubric concept of `criterion`.
  std::string Concept(const std::string& criterion) const {
    return sim::testing::ConceptsOf(*client_, criterion).front().name;
  }

  std::map<std::string, std::string> Parse(const std::string& reply) const {
    auto parsed = op::ParseCombinedReply(reply, kSummEvalCriteria);
    EXPECT_TRUE(parsed.ok()) << reply;
    std::map<std::string, std::string> out;
    if (parsed.ok()) {
      for (const auto& i : parsed->found) out[i.criterion] = AsciiLower(i.text);
    }
    return out;
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<sim::SimClient> client_;
  std::vector<op::Instruction> instructions_;
  std::vector<op::JudgedSample> samples_;
};

TEST_F(SimMethodLayoutTest, MixedFeedbackGivesEachCriterionItsOwnSection) {
  // The own section names coherence's concept without quoting a criterion: the section header
  // attributes it.
  const std::string own = "Ask the judge about " + Concept("coherence") + ".";
  const std::vector<std::string> joint = {"The instruction for 'fluency' should also ask about " +
                                          Concept("fluency") + "."};
  const std::vector<op::CriterionGradients> per = {{"coherence", {own}}};
  const std::string prompt = op::OptimizerPromptCombinedWithFeedback(
      instructions_, System(), samples_, op::MixedGradientSections(joint, per));
  auto got = Parse(sim::testing::Ask(*client_, prompt));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_NE(got["coherence"].find(Concept("coherence")), std::string::npos) << got["coherence"];
  EXPECT_NE(got["fluency"].find(Concept("fluency")), std::string::npos) << got["fluency"];
}

TEST_F(SimMethodLayoutTest, AnOwnedBlockPromptGetsItsOwnersBlockAlone) {
  const std::vector<std::string> joint = {
      "The instruction for 'fluency' should also ask about " + Concept("fluency") +
      ". The instruction for 'relevance' should also ask about " + Concept("relevance") + "."};
  std::vector<op::CriterionGradients> grads;
  for (const auto& c : kSummEvalCriteria) grads.push_back({c, joint});
  const std::string feedback = op::CombinedGradientSections(grads);
  for (const std::string owner : {"fluency", "relevance"}) {
    const std::string prompt =
        op::OptimizerPromptOwned(owner, instructions_, System(), samples_, feedback);
    const auto layout = op::ReadPromptLayout(prompt);
    EXPECT_EQ(layout.kind, op::PromptKind::kOptimizerOwned);
    EXPECT_EQ(layout.owner, owner);
    auto got = Parse(sim::testing::Ask(*client_, prompt));
    ASSERT_EQ(got.size(), 1u) << owner;
    EXPECT_NE(got[owner].find(Concept(owner)), std::string::npos) << got[owner];
  }
}

TEST_F(SimMethodLayoutTest, ASeparatePromptWithReadOnlyBlocksIsReadAsBefore) {
  const std::vector<op::Instruction> others(instructions_.begin() + 1, instructions_.end());
  const std::vector<std::string> grads = {"The instruction for 'fluency' should ask about " +
                                          Concept("fluency") + "."};
  const std::string prompt = op::OptimizerPromptSeparate(
      "fluency", "Rate from 1 to 5.", System("fluency"), samples_, grads, others);
  const std::string reply = sim::testing::Ask(*client_, prompt);
  EXPECT_EQ(reply.rfind("Rate from 1 to 5.", 0), 0u) << reply;
  EXPECT_NE(AsciiLower(reply).find(Concept("fluency")), std::string::npos) << reply;
}

using testing::RunSim;
using testing::SmallSummEval;

OptimizeConfig ShortConfig(const std::string& mode) {
  OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  EXPECT_TRUE(ApplyModeName(c, mode, "mode").ok());
  c.steps = 2;
  c.batch_size = 2;
  c.gate.metric = GateMetric::kNone;
  c.eval.every = 2;
  return c;
}

std::vector<DecisionRecord> OfKind(const StepRecord& s, const std::string& kind) {
  std::vector<DecisionRecord> out;
  for (const DecisionRecord& d : s.decisions) {
    if (d.kind == kind) out.push_back(d);
  }
  return out;
}

TEST(RouterSimTest, RoutesLowSpecificityCriteriaAndStoresEveryRoute) {
  auto ds = SmallSummEval();
  if (!ds) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  OptimizeConfig c = ShortConfig("SCC");
  c.method.name = Method::kRouter;
  ASSERT_TRUE(ValidateOptimizeConfig(c).ok()) << ValidateOptimizeConfig(c).error().ToString();
  MemoryRunRecorder recorder;
  auto result = RunSim(ds, c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_EQ(steps.size(), 3u);
  int routed_total = 0;
  for (int s = 1; s <= 2; ++s) {
    const StepRecord& st = steps[static_cast<std::size_t>(s)];
    SCOPED_TRACE(::testing::Message() << "simulated step " << s);
    const auto routes = OfKind(st, "route");
    ASSERT_EQ(routes.size(), 4u);
    std::map<std::string, int> texts;
    for (const SampleText& g : st.gradients) ++texts[g.criterion];
    EXPECT_EQ(texts["*"], 2);  // one joint gradient per sample
    bool any_routed = false;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      EXPECT_EQ(routes[i].criterion, ds->criteria[i].name);
      const auto p = nlohmann::json::parse(routes[i].payload_json);
      EXPECT_EQ(p["threshold"], 6.0);
      const bool below = p["specificity"].is_null() || p["specificity"].get<int>() < 6;
      EXPECT_EQ(p["routed"], below) << routes[i].summary;
      EXPECT_EQ(p["separate_calls"], below ? 2 : 0);
      // The simulator's gradient replies are non-empty except in its malformed share.
      EXPECT_LE(texts[routes[i].criterion], p["separate_calls"].get<int>());
      any_routed = any_routed || below;
      routed_total += below ? 1 : 0;
    }
    int diagnostic_calls = 0;
    for (const CallRecord& call : st.calls) diagnostic_calls += call.role == "diagnostic";
    EXPECT_EQ(diagnostic_calls, 4);
    ASSERT_EQ(st.optimizer_calls.size(), 1u);
    if (any_routed) {
      EXPECT_NE(st.optimizer_calls[0].meta_prompt.find("only (its own gradient calls)"),
                std::string::npos);
    }
  }
  // Under the simulator's dilution rule a 4-criteria joint gradient names few concepts of any one
  // criterion, so some criterion falls back in two steps.
  EXPECT_GT(routed_total, 0);
}

TEST(OwnedBlocksSimTest, OwnedBlocksWithALengthCapStoreTheirDecisions) {
  auto ds = SmallSummEval();
  if (!ds) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  OptimizeConfig c = ShortConfig("CCC");
  c.method.owned_blocks = true;
  c.method.max_length_ratio = 1.2;
  ASSERT_TRUE(ValidateOptimizeConfig(c).ok()) << ValidateOptimizeConfig(c).error().ToString();
  MemoryRunRecorder recorder;
  auto result = RunSim(ds, c, recorder);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto steps = recorder.Steps(result->plan.run_id);
  ASSERT_EQ(steps.size(), 3u);
  int cuts = 0;
  for (int s = 1; s <= 2; ++s) {
    const StepRecord& st = steps[static_cast<std::size_t>(s)];
    SCOPED_TRACE(::testing::Message() << "simulated step " << s);
    // One owned-block call per criterion instead of the one combined call (plus a retry for a
    // reply in the simulator's malformed share).
    std::set<std::string> owners;
    for (const OptimizerCallRecord& call : st.optimizer_calls) owners.insert(call.criterion);
    EXPECT_EQ(owners, std::set<std::string>({"coherence", "consistency", "fluency", "relevance"}));
    EXPECT_GE(st.optimizer_calls.size(), 4u);
    EXPECT_LE(st.optimizer_calls.size(), 4u * (1 + c.optimizer_retries));
    // The candidate respects the cap: each instruction is within ratio x the mean of the others, or
    // was cut to the incumbent's instruction.
    auto candidate = PromptFromRecord(st.candidate, *ds, result->plan.run_id);
    auto incumbent = PromptFromRecord(st.incumbent_before, *ds, result->plan.run_id);
    ASSERT_TRUE(candidate.ok() && incumbent.ok());
    for (const DecisionRecord& d : OfKind(st, "length_cap")) {
      ++cuts;
      const auto p = nlohmann::json::parse(d.payload_json);
      const std::string& now = *candidate->Instruction(d.criterion);
      EXPECT_EQ(WordCount(now), p["after_words"].get<int>());
      if (p["kept_incumbent"].get<bool>()) {
        EXPECT_EQ(now, *incumbent->Instruction(d.criterion));
      } else {
        EXPECT_LE(p["after_words"].get<double>(), p["cap_words"].get<double>());
        EXPECT_LT(p["after_words"].get<int>(), p["before_words"].get<int>());
      }
    }
  }
  // The simulated optimizer adds sentences to some instructions only, so the cap cuts.
  EXPECT_GT(cuts, 0);
}

}  // namespace
}  // namespace judgeopt::optim
