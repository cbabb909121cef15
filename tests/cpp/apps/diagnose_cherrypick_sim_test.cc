// Diagnostics and cherry-pick end to end in-process on SummEval with the simulator behind every
// role and a real run store: tiny runs (2 steps, 40 test examples) of SSS, CCC and single-task;
// the specificity of the SSS run's gradients is above the CCC run's (the simulator's joint
// gradients mix criteria, its separate ones do not), scores are stored and a rerun asks nothing;
// cherry-pick stitches the single-task picks, stores its result, and a rerun makes no call.
// All numbers are SIMULATED. (In tests/cpp/apps because it needs the simulator and the store.)

#include <atomic>
#include <filesystem>

#include <gtest/gtest.h>

#include "cpp/skip_policy.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/locator.h"
#include "judgeopt/experiments/cherrypick.h"
#include "judgeopt/experiments/diagnose.h"
#include "judgeopt/llm/client_stack.h"
#include "judgeopt/optim/run_loop.h"
#include "judgeopt/sim/sim_client.h"
#include "judgeopt/store/analysis_store.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
constexpr const char* kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

std::shared_ptr<const data::Dataset> SmallSummEval() {
  if (!fs::exists(std::string(kDataRoot) + "/summeval/summeval.jsonl")) return nullptr;
  data::DataLocator locator(kDataRoot, "", {});
  auto loaded = data::LoadDataset("summeval", locator, {});
  if (!loaded.ok()) return nullptr;
  loaded->splits.test.resize(40);  // fewer evaluation calls; same behaviour
  return std::make_shared<const data::Dataset>(std::move(*loaded));
}

llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

/// Counts the calls that reach the wrapped client. Thread-safe when the inner client is.
class CountingClient final : public llm::LlmClient {
 public:
  explicit CountingClient(llm::LlmClient& inner) : inner_(inner) {}
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override {
    ++calls;
    return inner_.Complete(request);
  }
  std::atomic<int> calls{0};

 private:
  llm::LlmClient& inner_;
};

class StoreEvaluations final : public experiments::EvaluationStore {
 public:
  explicit StoreEvaluations(store::AnalysisStore& s) : s_(s) {}
  Result<std::optional<optim::EvaluationRecord>> FindEvaluation(const std::string& fp,
                                                                const std::string& split,
                                                                const std::string& key) override {
    return s_.FindEvaluation(fp, split, key);
  }
  Status SaveEvaluation(const optim::EvaluationRecord& e) override { return s_.SaveEvaluation(e); }

 private:
  store::AnalysisStore& s_;
};

class DiagnoseCherrypickSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = SmallSummEval();
    if (!dataset_) JO_SKIP_OR_FAIL() << "SummEval is absent under " << kDataRoot;
    dir_ = fs::temp_directory_path() / ("jo_diag_sim_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "runs.db").string();
    auto runs = store::RunStore::Open(path_);
    ASSERT_TRUE(runs.ok());
    runs_ = std::move(*runs);
    llm::ClientStackPorts ports;
    ports.env = NoEnv();
    auto ds = dataset_;
    ports.make_sim = [ds]() -> Result<std::unique_ptr<llm::LlmClient>> {
      JO_ASSIGN_OR_RETURN(auto client, sim::SimClient::Create(ds, {}));
      return std::unique_ptr<llm::LlmClient>(std::move(client));
    };
    auto stack = llm::ClientStack::Create(llm::DefaultLlmConfig(NoEnv()), std::move(ports));
    ASSERT_TRUE(stack.ok()) << stack.error().message;
    stack_ = std::move(*stack);
  }
  void TearDown() override {
    runs_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  optim::OptimizeConfig Config(const std::string& mode) {
    optim::OptimizeConfig c;
    c.llm = stack_->config();
    EXPECT_TRUE(optim::ApplyModeName(c, mode, "mode").ok());
    c.steps = 2;
    c.gate.metric = optim::GateMetric::kNone;
    return c;
  }

  // Runs every plan of `mode`; returns the run ids.
  std::vector<std::string> Optimize(const std::string& mode) {
    const optim::OptimizeConfig config = Config(mode);
    configs_[mode] = config;
    WorkPool pool(4);
    optim::RunDeps deps{*stack_, pool, *runs_, nullptr, "test"};
    auto plans = optim::PlanRuns(config, *dataset_);
    EXPECT_TRUE(plans.ok());
    std::vector<std::string> ids;
    for (const auto& plan : *plans) {
      auto r = optim::RunOptimization(config, *dataset_, plan, deps);
      EXPECT_TRUE(r.ok()) << r.error().message;
      ids.push_back(plan.run_id);
    }
    return ids;
  }

  std::vector<optim::StepRecord> Steps(const std::string& run_id) {
    std::vector<optim::StepRecord> out;
    for (int s = 0;; ++s) {
      auto step = runs_->LoadStep(run_id, s);
      if (!step.ok() || !step->has_value()) break;
      out.push_back(**step);
    }
    return out;
  }

  optim::RunInfo Info(const std::string& run_id) {
    auto reader = store::RunReader::Open(path_);
    EXPECT_TRUE(reader.ok());
    return reader->LoadRun(run_id)->run.info;
  }

  std::shared_ptr<const data::Dataset> dataset_;
  fs::path dir_;
  std::string path_;
  std::unique_ptr<store::RunStore> runs_;
  std::unique_ptr<llm::ClientStack> stack_;
  std::map<std::string, optim::OptimizeConfig> configs_;
};

TEST_F(DiagnoseCherrypickSimTest, SpecificityOfSeparateGradientsExceedsJointOnesAndIsStoredOnce) {
  const std::string sss = Optimize("SSS").front();
  const std::string ccc = Optimize("CCC").front();
  auto analysis = store::AnalysisStore::Open(path_);
  ASSERT_TRUE(analysis.ok());
  std::vector<experiments::DiagnosedRun> runs = {{Info(sss), Steps(sss)}, {Info(ccc), Steps(ccc)}};
  auto items = experiments::PlanDiagnostics(experiments::kSpecificity, runs, *dataset_, {});
  ASSERT_TRUE(items.ok()) << items.error().message;
  EXPECT_EQ(items->size(), 2u * 2 * 4);  // 2 runs x 2 steps x 4 criteria

  experiments::DiagnosticCallSettings settings;
  settings.base = llm::MakeRequest(stack_->config(), llm::Role::kDiagnostic);
  settings.endpoint_kind = std::string(stack_->endpoint_kind(llm::Role::kDiagnostic));
  WorkPool pool(4);
  auto outcomes = experiments::ScoreDiagnostics(stack_->For(llm::Role::kDiagnostic), pool,
                                                experiments::kSpecificity, *items, settings);
  std::vector<store::DiagnosticRow> rows;
  for (auto& o : outcomes) {
    ASSERT_TRUE(o.row.has_value()) << o.error->message;
    EXPECT_TRUE(o.row->simulated) << "the simulator's reply labels its score";
    rows.push_back(*o.row);
  }
  ASSERT_TRUE((*analysis)->SaveDiagnostics(rows).ok());

  auto stored = (*analysis)->ListDiagnostics({sss, ccc}, experiments::kSpecificity);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 16u);
  const auto summary = experiments::SummarizeDiagnostics(*stored, experiments::kSpecificity);
  ASSERT_EQ(summary.modes, (std::vector<std::string>{"SSS", "CCC"}));
  ASSERT_TRUE(summary.by_mode[0].mean && summary.by_mode[1].mean);
  EXPECT_GT(*summary.by_mode[0].mean, *summary.by_mode[1].mean)
      << experiments::RenderDiagnosticSummary(summary, true);

  std::set<experiments::DiagnosticKey> done;
  for (const auto& r : *stored) done.insert({r.run_id, r.step, r.criterion});
  auto again = experiments::PlanDiagnostics(experiments::kSpecificity, runs, *dataset_, done);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(DiagnoseCherrypickSimTest, CherrypickStitchesSingleTaskPicksAndARerunMakesNoCall) {
  Optimize("SSS");  // its step-0 evaluation is the initial prompt's, found by cherry-pick
  const std::vector<std::string> ids = Optimize("ST");
  ASSERT_EQ(ids.size(), 4u);
  auto analysis = store::AnalysisStore::Open(path_);
  ASSERT_TRUE(analysis.ok());
  std::vector<experiments::SingleTaskRun> runs;
  for (const std::string& id : ids) runs.push_back({Info(id), configs_["ST"], Steps(id)});
  CountingClient judge(stack_->For(llm::Role::kJudge));
  WorkPool pool(4);
  StoreEvaluations evaluations(**analysis);
  experiments::CherrypickDeps deps{judge, pool, evaluations, true};
  experiments::CherrypickOptions options;
  options.validation_samples = 10;

  auto first = experiments::RunCherrypick(*dataset_, runs, options, deps);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_GT(judge.calls.load(), 0);
  const experiments::CherrypickResult& r = first->result;
  ASSERT_EQ(r.rows.size(), 5u);
  for (const auto& row : r.rows) {
    if (row.criterion == "average") continue;
    EXPECT_FALSE(row.source_run_id.empty()) << row.criterion;
    EXPECT_FALSE(row.candidates.empty());
    EXPECT_EQ(row.stitched.n + row.stitched.missing, 40) << row.criterion;
    EXPECT_TRUE(row.initial.spearman.has_value());
  }
  EXPECT_EQ(r.group_id, Info(ids[0]).group_id);
  ASSERT_TRUE((*analysis)->SaveCherrypick(r).ok());

  const int calls = judge.calls.load();
  auto again = experiments::RunCherrypick(*dataset_, runs, options, deps);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(judge.calls.load(), calls);
  EXPECT_EQ(again->evaluations_made, 0);
  EXPECT_EQ(experiments::CherrypickToJson(again->result), experiments::CherrypickToJson(r));

  auto reader = store::RunReader::Open(path_);
  ASSERT_TRUE(reader.ok());
  auto listed = store::ListCherrypicks(reader->db());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, r.id);
  EXPECT_EQ(experiments::CherrypickToJson((*listed)[0]), experiments::CherrypickToJson(r));
}

}  // namespace
}  // namespace judgeopt
