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
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"
#include "cpp/skip_policy.h"

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

// Every model-calling command stops non-zero naming the cause, against a server that refuses
// every request and against no server at all (eval is covered above).
class FailFastCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!judgeopt::testing::HaveSharedData()) JO_SKIP_OR_FAIL() << "../shared/data is absent";
    std::ofstream(ws_.path / "exp.toml")
        << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n[gate]\nmetric = \"none\"\n"
           "[eval]\nevery = 1000\ninitial = false\nfirst = false\nlast = false\n";
    std::ofstream(ws_.path / "grid.toml")
        << "[grid]\nname = \"g\"\ndatasets = [\"summeval\"]\nmodes = [\"SSS\"]\n"
           "gates = [\"none\"]\nseeds = [1]\n[optimize]\nsteps = 1\nbatch_size = 2\n";
  }
  std::string Common() const {
    return " --workspace " + ws_.str() + " --data-dir " + kDataDir;
  }
  // Run ids of a simulated optimize in `mode` (for diagnose and cherrypick to work on).
  std::vector<std::string> SimRuns(const std::string& mode) {
    CliRun r = judgeopt::testing::RunJudgeopt(
        "optimize --quiet --config " + (ws_.path / "exp.toml").string() + " --mode " + mode +
        Common());
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> ids;
    const std::regex line(R"(run (\S+) \()");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), line), end; it != end; ++it) {
      ids.push_back((*it)[1]);
    }
    return ids;
  }
  // Each command line, with the openai backend at `base_url`.
  std::vector<std::string> Commands(const std::string& base_url) {
    const std::string llm = " --backend openai --model o-mini --base-url " + base_url + Common();
    const std::vector<std::string> st = SimRuns("ST");
    EXPECT_FALSE(st.empty());
    const std::string group = st.empty() ? "none" : st[0].substr(0, st[0].rfind('-'));
    return {"optimize --quiet --config " + (ws_.path / "exp.toml").string() + llm,
            "grid -q --config " + (ws_.path / "grid.toml").string() + llm,
            "diagnose specificity " + (st.empty() ? "none" : st[0]) + llm,
            "cherrypick " + group + " --validation-samples 10 --test-samples 10" + llm};
  }
  Scratch ws_;
};

TEST_F(FailFastCommandsTest, EachCommandStopsOnARefusedParameter) {
  FixedReplyServer server(400, kUnsupportedMaxTokens);
  for (const std::string& command : Commands(server.base_url())) {
    CliRun run = judgeopt::testing::RunJudgeopt(command, "OPENAI_API_KEY=sk-test");
    const std::string all = run.out + run.err;
    EXPECT_NE(run.code, 0) << command << "\n" << all;
    EXPECT_NE(all.find("Unsupported parameter: 'max_tokens'"), std::string::npos)
        << command << "\n" << all;
  }
}

TEST_F(FailFastCommandsTest, EachCommandStopsWhenNothingListens) {
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
  for (const std::string& command : Commands(url)) {
    CliRun run = judgeopt::testing::RunJudgeopt(command, "OPENAI_API_KEY=sk-test");
    const std::string all = run.out + run.err;
    EXPECT_NE(run.code, 0) << command << "\n" << all;
    EXPECT_NE(all.find("cannot connect"), std::string::npos) << command << "\n" << all;
    EXPECT_NE(all.find(url), std::string::npos) << command << "\n" << all;
  }
}

}  // namespace
