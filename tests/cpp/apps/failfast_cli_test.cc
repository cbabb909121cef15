// Fail fast on systematic errors (issue 16, point 0), through the judgeopt executable: a server
// that refuses every request, and no server at all, each stop `eval` after a handful of attempts
// with a non-zero exit and a message that names the cause.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace {

using judgeopt::testing::CliRun;
using judgeopt::testing::kDataDir;
using judgeopt::testing::Scratch;

/// OpenAI's reply to a reasoning model sent max_tokens.
constexpr const char* kUnsupportedMaxTokens =
    R"({"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with )"
    R"(this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error",)"
    R"("param":"max_tokens","code":"unsupported_parameter"}})";

/// A reply whose content holds no score.
constexpr const char* kNoScore =
    R"({"choices":[{"message":{"role":"assistant","content":"I cannot say."},)"
    R"("finish_reason":"stop"}],"model":"o-mini","usage":{"prompt_tokens":5,)"
    R"("completion_tokens":3}})";

/// Answers every chat request with one status and body, and counts the requests.
class FixedReplyServer {
 public:
  FixedReplyServer(int status, std::string body)
      : http_([this, status, body](const httplib::Request&, httplib::Response& res) {
          ++requests_;
          res.status = status;
          res.set_content(body, "application/json");
        }) {}
  std::string base_url() const { return http_.base_url(); }
  int requests() const { return requests_.load(); }

 private:
  std::atomic<int> requests_{0};
  judgeopt::testing::LoopbackHttp http_;
};

/// A loopback port that nothing listens on: bound by the kernel's choice, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string EvalAgainst(const std::string& base_url, const Scratch& ws) {
  return "eval --dataset summeval --split test --data-dir " + kDataDir +
         " --backend openai --model o-mini --concurrency 4 --base-url " + base_url +
         " --workspace " + ws.str();
}

TEST(FailFastCliTest, UnsupportedParameterStopsEvalAfterAHandfulOfRequests) {
  REQUIRE_DATA();
  Scratch ws;
  FixedReplyServer server(400, kUnsupportedMaxTokens);
  CliRun run = judgeopt::testing::RunJudgeopt(EvalAgainst(server.base_url(), ws),
                                              "OPENAI_API_KEY=sk-test");
  EXPECT_NE(run.code, 0) << run.err;
  EXPECT_NE(run.err.find("llm.judge (model 'o-mini')"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Unsupported parameter: 'max_tokens'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[llm.judge] max_tokens"), std::string::npos) << run.err;
  EXPECT_GE(server.requests(), 3);
  EXPECT_LE(server.requests(), 12) << "the test split has 480 examples";
}

TEST(FailFastCliTest, EvalWithEveryExampleMissingExitsNonZeroWithTheCause) {
  REQUIRE_DATA();
  Scratch ws;
  FixedReplyServer server(200, kNoScore);
  CliRun run = judgeopt::testing::RunJudgeopt(EvalAgainst(server.base_url(), ws) + " --limit 5",
                                              "OPENAI_API_KEY=sk-test");
  EXPECT_NE(run.code, 0) << run.err;
  EXPECT_NE(run.err.find("none of the 5 examples got a usable score"), std::string::npos)
      << run.err;
  EXPECT_GE(server.requests(), 5);
}

TEST(FailFastCliTest, NoServerAtTheUrlStopsEvalNamingTheUrl) {
  REQUIRE_DATA();
  Scratch ws;
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
  CliRun run = judgeopt::testing::RunJudgeopt(EvalAgainst(url, ws), "OPENAI_API_KEY=sk-test");
  EXPECT_NE(run.code, 0) << run.err;
  EXPECT_NE(run.err.find("cannot connect"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(url), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[llm.judge] base_url"), std::string::npos) << run.err;
}

}  // namespace
