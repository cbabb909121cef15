// An OpenAI reasoning model behind a loopback server that refuses what OpenAI's reasoning API
// refuses (a `max_tokens` key, any `temperature`) and otherwise answers with the simulator: with
// the model's real name, judgeopt shapes its requests and the eval scores every example; forced
// back to `max_tokens`, it stops at once with the setting to change. Numbers are SIMULATED.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

// The 400 bodies OpenAI documents for these two parameters on reasoning models.
std::string Unsupported(const std::string& param, const std::string& code) {
  return nlohmann::json{{"error",
                         {{"message", "Unsupported parameter: '" + param +
                                          "' is not supported with this model."},
                          {"type", "invalid_request_error"},
                          {"param", param},
                          {"code", code}}}}
      .dump();
}

class ReasoningModelServer {
 public:
  ReasoningModelServer()
      : sim_(MakeSim()),
        http_([this](const httplib::Request& req, httplib::Response& res) {
          ++requests_;
          const auto body = nlohmann::json::parse(req.body, nullptr, false);
          for (const char* param : {"max_tokens", "temperature"}) {
            if (body.is_object() && body.contains(param)) {
              res.status = 400;
              res.set_content(Unsupported(param, "unsupported_parameter"), "application/json");
              return;
            }
          }
          AnswerUnmarked(*sim_, req, res);
        }) {}
  std::string base_url() const { return http_.base_url(); }
  int requests() const { return requests_.load(); }

 private:
  std::unique_ptr<sim::SimClient> sim_;
  std::atomic<int> requests_{0};
  LoopbackHttp http_;
};

std::string Eval(const ReasoningModelServer& server, const Scratch& ws) {
  return "eval --dataset summeval --split test --limit 40 --data-dir " + kDataDir +
         " --backend openai --model gpt-5-mini --concurrency 8 --base-url " + server.base_url() +
         " --workspace " + ws.str() + " --out " + ws.str() + "/out";
}

TEST(ReasoningModelCliTest, ItsRequestsAreShapedAndEveryExampleIsScored) {
  REQUIRE_DATA();
  Scratch ws;
  ReasoningModelServer server;
  CliRun run = RunJudgeopt(Eval(server, ws), "OPENAI_API_KEY=sk-test");
  ASSERT_EQ(run.code, 0) << run.err;
  const auto metrics = nlohmann::json::parse(ReadFile(ws.path / "out" / "metrics.json"));
  EXPECT_EQ(metrics["failed_examples"], 0) << metrics.dump();
  EXPECT_EQ(metrics["examples"], 40);
}

TEST(ReasoningModelCliTest, ForcedBackToMaxTokensItStopsNamingTheSetting) {
  REQUIRE_DATA();
  Scratch ws;
  ReasoningModelServer server;
  std::ofstream(ws.path / "llm.toml") << "[llm.judge]\ntoken_param = \"max_tokens\"\n";
  CliRun run = RunJudgeopt(Eval(server, ws) + " --config " + ws.str() + "/llm.toml",
                           "OPENAI_API_KEY=sk-test");
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("[llm.judge] token_param = \"max_completion_tokens\""),
            std::string::npos)
      << run.err;
  EXPECT_LE(server.requests(), 12);
}

}  // namespace
}  // namespace judgeopt::testing
