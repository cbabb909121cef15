// SIGINT and SIGTERM stop a model-calling command cleanly (issue 18, point 4): within seconds, no
// partial step stored, the resume command printed, exit status 128 + the signal; rerunning the
// command then ends exactly where an uninterrupted run does. Through the executable, against a
// loopback sim-server slow enough that the signal lands mid-run. Replies are SIMULATED.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Stopped {
  int code = 0;
  double seconds_after_signal = 0.0;
  std::string err;
};

// Starts `args`, sends `signal_number` after `delay`, waits for the exit.
Stopped SignalAfter(const std::vector<std::string>& args, std::chrono::milliseconds delay,
                    int signal_number, const Scratch& dir) {
  const fs::path out = dir.path / "out.txt", err = dir.path / "err.txt";
  const pid_t pid = SpawnJudgeopt(args, out, err);
  std::this_thread::sleep_for(delay);
  const auto sent = Clock::now();
  kill(pid, signal_number);
  Stopped s;
  s.code = WaitJudgeopt(pid);
  s.seconds_after_signal = std::chrono::duration<double>(Clock::now() - sent).count();
  s.err = ReadFile(err);
  return s;
}

std::vector<std::string> OptimizeArgs(const std::string& base_url, const std::string& workspace) {
  return {"optimize",   "-q",          "--backend",     "openai", "--base-url", base_url,
          "--model",    "judgeopt-sim", "--steps",      "3",      "--workspace", workspace};
}

std::string ComparableExport(const std::string& workspace, const std::string& run_id,
                             const fs::path& dir) {
  CliRun r = RunJudgeopt("runs export " + run_id + " --format csv --comparable --workspace " +
                         workspace + " --out " + dir.string());
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const fs::path& file : files) all += file.filename().string() + "\n" + ReadFile(file);
  EXPECT_FALSE(files.empty());
  return all;
}

std::string RunIdFrom(const std::string& text) {
  const std::string marker = "judgeopt resume ";
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t begin = at + marker.size();
  return text.substr(begin, text.find_first_of("`) \n", begin) - begin);
}

TEST(SignalCliTest, SigintStopsOptimizeBetweenStepsAndTheRerunMatchesAnUninterruptedRun) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 40;  // a step takes seconds, so the signal lands mid-run
  LoopbackSim server(options);
  Scratch interrupted, reference;

  Stopped s = SignalAfter(OptimizeArgs(server.base_url(), interrupted.str()),
                          std::chrono::milliseconds(1500), SIGINT, interrupted);
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 5.0) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGINT"), std::string::npos) << s.err;
  const std::string run_id = RunIdFrom(s.err);
  ASSERT_FALSE(run_id.empty()) << "no resume command in:\n" << s.err;

  CliRun shown = RunJudgeopt("runs show " + run_id + " --workspace " + interrupted.str());
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_EQ(shown.out.find("\n3 "), std::string::npos) << "the run must not be finished:\n"
                                                        << shown.out;

  CliRun rerun = RunJudgeopt("resume " + run_id + " -q --workspace " + interrupted.str());
  ASSERT_EQ(rerun.code, 0) << rerun.out << rerun.err;
  const std::vector<std::string> args = OptimizeArgs(server.base_url(), reference.str());
  std::string line;
  for (const std::string& a : args) line += a + " ";
  CliRun whole = RunJudgeopt(line);
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_EQ(ComparableExport(interrupted.str(), run_id, interrupted.path / "export"),
            ComparableExport(reference.str(), run_id, reference.path / "export"));
}

TEST(SignalCliTest, SigtermStopsEvalWithinSecondsAndExits143) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 200;  // 480 examples at concurrency 16: about 6 s in all
  LoopbackSim server(options);
  Scratch dir;
  Stopped s = SignalAfter({"eval", "-q", "--dataset", "summeval", "--split", "test", "--backend",
                           "openai", "--base-url", server.base_url(), "--model", "judgeopt-sim",
                           "--workspace", dir.str()},
                          std::chrono::milliseconds(1000), SIGTERM, dir);
  EXPECT_EQ(s.code, 143) << s.err;
  EXPECT_LT(s.seconds_after_signal, 3.0) << s.err;
  EXPECT_NE(s.err.find("interrupted by SIGTERM"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGTERM"), std::string::npos) << s.err;
}

}  // namespace
}  // namespace judgeopt::testing
