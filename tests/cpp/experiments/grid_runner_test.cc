// The grid runner over the loop tests' 20-example dataset and scripted model (every role's
// layout answered): a tiny grid (2 modes x 2 seeds, 2 steps, batch 2) runs in parallel to the
// end; a rerun makes no call and skips every run; each run stores exactly what a run of its
// config alone stores; a budget stop ends the grid cleanly and a rerun completes it. (The CLI
// tests run grids on the simulator.)

#include "judgeopt/experiments/grid_runner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <map>
#include <mutex>
#include <set>

#include "cpp/optim/loop_fixtures.h"
#include "fakes/memory_run_recorder.h"
#include "judgeopt/llm/cache.h"
#include "judgeopt/optim/run_loop.h"

namespace judgeopt::experiments {
namespace {

llm::EnvLookup NoEnv() {
  return [](const std::string&) { return std::optional<std::string>(); };
}

// Records which runs started and ended (thread-safe, as the runner requires).
class CountingObserver final : public GridObserver {
 public:
  void OnRunStart(std::size_t index, const GridRun&) override {
    std::lock_guard<std::mutex> lock(mu_);
    started.insert(index);
  }
  void OnRunDone(std::size_t index, const GridRun&, const GridRunOutcome&) override {
    std::lock_guard<std::mutex> lock(mu_);
    done.insert(index);
  }
  std::set<std::size_t> started, done;

 private:
  std::mutex mu_;
};

/// A planned grid over the loop dataset and what it runs with: one model, cache and recorder
/// that outlive several invocations (each invocation gets a fresh stack, as a rerun of the
/// command would).
struct GridHarness {
  std::shared_ptr<const data::Dataset> dataset =
      std::make_shared<const data::Dataset>(optim::testdata::MakeLoopDataset());
  optim::testdata::LayoutModel layout;
  testing::ScriptedLlm model{[this](const llm::ChatRequest& r) { return layout.Answer(r); }};
  std::shared_ptr<llm::ResponseCache> cache = std::make_shared<llm::MemoryResponseCache>();
  optim::MemoryRunRecorder recorder;
  std::vector<GridCell> cells;
  std::vector<GridRun> runs;

  explicit GridHarness(const std::string& extra = "") {
    auto tree = config::ParseToml(std::string(R"(
[grid]
name = "tiny"
datasets = ["loop"]
modes = ["SSS", "CCC"]
gates = ["mae"]
seeds = [1, 2]
[optimize]
steps = 2
batch_size = 2
[gate]
samples = 2
)") + extra,
                                  "tiny.toml");
    EXPECT_TRUE(tree.ok());
    auto grid = ParseGridConfig(*tree, "tiny.toml", NoEnv());
    EXPECT_TRUE(grid.ok()) << grid.error().ToString();
    auto expanded = ExpandGrid(*grid, NoEnv());
    EXPECT_TRUE(expanded.ok()) << expanded.error().ToString();
    cells = std::move(*expanded);
    auto planned = PlanGridRuns(
        cells, [this](const std::string&) -> const data::Dataset& { return *dataset; });
    EXPECT_TRUE(planned.ok()) << planned.error().ToString();
    runs = std::move(*planned);
  }

  std::unique_ptr<llm::ClientStack> Stack(llm::Budget budget = {}) {
    llm::ClientStackPorts ports;
    ports.cache = cache;
    ports.env = NoEnv();
    ports.budget = budget;
    ports.make_sim = [this]() -> Result<std::unique_ptr<llm::LlmClient>> {
      return std::unique_ptr<llm::LlmClient>(
          std::make_unique<optim::testdata::ForwardingClient>(model));
    };
    auto stack = llm::ClientStack::Create(cells[0].config.llm, std::move(ports));
    EXPECT_TRUE(stack.ok()) << stack.error().ToString();
    return std::move(*stack);
  }

  // One invocation over every run; returns the outcomes and the stack's ledger total.
  std::pair<std::vector<GridRunOutcome>, llm::LedgerLine> Invoke(int parallel,
                                                                 llm::Budget budget = {},
                                                                 GridObserver* observer = nullptr,
                                                                 bool* stopped = nullptr) {
    auto stack = Stack(budget);
    WorkPool pool(4);
    GridDeps deps{*stack, pool, recorder, observer, "test"};
    GridRunner runner(cells, runs, parallel);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < runs.size(); ++i) all.push_back(i);
    runner.Run(all, *dataset, deps);
    if (stopped != nullptr) *stopped = runner.budget_stopped();
    return {runner.outcomes(), stack->ledger().total};
  }
};

TEST(GridRunnerTest, TinyGridFinishesAndARerunSkipsEveryRunWithoutACall) {
  GridHarness h;
  ASSERT_EQ(h.runs.size(), 4u);
  CountingObserver observer;
  auto [outcomes, spent] = h.Invoke(2, {}, &observer);
  EXPECT_GT(spent.calls, 0);
  EXPECT_EQ(observer.started.size(), 4u);
  EXPECT_EQ(observer.done.size(), 4u);
  int64_t stored_calls = 0;
  for (std::size_t i = 0; i < h.runs.size(); ++i) {
    const std::string& id = h.runs[i].plan.run_id;
    EXPECT_EQ(outcomes[i].status, GridRunStatus::kFinished) << outcomes[i].message;
    EXPECT_EQ(outcomes[i].resumed_after_step, -1);
    EXPECT_EQ(h.recorder.RunStatus(id), "finished");
    EXPECT_EQ(h.recorder.Steps(id).size(), 3u) << id;  // baseline + 2 steps
    stored_calls += outcomes[i].usage.calls + outcomes[i].usage.cache_hits;
  }
  EXPECT_TRUE(Tally(outcomes).complete());
  // The per-run counts come from the stored steps: together they are every call answered.
  EXPECT_EQ(stored_calls, spent.calls + spent.cache_hits);

  auto [again, spent_again] = h.Invoke(2);
  EXPECT_EQ(spent_again.calls, 0);
  EXPECT_EQ(spent_again.cache_hits, 0);
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].status, GridRunStatus::kSkipped);
    EXPECT_EQ(again[i].resumed_after_step, 2);
    EXPECT_EQ(again[i].final_spearman, outcomes[i].final_spearman);
  }
  const GridTotals t = Tally(again);
  EXPECT_EQ(t.skipped, 4);
  EXPECT_EQ(t.usage.calls, 0);
}

// What a run stored, minus what legitimately depends on the cache (hits, latency, cost).
std::vector<std::string> Fingerprint(const optim::MemoryRunRecorder& r, const std::string& id) {
  std::vector<std::string> out;
  for (const optim::StepRecord& s : r.Steps(id)) {
    std::string line = std::to_string(s.step) + "|" + s.incumbent_after.fingerprint + "|" +
                       s.candidate.fingerprint + "|" + std::to_string(s.gate.accepted) + "|";
    for (std::size_t p : s.batch_positions) line += std::to_string(p) + ",";
    if (s.test_eval) {
      line += "|eval " + s.test_eval->prompt_fingerprint + " reused " +
              std::to_string(s.test_eval->reused_from_step.value_or(-9));
      for (const auto& p : s.test_eval->predictions) line += "|" + p.raw_reply;
    }
    for (const optim::CallRecord& c : s.calls) line += "|" + c.stage + ":" + c.request_hash;
    out.push_back(line);
  }
  return out;
}

TEST(GridRunnerTest, EachRunStoresWhatItsConfigAloneStores) {
  GridHarness grid;
  auto [outcomes, spent] = grid.Invoke(4);
  for (std::size_t i = 0; i < grid.runs.size(); ++i) {
    ASSERT_EQ(outcomes[i].status, GridRunStatus::kFinished) << outcomes[i].message;
    // The same run alone, in a fresh store and cache.
    GridHarness alone;
    auto stack = alone.Stack();
    WorkPool pool(2);
    optim::RunDeps deps{*stack, pool, alone.recorder, nullptr, "test"};
    const GridRun& run = grid.runs[i];
    auto result =
        optim::RunOptimization(grid.cells[run.cell].config, *alone.dataset, run.plan, deps);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    EXPECT_EQ(Fingerprint(grid.recorder, run.plan.run_id),
              Fingerprint(alone.recorder, run.plan.run_id))
        << run.label;
  }
}

TEST(GridRunnerTest, APickFromTheParetoArchiveReadsEarlierStepsThroughTheGridsRecorder) {
  // The last step's selection loads every earlier step (RunRecorder::LoadStep): the grid's view
  // of the recorder must forward it, or every such run fails at its last step.
  GridHarness h("[[grid.variants]]\nname = \"mm\"\nmethod = { select = \"max-min\" }\n");
  auto [outcomes, spent] = h.Invoke(2);
  for (std::size_t i = 0; i < h.runs.size(); ++i) {
    ASSERT_EQ(outcomes[i].status, GridRunStatus::kFinished) << outcomes[i].message;
    auto last = h.recorder.LoadStep(h.runs[i].plan.run_id, 2);
    ASSERT_TRUE(last.ok() && last->has_value()) << h.runs[i].label;
    const auto& decisions = (*last)->decisions;
    EXPECT_TRUE(std::any_of(decisions.begin(), decisions.end(),
                            [](const optim::DecisionRecord& d) { return d.kind == "select"; }))
        << h.runs[i].label;
  }
}

TEST(GridRunnerTest, ABudgetStopEndsTheGridCleanlyAndARerunCompletesIt) {
  // What the whole grid costs, measured on a separate cache.
  int64_t full = 0;
  {
    GridHarness measure;
    full = measure.Invoke(1).second.calls;
  }
  ASSERT_GT(full, 10);
  GridHarness h;
  bool stopped = false;
  llm::Budget small;
  small.max_calls = full / 3;
  auto [outcomes, spent] = h.Invoke(1, small, nullptr, &stopped);
  EXPECT_TRUE(stopped);
  EXPECT_LE(spent.calls, full / 3);
  // In run order: finished runs, then the one the budget stopped, then runs never started.
  std::size_t k = 0;
  while (k < outcomes.size() && outcomes[k].status == GridRunStatus::kFinished) ++k;
  ASSERT_LT(k, outcomes.size());
  EXPECT_EQ(outcomes[k].status, GridRunStatus::kStopped);
  EXPECT_NE(outcomes[k].message.find("budget"), std::string::npos) << outcomes[k].message;
  EXPECT_EQ(h.recorder.RunStatus(h.runs[k].plan.run_id), "failed");
  for (std::size_t j = k + 1; j < outcomes.size(); ++j) {
    EXPECT_EQ(outcomes[j].status, GridRunStatus::kNotStarted);
    EXPECT_EQ(h.recorder.RunStatus(h.runs[j].plan.run_id), "");
  }
  EXPECT_FALSE(Tally(outcomes).complete());

  // A rerun without the cap finishes every run; nothing paid for is paid again (one run at a
  // time, so no two runs send the same request at once).
  auto [rest, spent_rest] = h.Invoke(1);
  for (std::size_t j = 0; j < rest.size(); ++j) {
    EXPECT_EQ(rest[j].status, j < k ? GridRunStatus::kSkipped : GridRunStatus::kFinished)
        << rest[j].message;
  }
  EXPECT_EQ(spent.calls + spent_rest.calls, full);
}

}  // namespace
}  // namespace judgeopt::experiments
