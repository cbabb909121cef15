// SIGINT and SIGTERM stop a model-calling command cleanly (issue 18, point 4): within seconds, no
// partial step stored, the resume command printed, exit status 128 + the signal; rerunning the
// command then ends exactly where an uninterrupted run does. Through the executable, against a
// loopback sim-server slow enough that the signal lands mid-run. Replies are SIMULATED.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How many times slower than a Release build this one runs: JUDGEOPT_TEST_TIME_SCALE, which
// `make test TSAN=1` sets (docs/testing.md), else 1. Each test multiplies its server's latency,
// its wait before the signal and its stop limit by it alike, so their proportions hold (the
// diagnose limit still ends before any reply could come).
double TimeScale() {
  const char* text = std::getenv("JUDGEOPT_TEST_TIME_SCALE");
  if (text == nullptr || *text == '\0') return 1.0;
  char* end = nullptr;
  const double scale = std::strtod(text, &end);
  if (*end != '\0' || !(scale >= 1.0 && scale <= 100.0)) {
    ADD_FAILURE() << "JUDGEOPT_TEST_TIME_SCALE must be a number from 1 to 100, got " << text;
    return 1.0;
  }
  return scale;
}

std::chrono::milliseconds Scaled(int ms) {
  return std::chrono::milliseconds(std::lround(ms * TimeScale()));
}

struct Stopped {
  int code = 0;
  double seconds_after_signal = 0.0;
  std::string err;
};

// Starts `args`, sends `signal_number` after `delay`, waits for the exit.
Stopped SignalAfter(const std::vector<std::string>& args, std::chrono::milliseconds delay,
                    int signal_number, const Scratch& dir) {
  const fs::path out = dir.path / "out.txt", err = dir.path / "err.txt";
  const SpawnedJudgeopt child = SpawnJudgeopt(args, out, err);
  std::this_thread::sleep_for(delay);
  const auto sent = Clock::now();
  kill(child.pid, signal_number);
  Stopped s;
  s.code = WaitJudgeopt(child);
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

// Tiny runs of `mode` made by the in-process simulator in `workspace` (fast, no server): one step,
// no gate, no test evaluation. Returns the run ids printed.
std::vector<std::string> SimRuns(const Scratch& dir, const std::string& workspace,
                                 const std::string& mode) {
  const fs::path config = dir.path / "exp.toml";
  std::ofstream(config) << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n[gate]\nmetric = "
                           "\"none\"\n[eval]\nevery = 1000\ninitial = false\nfirst = false\n"
                           "last = false\n";
  CliRun r = RunJudgeopt("optimize -q --config " + config.string() + " --mode " + mode +
                         " --workspace " + workspace + " --data-dir " + kDataDir);
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<std::string> ids;
  const std::regex line(R"(run (\S+) \()");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), line);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1].str());
  }
  return ids;
}

// The flags that send a command's calls to `server`.
std::vector<std::string> Remote(const LoopbackSim& server, const std::string& workspace) {
  return {"-q", "--backend", "openai", "--base-url", server.base_url(), "--model",
          "judgeopt-sim", "--data-dir", kDataDir, "--workspace", workspace};
}

std::string Line(const std::vector<std::string>& args) {
  std::string line;
  for (const std::string& a : args) line += a + " ";
  return line;
}

TEST(SignalCliTest, SigintStopsOptimizeBetweenStepsAndTheRerunMatchesAnUninterruptedRun) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 40 * TimeScale();  // a step takes seconds, so the signal lands mid-run
  LoopbackSim server(options);
  Scratch interrupted, reference;

  Stopped s = SignalAfter(OptimizeArgs(server.base_url(), interrupted.str()), Scaled(1500), SIGINT,
                          interrupted);
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 5.0 * TimeScale()) << s.err;
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
  CliRun whole = RunJudgeopt(Line(args));
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_EQ(ComparableExport(interrupted.str(), run_id, interrupted.path / "export"),
            ComparableExport(reference.str(), run_id, reference.path / "export"));
}

TEST(SignalCliTest, SigtermStopsEvalWithinSecondsAndExits143) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 200 * TimeScale();  // 480 examples at concurrency 16: about 6 s in all
  LoopbackSim server(options);
  Scratch dir;
  Stopped s = SignalAfter(
      {"eval", "-q", "--dataset", "summeval", "--split", "test", "--backend", "openai",
       "--base-url", server.base_url(), "--model", "judgeopt-sim", "--workspace", dir.str()},
      Scaled(1000), SIGTERM, dir);
  EXPECT_EQ(s.code, 143) << s.err;
  EXPECT_LT(s.seconds_after_signal, 3.0 * TimeScale()) << s.err;
  EXPECT_NE(s.err.find("interrupted by SIGTERM"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGTERM"), std::string::npos) << s.err;
}

TEST(SignalCliTest, SigintStopsGridWithinSecondsAndTheRerunFinishesEveryRun) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 100 * TimeScale();
  LoopbackSim server(options);
  Scratch dir;
  const fs::path config = dir.path / "grid.toml";
  std::ofstream(config) << "[grid]\nname = \"sig\"\ndatasets = [\"summeval\"]\n"
                           "modes = [\"SSS\", \"CCC\"]\ngates = [\"mae\"]\nseeds = [1]\n"
                           "parallel_runs = 2\n[optimize]\nsteps = 2\nbatch_size = 2\n"
                           "[gate]\nsamples = 10\n[eval]\nsplit = \"validation\"\n"
                           "initial = false\nfirst = false\nevery = 100\n";
  std::vector<std::string> args = {"grid", "--config", config.string()};
  for (const std::string& a : Remote(server, dir.str() + "/ws")) args.push_back(a);

  Stopped s = SignalAfter(args, Scaled(1000), SIGINT, dir);
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 5.0 * TimeScale()) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGINT"), std::string::npos) << s.err;
  EXPECT_NE(ReadFile(dir.path / "out.txt").find("SIGINT stopped the grid"), std::string::npos);

  CliRun rerun = RunJudgeopt(Line(args));
  ASSERT_EQ(rerun.code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("0 failed, 0 not started"), std::string::npos) << rerun.out;
}

TEST(SignalCliTest, SigtermStopsDiagnoseWithinSecondsAndTheRerunScoresEverything) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  // Every diagnostic call is on the wire when the signal lands.
  options.latency_ms = 4000 * TimeScale();
  LoopbackSim server(options);
  Scratch dir;
  const std::string ws = dir.str() + "/ws";
  const std::vector<std::string> ids = SimRuns(dir, ws, "SSS");
  ASSERT_EQ(ids.size(), 1u);
  std::vector<std::string> args = {"diagnose", "specificity", ids[0]};
  for (const std::string& a : Remote(server, ws)) args.push_back(a);

  Stopped s = SignalAfter(args, Scaled(1000), SIGTERM, dir);
  EXPECT_EQ(s.code, 143) << s.err;
  // Well before the replies would come.
  EXPECT_LT(s.seconds_after_signal, 2.9 * TimeScale()) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGTERM"), std::string::npos) << s.err;

  CliRun rerun = RunJudgeopt(Line(args));
  ASSERT_EQ(rerun.code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.err.find("0 scored before"), std::string::npos) << rerun.err;
}

TEST(SignalCliTest, SigintStopsCherrypickWithinSecondsAndTheRerunFinishes) {
  REQUIRE_DATA();
  io::SimServerOptions options;
  options.latency_ms = 1500 * TimeScale();
  LoopbackSim server(options);
  Scratch dir;
  const std::string ws = dir.str() + "/ws";
  const std::vector<std::string> ids = SimRuns(dir, ws, "ST");
  ASSERT_GE(ids.size(), 2u);
  std::vector<std::string> args = {"cherrypick", "--validation-samples", "4", "--test-samples",
                                    "4"};
  for (const std::string& id : ids) args.push_back(id);
  for (const std::string& a : Remote(server, ws)) args.push_back(a);

  Stopped s = SignalAfter(args, Scaled(700), SIGINT, dir);
  EXPECT_EQ(s.code, 130) << s.err;
  EXPECT_LT(s.seconds_after_signal, 2.9 * TimeScale()) << s.err;
  EXPECT_NE(s.err.find("stopped by SIGINT"), std::string::npos) << s.err;

  CliRun rerun = RunJudgeopt(Line(args));
  ASSERT_EQ(rerun.code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("cherry-pick "), std::string::npos) << rerun.out;
}

}  // namespace
}  // namespace judgeopt::testing
