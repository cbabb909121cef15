// Kill-and-resume of the real judgeopt executable: an optimization killed with SIGKILL at random
// moments (several times) and then run to the end exports exactly the tables of an uninterrupted
// run, byte for byte (the last time through `judgeopt resume RUN_ID`), even when the kills ran
// with other --concurrency values (settings that do not decide results may change on resume);
// a rerun of the finished run makes no model call.

#include <fcntl.h>
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

#include <gtest/gtest.h>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"

namespace {

using judgeopt::testing::SpawnedJudgeopt;
using judgeopt::testing::SpawnJudgeopt;
using judgeopt::testing::WaitJudgeopt;
namespace fs = std::filesystem;

const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class OptimizeResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kData + "/summeval/summeval.jsonl")) JO_SKIP_OR_FAIL() << kData << " is absent";
    root_ = fs::temp_directory_path() / ("jo_resume_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream(root_ / "exp.toml") << "dataset = \"summeval\"\n"
                                         "[optimize]\nmode = \"SSC\"\nsteps = 4\n"
                                         "[gate]\nmetric = \"mae\"\nsamples = 30\n";
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  std::vector<std::string> OptimizeArgs(const fs::path& ws, int concurrency = 0) const {
    std::vector<std::string> args = {"optimize", "--config", (root_ / "exp.toml").string(),
                                     "--workspace", ws.string(), "--data-dir", kData, "--quiet"};
    if (concurrency > 0) args.insert(args.end(), {"--concurrency", std::to_string(concurrency)});
    return args;
  }

  // Runs optimize to the end in `ws`; returns its stdout.
  std::string RunToEnd(const fs::path& ws) {
    const fs::path out = root_ / "out.txt";
    EXPECT_EQ(WaitJudgeopt(SpawnJudgeopt(OptimizeArgs(ws), out)), 0) << Slurp(out);
    return Slurp(out);
  }

  std::string RunId(const std::string& stdout_text) const {
    const std::size_t at = stdout_text.find("run ");
    EXPECT_NE(at, std::string::npos) << stdout_text;
    return stdout_text.substr(at + 4, stdout_text.find(' ', at + 4) - at - 4);
  }

  fs::path Export(const fs::path& ws, const std::string& run_id, const std::string& name) {
    const fs::path dir = root_ / name;
    const fs::path out = root_ / (name + ".txt");
    const int rc = WaitJudgeopt(SpawnJudgeopt({"runs", "export", run_id, "--format", "csv",
                                               "--comparable", "--out", dir.string(),
                                               "--workspace", ws.string()},
                                              out));
    EXPECT_EQ(rc, 0) << Slurp(out);
    return dir;
  }

  fs::path root_;
};

TEST_F(OptimizeResumeTest, KilledRunsResumeToTheUninterruptedTables) {
  const std::string reference_out = RunToEnd(root_ / "ws_ref");
  const std::string run_id = RunId(reference_out);
  const fs::path reference = Export(root_ / "ws_ref", run_id, "export_ref");

  const fs::path ws = root_ / "ws_killed";
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> delay_ms(150, 2500);
  for (int kill = 0; kill < 4; ++kill) {
    const SpawnedJudgeopt child =
        SpawnJudgeopt(OptimizeArgs(ws, 2 + 3 * kill), root_ / "killed.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(child.pid, SIGKILL);
    WaitJudgeopt(child);
  }
  // The last kill is continued with `judgeopt resume RUN_ID` (the stored config).
  const fs::path out = root_ / "resume.txt";
  const int rc = WaitJudgeopt(SpawnJudgeopt(
      {"resume", run_id, "--workspace", ws.string(), "--data-dir", kData, "--quiet"}, out));
  const std::string resumed_out = Slurp(out);
  ASSERT_EQ(rc, 0) << resumed_out;
  EXPECT_EQ(RunId(resumed_out), run_id);
  const fs::path resumed = Export(ws, run_id, "export_resumed");

  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(reference)) {
    ++files;
    const fs::path other = resumed / entry.path().filename();
    ASSERT_TRUE(fs::exists(other)) << other;
    EXPECT_TRUE(Slurp(entry.path()) == Slurp(other)) << entry.path().filename() << " differs";
  }
  EXPECT_GE(files, 5u);

  // A rerun of the finished run makes no call and prints the same table.
  const std::string again = RunToEnd(ws);
  EXPECT_NE(again.find("already finished"), std::string::npos) << again;
}

}  // namespace
