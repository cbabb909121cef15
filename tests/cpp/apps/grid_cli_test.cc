// `judgeopt grid` through the real executable with the simulator: --dry-run lists cells and
// projected calls without calling or creating anything; a tiny grid runs to the end, records its
// membership and prints a summary; a rerun makes no call and skips every run; a budget stop ends
// the grid with runs not started and a rerun completes it; bad configs fail naming file and key;
// a grid killed with SIGKILL several times resumes to exports identical to an uninterrupted one.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"
#include "judgeopt/store/grid_store.h"

namespace {

namespace fs = std::filesystem;
using judgeopt::testing::CliRun;
using judgeopt::testing::RunJudgeopt;
using judgeopt::testing::SpawnedJudgeopt;
using judgeopt::testing::SpawnJudgeopt;
using judgeopt::testing::WaitJudgeopt;

const std::string kReviews =
    std::string(JUDGEOPT_SOURCE_DIR) + "/tests/data/datasets/reviews/reviews.toml";
const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

class GridCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("jo_grid_cli_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A grid over the reviews fixture: SSS and CCC, gate mae, seeds 1 and 2, 2 steps of 2.
  std::string TinyGrid(const std::string& extra = "", int parallel = 2) const {
    const fs::path path = root_ / "tiny.toml";
    std::ofstream(path) << "[grid]\nname = \"tiny\"\ndatasets = [\"" << kReviews
                        << "\"]\nmodes = [\"SSS\", \"CCC\"]\ngates = [\"mae\"]\n"
                           "seeds = [1, 2]\nparallel_runs = "
                        << parallel << "\n"
                        << extra << "[optimize]\nsteps = 2\nbatch_size = 2\n[gate]\nsamples = 2\n";
    return path.string();
  }

  CliRun Grid(const std::string& config, const std::string& flags = "") const {
    return RunJudgeopt("grid --config " + config + " --workspace " + (root_ / "ws").string() +
                       " -q " + flags);
  }

  fs::path root_;
};

TEST_F(GridCliTest, DryRunListsCellsAndProjectionsWithoutCalling) {
  const std::string config = TinyGrid();
  CliRun r = Grid(config, "--dry-run");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("4 cells, 4 runs"), std::string::npos) << r.out;
  for (const char* label :
       {"reviews/textgrad/SSS/gate=mae/seed=1", "reviews/textgrad/CCC/gate=mae/seed=2"}) {
    EXPECT_NE(r.out.find(label), std::string::npos) << label << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("calls max"), std::string::npos);
  EXPECT_NE(r.out.find("SIMULATED"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "ws" / ".judgeopt")) << "a dry run must not create anything";
}

TEST_F(GridCliTest, RunsThenARerunSkipsEveryRunWithoutACall) {
  const std::string config = TinyGrid();
  CliRun first = Grid(config);
  ASSERT_EQ(first.code, 0) << first.err << first.out;
  EXPECT_EQ(Count(first.out, " finished "), 4u) << first.out;
  EXPECT_NE(first.out.find("4 finished, 0 skipped"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("[SIMULATED]"), std::string::npos);

  // Membership: the grid's runs in run order, with their labels.
  auto store = judgeopt::store::GridStore::Open((root_ / "ws/.judgeopt/runs.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto members = store->Members("tiny");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 4u);
  EXPECT_EQ((*members)[0].cell_label, "reviews/textgrad/SSS/gate=mae/seed=1");
  EXPECT_EQ((*members)[3].cell_label, "reviews/textgrad/CCC/gate=mae/seed=2");
  for (const auto& m : *members) {
    EXPECT_NE(first.out.find(m.run_id), std::string::npos) << m.run_id;
  }

  CliRun again = Grid(config);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(Count(again.out, "skipped (already finished) "), 4u) << again.out;
  EXPECT_NE(again.out.find("spent by this invocation: calls 0 (cache hits 0)"), std::string::npos)
      << again.out;
}

TEST_F(GridCliTest, DiagnoseTakesAGridNameForItsStoredRuns) {
  ASSERT_EQ(Grid(TinyGrid()).code, 0);
  const std::string ws = " --workspace " + (root_ / "ws").string();
  CliRun by_grid = RunJudgeopt("diagnose specificity tiny" + ws);
  ASSERT_EQ(by_grid.code, 0) << by_grid.err;
  EXPECT_NE(by_grid.err.find("0 scored before"), std::string::npos) << by_grid.err;
  EXPECT_EQ(by_grid.err.find(" 0 asked now"), std::string::npos) << by_grid.err;

  // The grid's four runs named one by one: all scored already, the same tables.
  auto store = judgeopt::store::GridStore::Open((root_ / "ws/.judgeopt/runs.db").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto members = store->Members("tiny");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 4u);
  std::string ids;
  for (const auto& m : *members) ids += " " + m.run_id;
  CliRun by_ids = RunJudgeopt("diagnose specificity" + ids + ws);
  ASSERT_EQ(by_ids.code, 0) << by_ids.err;
  EXPECT_NE(by_ids.err.find(" 0 asked now"), std::string::npos) << by_ids.err;
  EXPECT_EQ(by_ids.out, by_grid.out);
}

TEST_F(GridCliTest, ABudgetStopLeavesRunsNotStartedAndARerunCompletes) {
  const std::string config = TinyGrid("", 1);
  CliRun stopped = Grid(config, "--max-calls 40 --force");
  EXPECT_EQ(stopped.code, 1) << stopped.err;
  EXPECT_NE(stopped.out.find("stopped (budget)"), std::string::npos) << stopped.out;
  EXPECT_NE(stopped.out.find("not started (budget)"), std::string::npos) << stopped.out;
  EXPECT_NE(stopped.out.find("The budget (max_calls 40"), std::string::npos) << stopped.out;
  EXPECT_NE(stopped.out.find("--max-usd / --max-calls to continue"), std::string::npos);

  CliRun rest = Grid(config);
  ASSERT_EQ(rest.code, 0) << rest.err << rest.out;
  EXPECT_EQ(Count(rest.out, "not started (budget)"), 0u) << rest.out;
}

TEST_F(GridCliTest, BadConfigsFailNamingTheFileAndKey) {
  const std::string typo = TinyGrid("parallel = 3\n");
  CliRun r = Grid(typo);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("judgeopt grid: error:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(typo), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("parallel"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  const std::string bad_mode = TinyGrid("");
  std::ofstream(bad_mode, std::ios::app) << "[grid.per_algorithm.textgrad]\nmodes = [\"SXS\"]\n";
  CliRun m = Grid(bad_mode);
  EXPECT_EQ(m.code, 1);
  EXPECT_NE(m.err.find("grid cell reviews/textgrad/SXS/gate=mae/seed=1"), std::string::npos)
      << m.err;
  EXPECT_FALSE(fs::exists(root_ / "ws" / ".judgeopt" / "runs.db"));

  CliRun seed = Grid(TinyGrid(), "--seed 3");
  EXPECT_EQ(seed.code, 1);
  EXPECT_NE(seed.err.find("[grid] seeds"), std::string::npos) << seed.err;
}

TEST_F(GridCliTest, AKilledGridResumesToTheUninterruptedTables) {
  if (!fs::exists(kData + "/summeval/summeval.jsonl")) JO_SKIP_OR_FAIL() << kData << " is absent";
  // SummEval, SSS and CCC side by side, 2 steps, evaluated once at the end on its 100 validation examples (instead of
  // every step on the 480 test examples).
  const fs::path config = root_ / "kill.toml";
  std::ofstream(config) << "[grid]\nname = \"kill\"\ndatasets = [\"summeval\"]\n"
                           "modes = [\"SSS\", \"CCC\"]\ngates = [\"mae\"]\nseeds = [1]\n"
                           "parallel_runs = 2\n[optimize]\nsteps = 2\nbatch_size = 2\n"
                           "[gate]\nsamples = 10\n[eval]\nsplit = \"validation\"\n"
                           "initial = false\nfirst = false\nevery = 100\n";
  auto args = [&](const fs::path& ws) {
    return std::vector<std::string>{"grid",      "--config",   config.string(), "--workspace",
                                    ws.string(), "--data-dir", kData,           "--quiet"};
  };
  const fs::path ref_ws = root_ / "ws_ref";
  ASSERT_EQ(WaitJudgeopt(SpawnJudgeopt(args(ref_ws), root_ / "ref.txt")), 0)
      << Slurp(root_ / "ref.txt");

  const fs::path ws = root_ / "ws_killed";
  std::mt19937 rng(20261130);
  std::uniform_int_distribution<int> delay_ms(200, 1500);
  for (int kill = 0; kill < 3; ++kill) {
    const SpawnedJudgeopt child = SpawnJudgeopt(args(ws), root_ / "killed.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(child.pid, SIGKILL);
    WaitJudgeopt(child);
  }
  ASSERT_EQ(WaitJudgeopt(SpawnJudgeopt(args(ws), root_ / "resumed.txt")), 0)
      << Slurp(root_ / "resumed.txt");

  auto store = judgeopt::store::GridStore::Open((ref_ws / ".judgeopt/runs.db").string());
  ASSERT_TRUE(store.ok());
  auto members = store->Members("kill");
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  for (const auto& m : *members) {
    std::vector<fs::path> dirs;
    for (const fs::path& w : {ref_ws, ws}) {
      dirs.push_back(root_ / ("export_" + w.filename().string() + "_" + m.run_id));
      CliRun e = RunJudgeopt("runs export " + m.run_id + " --format csv --comparable --out " +
                             dirs.back().string() + " --workspace " + w.string());
      ASSERT_EQ(e.code, 0) << e.err;
    }
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dirs[0])) {
      ++files;
      const fs::path other = dirs[1] / entry.path().filename();
      ASSERT_TRUE(fs::exists(other)) << other;
      EXPECT_TRUE(Slurp(entry.path()) == Slurp(other))
          << m.cell_label << ": " << entry.path().filename() << " differs";
    }
    EXPECT_GE(files, 5u);
  }
}

}  // namespace
