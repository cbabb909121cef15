// Structured gradients, the conflict matrix and textual PCGrad on the simulator: its structured
// gradient answers and its conflict classifier (docs/simulator.md, "Structured gradients and
// conflicts"), then SPC runs on SummEval compared with the same structured SSC run without the
// projection. All numbers are SIMULATED: they hold because the simulator's rules make them hold.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cpp/sim/sim_roles_util.h"
#include "cpp/skip_policy.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/prompts/backward.h"
#include "judgeopt/prompts/conflict_prompt.h"
#include "judgeopt/prompts/edit_list.h"

namespace judgeopt::sim {
namespace {

namespace op = prompts;
using Json = nlohmann::ordered_json;
using testing::Ask;
using testing::ConceptsOf;
using testing::kSummEvalCriteria;
using testing::MentionedNames;

// The criteria other than `criterion` whose concepts `text` mentions.
std::vector<std::string> ForeignOwners(const SimClient& client, const std::string& criterion,
                                       const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& c : kSummEvalCriteria) {
    if (c != criterion && !MentionedNames(client, c, text).empty()) out.push_back(c);
  }
  return out;
}

class SimStructuredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = testing::SyntheticSummEval(24);
    client_ = testing::MakeClient(dataset_);
  }

  std::string Structured(const std::string& criterion, const std::string& instruction, int64_t seed,
                         bool structured = true) {
    judge::JudgePrompt p =
        *judge::JudgePrompt::FromDataset(*dataset_).WithInstruction(criterion, instruction);
    const std::string system = *judge::RenderInstructions(p, *dataset_, criterion);
    const auto sample =
        testing::Judged(*dataset_, dataset_->examples[seed % 20], kSummEvalCriteria, {3, 3, 3, 3});
    const std::string critique = criterion + ": INCORRECT. The sample was under-rated.";
    const auto build = structured ? op::GradientPromptStructured : op::GradientPromptSeparate;
    llm::ChatRequest r =
        sim::testing::UserRequest(build(system, sample, criterion, critique, instruction), 0.7);
    r.seed = seed;
    r.max_tokens = 8192;  // the gradient role's default; the edit list comes last
    auto reply = client_->Complete(r);
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    return reply.ok() ? reply->content : "";
  }

  std::shared_ptr<data::Dataset> dataset_;
  std::unique_ptr<SimClient> client_;
};

TEST_F(SimStructuredTest, StructuredAnswersCarryAnEditListAndSomeOverReach) {
  int foreign = 0;
  constexpr int kSeeds = 80;
  for (int seed = 0; seed < kSeeds; ++seed) {
    const std::string reply = Structured("coherence", "Rate from 1 to 5.", seed);
    const op::ParsedEdits parsed = op::ParseEditList(reply, "coherence");
    ASSERT_TRUE(parsed.list_found) << reply;
    ASSERT_FALSE(parsed.edits.empty());
    bool over_reach = false;
    for (const op::Edit& e : parsed.edits) {
      EXPECT_EQ(e.action,
                op::EditAction::kAdd);  // nothing to remove or rephrase here
      const auto owners = ForeignOwners(*client_, "coherence", e.text);
      EXPECT_LE(owners.size(), 1u);
      over_reach = over_reach || !owners.empty();
    }
    foreign += over_reach ? 1 : 0;
    // The plain prompt's answer has no list: unstructured behaviour is unchanged.
    EXPECT_FALSE(
        op::ParseEditList(Structured("coherence", "Rate from 1 to 5.", seed, false), "coherence")
            .list_found);
  }
  // gradient_overreach_share = 0.2 of the answers after a wrong score propose another
  // criterion's concept (the same rule as for plain separate gradients).
  EXPECT_GT(foreign, kSeeds / 10);
  EXPECT_LT(foreign, kSeeds * 2 / 5);
}

TEST_F(SimStructuredTest, AnotherCriterionsConceptInTheInstructionIsProposedForRemoval) {
  const std::string borrowed = ConceptsOf(*client_, "fluency")[0].name;
  const std::string reply = Structured("coherence", "Rate from 1 to 5. Check " + borrowed + ".", 3);
  const op::ParsedEdits parsed = op::ParseEditList(reply, "coherence");
  int removals = 0;
  for (const op::Edit& e : parsed.edits) {
    if (e.action != op::EditAction::kRemove) continue;
    ++removals;
    EXPECT_EQ(MentionedNames(*client_, "fluency", e.text), std::vector<std::string>{borrowed});
  }
  EXPECT_EQ(removals, 1);
}

TEST_F(SimStructuredTest, TheClassifierContradictsClaimsAgreesOnSharedConceptsElseIndependent) {
  const std::string grammar = ConceptsOf(*client_, "fluency")[0].name;
  const std::string spelling = ConceptsOf(*client_, "fluency")[1].name;
  const std::string flow = ConceptsOf(*client_, "coherence")[0].name;
  op::ConflictSide a{"coherence",
                     "Rate from 1 to 5.",
                     {{"coherence", op::EditAction::kAdd, "Pay attention to " + grammar + ".", ""},
                      {"coherence", op::EditAction::kAdd, "Check the " + flow + ".", ""},
                      {"coherence", op::EditAction::kRemove, "the part about " + spelling, ""}}};
  op::ConflictSide b{"fluency",
                     "Rate from 1 to 5.",
                     {{"fluency", op::EditAction::kAdd, "Check " + spelling + ".", ""},
                      {"fluency", op::EditAction::kAdd, "Look at " + flow + ".", ""}}};
  const std::string reply = Ask(*client_, op::ConflictPrompt(a, b));
  const op::ParsedVerdicts p = op::ParseVerdicts(reply, 3, 2);
  ASSERT_TRUE(p.list_found) << reply;
  ASSERT_EQ(p.verdicts.size(), 6u);
  using V = op::PairVerdict;
  // A1 claims fluency's concept: it contradicts both of B's edits, and B's side is kept...
  EXPECT_EQ(p.verdicts[0].verdict, V::kContradict);
  EXPECT_EQ(p.verdicts[0].keep, "b");
  // ...except against B2, which claims coherence's concept too: a tie, both go.
  EXPECT_EQ(p.verdicts[1].verdict, V::kContradict);
  EXPECT_EQ(p.verdicts[1].keep, "neither");
  EXPECT_EQ(p.verdicts[2].verdict, V::kIndependent);  // A2 vs B1
  EXPECT_EQ(p.verdicts[3].verdict, V::kContradict);   // B2 claims A2's concept
  EXPECT_EQ(p.verdicts[3].keep, "a");
  EXPECT_EQ(p.verdicts[4].verdict,
            V::kAgree);  // removing spelling from coherence, adding it
  EXPECT_EQ(p.verdicts[5].verdict, V::kContradict);
  for (const auto& v : p.verdicts) EXPECT_EQ(v.note, "");
}

TEST_F(SimStructuredTest, ClassifierRepliesAreMalformedInTheConfiguredShareAndStillParse) {
  auto client = testing::MakeClient(dataset_, 1.0);  // every reply malformed
  op::ConflictSide a{"coherence", "Rate.", {{"coherence", op::EditAction::kAdd, "x", ""}}};
  op::ConflictSide b{"fluency", "Rate.", {{"fluency", op::EditAction::kAdd, "y", ""}}};
  int missing = 0;
  for (int seed = 0; seed < 20; ++seed) {
    const auto p = op::ParseVerdicts(Ask(*client, op::ConflictPrompt(a, b), seed), 1, 1);
    ASSERT_EQ(p.verdicts.size(), 1u);
    missing += p.verdicts[0].note.empty() ? 0 : 1;
  }
  EXPECT_GT(missing,
            5);            // missing, cut off or empty: counted independent with a note
  EXPECT_LT(missing, 20);  // prose around the list still parses
}

// ---- end to end on SummEval
// ---------------------------------------------------------------------

constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

std::shared_ptr<const data::Dataset> SummEval() {
  if (!std::filesystem::exists(std::string(kDataRoot) + "/summeval/summeval.jsonl")) return nullptr;
  data::DataLocator locator(kDataRoot, "", {});
  auto loaded = data::LoadDataset("summeval", locator, {});
  if (!loaded.ok()) return nullptr;
  loaded->splits.test.resize(std::min<std::size_t>(loaded->splits.test.size(), 40));
  return std::make_shared<const data::Dataset>(std::move(*loaded));
}

struct SpcRun {
  std::vector<optim::StepRecord> steps;
  judge::JudgePrompt final_prompt;
};

Result<SpcRun> RunSim(std::shared_ptr<const data::Dataset> dataset,
                      const optim::OptimizeConfig& config, double malformed) {
  llm::ClientStackPorts ports;
  ports.cache = std::make_shared<llm::MemoryResponseCache>();
  ports.env = [](const std::string&) { return std::optional<std::string>(); };
  ports.make_sim = [dataset, malformed]() -> Result<std::unique_ptr<llm::LlmClient>> {
    SimOptions options;
    options.malformed.SetAll(malformed);
    JO_ASSIGN_OR_RETURN(auto client, SimClient::Create(dataset, options));
    return std::unique_ptr<llm::LlmClient>(std::move(client));
  };
  JO_ASSIGN_OR_RETURN(auto stack, llm::ClientStack::Create(config.llm, std::move(ports)));
  WorkPool pool(4);
  optim::MemoryRunRecorder recorder;
  optim::RunDeps deps{*stack, pool, recorder, nullptr, "test"};
  JO_ASSIGN_OR_RETURN(auto plans, optim::PlanRuns(config, *dataset));
  JO_ASSIGN_OR_RETURN(optim::RunResult r, optim::RunOptimization(config, *dataset, plans[0], deps));
  return SpcRun{recorder.Steps(r.plan.run_id), r.final_prompt};
}

optim::OptimizeConfig Config(const std::string& mode) {
  optim::OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  EXPECT_TRUE(optim::ApplyModeName(c, mode, "mode").ok());
  c.steps = 2;
  c.batch_size = 3;
  c.gate.metric = optim::GateMetric::kNone;
  c.eval.every = 2;
  return c;
}

// Concepts of other criteria that a prompt's instructions mention, summed over criteria.
int ForeignMentions(const SimClient& client, const judge::JudgePrompt& prompt) {
  int n = 0;
  for (const std::string& c : kSummEvalCriteria) {
    n += static_cast<int>(ForeignOwners(client, c, *prompt.Instruction(c)).size());
  }
  return n;
}

TEST(SpcSimTest, SpcStoresEditsTheMatrixAndWhatPcgradDroppedEveryStep) {
  const auto dataset = SummEval();
  if (!dataset) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  const optim::OptimizeConfig c = Config("SPC");
  ASSERT_EQ(optim::RunLabel(c), "SPC");
  auto run = RunSim(dataset, c, 0.02);
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  ASSERT_EQ(run->steps.size(), 3u);
  int dropped = 0, contradict = 0;
  for (int s = 1; s <= 2; ++s) {
    const auto& d = run->steps[static_cast<std::size_t>(s)].decisions;
    ASSERT_GE(d.size(), 6u) << "step " << s;
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(d[i].kind, "edits");
      EXPECT_EQ(d[i].criterion, kSummEvalCriteria[i]);
    }
    EXPECT_EQ(d[4].kind, "conflict_matrix");
    EXPECT_EQ(d[5].kind, "pcgrad");
    const Json matrix = Json::parse(d[4].payload_json);
    EXPECT_EQ(matrix["criteria"], Json(kSummEvalCriteria));
    ASSERT_EQ(matrix["pairs"].size(), 6u);
    for (const Json& p : matrix["pairs"]) contradict += p["contradict"].get<int>();
    dropped += static_cast<int>(Json::parse(d[5].payload_json)["dropped"].size());
    // The classifier's calls are recorded under the diagnostic role, stage "conflicts".
    int calls = 0;
    for (const auto& call : run->steps[static_cast<std::size_t>(s)].calls) {
      if (call.stage == "conflicts") {
        EXPECT_EQ(call.role, "diagnostic");
        ++calls;
      }
    }
    EXPECT_GE(calls, 1);
    EXPECT_LE(calls, 6);
  }
  EXPECT_GT(contradict, 0);
  EXPECT_GT(dropped, 0);
}

TEST(SpcSimTest, ProjectingAwayContradictionsChangesTheRunAgainstStructuredSsc) {
  const auto dataset = SummEval();
  if (!dataset) JO_SKIP_OR_FAIL() << "SummEval data not found under " << kDataRoot;
  optim::OptimizeConfig ssc = Config("SSC");
  ssc.method.structured_gradients = true;  // the same gradients and matrix, no projection
  ssc.method.conflict_matrix = true;
  auto spc = RunSim(dataset, Config("SPC"), 0.0);
  auto plain = RunSim(dataset, ssc, 0.0);
  ASSERT_TRUE(spc.ok()) << spc.error().ToString();
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  // Step 1 starts from the same prompt: identical gradients and matrix, different feedback.
  EXPECT_EQ(spc->steps[1].gradients.size(), plain->steps[1].gradients.size());
  for (std::size_t i = 0; i < spc->steps[1].gradients.size(); ++i) {
    EXPECT_EQ(spc->steps[1].gradients[i].text, plain->steps[1].gradients[i].text);
  }
  EXPECT_EQ(spc->steps[1].decisions[4], plain->steps[1].decisions[4]);
  EXPECT_EQ(plain->steps[1].decisions.size(),
            5u);  // no pcgrad decision without the method
  EXPECT_NE(spc->steps[1].candidate.json, plain->steps[1].candidate.json);
  // What was projected away is what gives the structured SSC prompt its misattributed concepts.
  auto client = testing::MakeClient(std::const_pointer_cast<data::Dataset>(dataset));
  EXPECT_LT(ForeignMentions(*client, spc->final_prompt),
            ForeignMentions(*client, plain->final_prompt))
      << "simulated misattribution";
}

}  // namespace
}  // namespace judgeopt::sim
