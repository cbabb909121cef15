// An Azure OpenAI classic endpoint on loopback: a deployment path
// /openai/deployments/<name>/chat/completions that demands the key in an `api-key` header and an
// `api-version` query parameter, as Azure's REST reference describes ("Azure OpenAI in Azure AI
// Foundry Models REST API reference": api-key header authentication, required api-version query
// parameter), answering with the simulator otherwise. With auth = api-key and the query set by
// flags, eval scores every example; with the default settings it stops at once naming the cause.
// Numbers are SIMULATED.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

constexpr const char* kKey = "az-test-key-0123";

std::string AzureError(const std::string& code, const std::string& message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

class AzureClassicServer {
 public:
  AzureClassicServer()
      : sim_(MakeSim()),
        http_([this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); },
              R"(/openai/deployments/([^/]+)/chat/completions)") {}
  std::string deployment_url() const { return http_.origin() + "/openai/deployments/judge-4o"; }
  int requests() const { return requests_.load(); }
  std::string last_title() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_title_;
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_title_ = req.get_header_value("X-Title");
    }
    if (req.get_header_value("api-key") != kKey) {
      res.status = 401;
      res.set_content(AzureError("401", "Access denied due to invalid subscription key or wrong "
                                        "API endpoint."),
                      "application/json");
      return;
    }
    if (req.get_param_value("api-version") != "2024-10-21" || req.matches[1] != "judge-4o") {
      res.status = 404;
      res.set_content(AzureError("404", "Resource not found"), "application/json");
      return;
    }
    AnswerUnmarked(*sim_, req, res);
  }

  std::unique_ptr<sim::SimClient> sim_;
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::string last_title_;
  LoopbackHttp http_;
};

std::string Eval(const AzureClassicServer& server, const Scratch& ws) {
  return "eval --dataset summeval --split test --limit 40 --data-dir " + kDataDir +
         " --backend openai --model gpt-4o --concurrency 8 --api-key-env AZURE_OPENAI_API_KEY"
         " --base-url " + server.deployment_url() + " --workspace " + ws.str() + " --out " +
         ws.str() + "/out";
}

TEST(AzureClassicCliTest, ApiKeyAuthAndApiVersionScoreEveryExample) {
  REQUIRE_DATA();
  Scratch ws;
  AzureClassicServer server;
  CliRun run = RunJudgeopt(Eval(server, ws) +
                               " --auth api-key --query api-version=2024-10-21"
                               " --header 'X-Title: judgeopt test'",
                           std::string("AZURE_OPENAI_API_KEY=") + kKey);
  ASSERT_EQ(run.code, 0) << run.err;
  const auto metrics = nlohmann::json::parse(ReadFile(ws.path / "out" / "metrics.json"));
  EXPECT_EQ(metrics["failed_examples"], 0) << metrics.dump();
  EXPECT_EQ(metrics["examples"], 40);
  EXPECT_EQ(server.last_title(), "judgeopt test");
  EXPECT_EQ(run.err.find(kKey), std::string::npos) << "the key never appears";
}

TEST(AzureClassicCliTest, TheDefaultSettingsStopAtOnceNamingTheCause) {
  REQUIRE_DATA();
  Scratch ws;
  AzureClassicServer server;
  CliRun run = RunJudgeopt(Eval(server, ws), std::string("AZURE_OPENAI_API_KEY=") + kKey);
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("Access denied due to invalid subscription key"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("AZURE_OPENAI_API_KEY"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(kKey), std::string::npos) << "the key never appears";
  EXPECT_LE(server.requests(), 12) << "the tripwire stops it; the test split has 40 examples";
}

TEST(AzureClassicCliTest, WithTheKeyButNoApiVersionItStopsOnTheNotFound) {
  REQUIRE_DATA();
  Scratch ws;
  AzureClassicServer server;
  CliRun run = RunJudgeopt(Eval(server, ws) + " --auth api-key",
                           std::string("AZURE_OPENAI_API_KEY=") + kKey);
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("Resource not found"), std::string::npos) << run.err;
  EXPECT_LE(server.requests(), 12);
}

// An eval of an openai role at a port where nothing listens, with `flags` added.
CliRun EvalNowhere(const std::string& flags) {
  return RunJudgeopt("eval --dataset summeval --split test --limit 4 --data-dir " + kDataDir +
                     " --backend openai --model m " + flags);
}

TEST(AzureClassicCliTest, AKeyHeaderFlagIsRefusedPointingToAuthWithoutEchoingIt) {
  REQUIRE_DATA();
  CliRun run = EvalNowhere("--base-url http://127.0.0.1:9/v1 --header 'api-key: az-pasted-secret'");
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("--header"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("auth"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("az-pasted-secret"), std::string::npos) << run.err;
  CliRun query = EvalNowhere("--base-url 'http://127.0.0.1:9/v1?api-version=1'");
  EXPECT_NE(query.code, 0);
  EXPECT_NE(query.err.find("--query"), std::string::npos) << query.err;
}

}  // namespace
}  // namespace judgeopt::testing
