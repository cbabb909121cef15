// Issue 16 through the judgeopt executable: an endpoint that starts failing every call mid-run
// trips the circuit breaker (the run stops, the resume command is printed, and resuming against
// a healthy server ends with the uninterrupted run's tables); a server that counts far fewer
// prompt tokens than were sent gets one truncation warning per role.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace {

namespace fs = std::filesystem;
using judgeopt::testing::CliRun;
using judgeopt::testing::kDataDir;
using judgeopt::testing::RunJudgeopt;
using judgeopt::testing::Scratch;

/// The simulator behind a loopback server that answers like a plain server until `healthy_left`
/// requests have been answered, then 503 to everything, until made healthy again.
class FlakyServer {
 public:
  FlakyServer()
      : sim_(judgeopt::testing::MakeSim()),
        http_([this](const httplib::Request& req, httplib::Response& res) {
          if (healthy_left_.fetch_sub(1) <= 0) {
            res.status = 503;
            res.set_content(R"({"error":{"message":"upstream is down"}})", "application/json");
            return;
          }
          judgeopt::testing::AnswerUnmarked(*sim_, req, res);
        }) {}
  void FailAfter(int requests) { healthy_left_.store(requests); }
  std::string base_url() const { return http_.base_url(); }

 private:
  std::unique_ptr<judgeopt::sim::SimClient> sim_;
  std::atomic<int> healthy_left_{1 << 30};
  judgeopt::testing::LoopbackHttp http_;
};

std::string Config(const Scratch& dir, const std::string& base_url) {
  const fs::path path = dir.path / "exp.toml";
  std::ofstream(path) << "dataset = \"summeval\"\n[optimize]\nmode = \"SSC\"\nsteps = 2\n"
                         "[gate]\nmetric = \"mae\"\nsamples = 20\n"
                         "[eval]\nevery = 1000\ninitial = false\nfirst = false\nlast = false\n"
                         "[llm.defaults]\nbackend = \"openai\"\nmodel = \"m\"\nbase_url = \""
                      << base_url
                      << "\"\ncircuit_breaker_s = 1\n"
                         "retry = { max_attempts = 100, base_delay_s = 0.05, max_delay_s = 0.2 }\n";
  return path.string();
}

std::string Optimize(const std::string& config, const fs::path& ws) {
  return "optimize --quiet --config " + config + " --workspace " + ws.string() + " --data-dir " +
         kDataDir;
}

std::string Export(const std::string& run_id, const fs::path& ws, const fs::path& dir) {
  CliRun r = RunJudgeopt("runs export " + run_id + " --format csv --comparable --out " +
                         dir.string() + " --workspace " + ws.string());
  EXPECT_EQ(r.code, 0) << r.err;
  std::string all;
  for (const auto& entry : fs::directory_iterator(dir)) {
    all += entry.path().filename().string() + "\n" + judgeopt::testing::ReadFile(entry.path());
  }
  return all;
}

TEST(BreakerCliTest, AServerThatGoesDownStopsTheRunAndResumeFinishesIt) {
  REQUIRE_DATA();
  Scratch dir;
  FlakyServer server;
  const std::string config = Config(dir, server.base_url());
  CliRun reference = RunJudgeopt(Optimize(config, dir.path / "ws_ref"), "OPENAI_API_KEY=sk-t");
  ASSERT_EQ(reference.code, 0) << reference.err;

  server.FailAfter(60);
  const fs::path ws = dir.path / "ws";
  CliRun broken = RunJudgeopt(Optimize(config, ws), "OPENAI_API_KEY=sk-t");
  EXPECT_NE(broken.code, 0) << broken.err;
  EXPECT_NE(broken.err.find("circuit breaker open"), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find(server.base_url()), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("upstream is down"), std::string::npos) << broken.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(broken.err, m, std::regex(R"(judgeopt resume (\S+)`)")))
      << broken.err;
  const std::string run_id = m[1];

  server.FailAfter(1 << 30);
  CliRun resumed = RunJudgeopt("resume " + run_id + " --quiet --workspace " + ws.string() +
                                   " --data-dir " + kDataDir,
                               "OPENAI_API_KEY=sk-t");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(Export(run_id, dir.path / "ws_ref", dir.path / "export_ref"),
            Export(run_id, ws, dir.path / "export_resumed"));
}

TEST(BreakerCliTest, FewerPromptTokensThanSentWarnsOncePerRole) {
  REQUIRE_DATA();
  Scratch dir;
  auto sim = judgeopt::testing::MakeSim();
  judgeopt::testing::LoopbackHttp server([&](const httplib::Request& req, httplib::Response& res) {
    auto request = judgeopt::io::ParseChatRequestBody(req.body);
    ASSERT_TRUE(request.ok());
    auto reply = sim->Complete(*request);
    ASSERT_TRUE(reply.ok());
    reply->usage.prompt_tokens = 100;  // what a server with a small context window counts
    res.set_content(judgeopt::io::BuildChatReplyBody(*reply, request->model, "chatcmpl-t"),
                    "application/json");
  });
  CliRun run = RunJudgeopt("eval --dataset summeval --split test --limit 6 --data-dir " +
                               kDataDir + " --backend openai --model m --base-url " +
                               server.base_url() + " --workspace " + dir.str(),
                           "OPENAI_API_KEY=sk-t");
  EXPECT_EQ(run.code, 0) << run.err;
  const std::string warning = "judgeopt: warning: llm.judge (model 'm'): the server counted 100";
  const std::size_t at = run.err.find(warning);
  ASSERT_NE(at, std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(warning, at + 1), std::string::npos) << "once per role: " << run.err;
  EXPECT_NE(run.err.find("num_ctx"), std::string::npos) << run.err;
}

}  // namespace
