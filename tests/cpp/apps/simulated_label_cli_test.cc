// The SIMULATED label end to end (docs/simulator.md, "The SIMULATED label"): the judgeopt
// executable labels its output from the replies it used — in-process simulator, the loopback
// sim-server, replay of a simulator's cache entries — and not a server that does not mark its
// replies; a run whose judge is such a server and whose other roles are simulated is labelled
// with exactly those roles in the run store, `runs show` and `runs list`.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"
#include "cpp/skip_policy.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/io/openai_server_wire.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::RunJudgeopt;

const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The SummEval simulator (seed 0, as `eval --backend sim`).
/// An OpenAI-compatible server that does not mark its replies, as a real one would not: the
/// simulator's answers, but nothing in the reply says so. Stands for a real model endpoint.
class UnmarkedServer {
 public:
  UnmarkedServer()
      : sim_(testing::MakeSim()),
        http_([this](const httplib::Request& req, httplib::Response& res) {
          testing::AnswerUnmarked(*sim_, req, res);
        }) {}
  std::string base_url() const { return http_.base_url(); }

 private:
  std::unique_ptr<sim::SimClient> sim_;
  testing::LoopbackHttp http_;
};

class SimulatedLabelCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kData + "/summeval/summeval.jsonl")) JO_SKIP_OR_FAIL() << kData << " is absent";
    root_ = fs::temp_directory_path() /
            ("jo_label_cli_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  // `judgeopt eval` of 6 test examples into root_/<out>, with `backend_flags`.
  CliRun Eval(const std::string& out, const std::string& backend_flags) {
    return RunJudgeopt("eval --dataset summeval --split test --limit 6 -q --data-dir " + kData +
                       " --workspace " + (root_ / "ws").string() + " --out " +
                       (root_ / out).string() + " " + backend_flags);
  }

  // Checks every output of an eval in root_/<out> carries `simulated`.
  void ExpectEvalLabel(const CliRun& run, const std::string& out, bool simulated) {
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_EQ(run.out.find("[SIMULATED]") != std::string::npos, simulated) << run.out;
    EXPECT_EQ(run.out.find("SIMULATED: these numbers") != std::string::npos, simulated);
    auto metrics = nlohmann::json::parse(Slurp(root_ / out / "metrics.json"));
    EXPECT_EQ(metrics["simulated"], simulated);
    EXPECT_EQ(metrics["simulated_roles"],
              simulated ? nlohmann::json::array({"judge"}) : nlohmann::json::array());
    std::istringstream csv(Slurp(root_ / out / "predictions.csv"));
    std::string header;
    std::getline(csv, header);
    EXPECT_NE(header.find(",attempts,error,simulated,raw_reply"), std::string::npos) << header;
    std::istringstream jsonl(Slurp(root_ / out / "predictions.jsonl"));
    int rows = 0;
    for (std::string line; std::getline(jsonl, line); ++rows) {
      EXPECT_EQ(nlohmann::json::parse(line)["simulated"], simulated) << line;
    }
    EXPECT_EQ(rows, 6);
    const std::string cell = simulated ? ",true," : ",false,";
    int csv_rows = 0;
    for (std::string line; std::getline(csv, line);)
      csv_rows += line.find(cell) != std::string::npos;
    EXPECT_GE(csv_rows, 6);
  }

  fs::path root_;
};

TEST_F(SimulatedLabelCliTest, EvalIsLabelledOnEveryPathThroughTheSimulatorAndOnlyThere) {
  ExpectEvalLabel(Eval("sim", "--backend sim"), "sim", true);
  {
    auto inner = testing::MakeSim();
    io::SimServer server(inner.get(), io::SimServerOptions{});
    ASSERT_TRUE(server.Start().ok());
    ExpectEvalLabel(Eval("server", "--backend openai --base-url " + server.base_url() +
                                       " --model judgeopt-sim"),
                    "server", true);
    server.Stop();
  }
  // The sim-server's replies, replayed from the cache with no server at all.
  ExpectEvalLabel(Eval("replay", "--backend replay --model judgeopt-sim"), "replay", true);
  UnmarkedServer plain;
  ExpectEvalLabel(
      Eval("plain", "--backend openai --base-url " + plain.base_url() + " --model plain-judge"),
      "plain", false);
}

TEST_F(SimulatedLabelCliTest, ARealJudgeWithSimulatedOtherRolesIsLabelledWithThoseRoles) {
  UnmarkedServer judge;
  std::ofstream(root_ / "exp.toml")
      << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n[gate]\nmetric = \"none\"\n"
         "[eval]\nevery = 1000\ninitial = false\nfirst = false\nlast = false\n"
         "[llm.judge]\nbackend = \"openai\"\nmodel = \"plain-judge\"\nbase_url = \""
      << judge.base_url() << "\"\n";
  const std::string ws = " --workspace " + (root_ / "ws").string();
  CliRun run = RunJudgeopt("optimize --quiet --mode SSS --config " + (root_ / "exp.toml").string() +
                           ws + " --data-dir " + kData);
  ASSERT_EQ(run.code, 0) << run.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.out, m, std::regex(R"(run (\S+) \(SSS\) \[([^\]]*)\])")))
      << run.out;
  const std::string id = m[1];
  EXPECT_EQ(m[2], "SIMULATED (loss,gradient,optimizer)");
  EXPECT_NE(run.out.find("simulated roles: loss, gradient, optimizer\n"), std::string::npos)
      << run.out;

  CliRun show = RunJudgeopt("runs show " + id + ws);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("[SIMULATED]"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("simulated roles: loss, gradient, optimizer\n"), std::string::npos)
      << show.out;
  CliRun json = RunJudgeopt("runs show --json " + id + ws);
  ASSERT_EQ(json.code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_TRUE(doc["simulated"].get<bool>());
  EXPECT_EQ(doc["simulated_roles"], nlohmann::json::array({"loss", "gradient", "optimizer"}));
  CliRun list = RunJudgeopt("runs list" + ws);
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("SIMULATED (loss,gradient,optimizer)"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace judgeopt
