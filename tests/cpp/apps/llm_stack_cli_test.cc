// End-to-end tests of the model-calling path of the judgeopt executable: eval through the
// loopback sim-server (same predictions as the in-process simulator, reruns from the cache, 10%
// faults), budgets, `cache stats|clear`, the `sim-server` command, and the secrets policy.
// The servers run in this process (io::SimServer over sim::SimClient) so requests can be counted.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "judgeopt/data/catalog.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/sim/sim_client.h"

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace {

namespace fs = std::filesystem;
using judgeopt::io::SimServer;
using judgeopt::io::SimServerOptions;

using judgeopt::testing::CliRun;

CliRun Judgeopt(const std::string& args, const std::string& env = "") {
  return judgeopt::testing::RunJudgeopt(args, env);
}

using judgeopt::testing::kDataDir;
using judgeopt::testing::LoopbackSim;
using judgeopt::testing::ReadFile;
using judgeopt::testing::Scratch;

std::string OpenAiFlags(const LoopbackSim& server, const Scratch& ws) {
  return " --backend openai --base-url " + server.base_url() +
         " --model judgeopt-sim --concurrency 16 --workspace " + ws.str();
}

TEST(LlmStackCliTest, EvalViaSimServerEqualsSimAndRerunMakesNoRequests) {
  REQUIRE_DATA();
  Scratch dir;
  LoopbackSim server({});
  const std::string eval = "eval --dataset summeval --split test -q --data-dir " + kDataDir;
  CliRun sim = Judgeopt(eval + " --backend sim --no-cache --out " + dir.str() + "/sim");
  ASSERT_EQ(sim.code, 0) << sim.err;
  // The issue's command as written: no --model; the server's only model is used.
  CliRun http = Judgeopt(eval + " --backend openai --base-url " + server.base_url() +
                         " --workspace " + dir.str() + " --out " + dir.str() + "/http");
  ASSERT_EQ(http.code, 0) << http.err;
  EXPECT_NE(http.err.find("using 'judgeopt-sim'"), std::string::npos) << http.err;
  const int64_t first = server.requests();
  EXPECT_GT(first, 100);
  const std::string want = ReadFile(dir.path / "sim" / "predictions.csv");
  EXPECT_FALSE(want.empty());
  EXPECT_EQ(ReadFile(dir.path / "http" / "predictions.csv"), want);
  // Naming the model found gives the same cache keys: every call answered by the cache.
  CliRun again = Judgeopt(eval + OpenAiFlags(server, dir) + " --out " + dir.str() + "/again");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(server.requests(), first);
  EXPECT_EQ(ReadFile(dir.path / "again" / "predictions.csv"), want);
  // And the replay backend answers it all without any server.
  CliRun replay = Judgeopt(eval + " --backend replay --model judgeopt-sim --workspace " +
                           dir.str() + " --out " + dir.str() + "/replay");
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_EQ(ReadFile(dir.path / "replay" / "predictions.csv"), want);
}

TEST(LlmStackCliTest, EvalCompletesUnderTenPercentFaultsWithCorrectResults) {
  REQUIRE_DATA();
  Scratch dir;
  SimServerOptions options;
  options.fail_rate = 0.10;
  options.malformed_rate = 0.02;
  options.retry_after_s = 0.1;
  options.stall_ms = 3000;  // past the 1 s timeout below
  options.seed = 11;
  LoopbackSim server(options);
  std::ofstream(dir.path / "llm.toml") << "[llm.judge]\ntimeout_s = 1.0\n"
                                          "retry = { max_attempts = 12, base_delay_s = 0.01, "
                                          "max_delay_s = 0.1 }\n";
  const std::string eval =
      "eval --dataset summeval --split test --limit 200 -q --data-dir " + kDataDir;
  CliRun sim = Judgeopt(eval + " --backend sim --no-cache --out " + dir.str() + "/sim");
  ASSERT_EQ(sim.code, 0) << sim.err;
  CliRun http = Judgeopt(eval + OpenAiFlags(server, dir) + " --config " + dir.str() +
                         "/llm.toml --out " + dir.str() + "/http");
  ASSERT_EQ(http.code, 0) << http.err;
  EXPECT_GT(server.requests(), 200);  // some requests were retried
  EXPECT_EQ(ReadFile(dir.path / "http" / "predictions.csv"),
            ReadFile(dir.path / "sim" / "predictions.csv"));
}

// A dollar budget cannot stop a model it cannot price: refused before the first request.
TEST(LlmStackCliTest, ADollarBudgetWithAnUnpricedModelIsRefusedBeforeAnyRequest) {
  REQUIRE_DATA();
  Scratch dir;
  LoopbackSim server({});
  CliRun r = Judgeopt("eval --dataset summeval --split test --data-dir " + kDataDir +
                      OpenAiFlags(server, dir) + " --max-usd 1");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("model 'judgeopt-sim' (role judge) has none"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[llm.prices.\"judgeopt-sim\"]"), std::string::npos) << r.err;
  EXPECT_EQ(server.requests(), 0);
  std::ofstream(dir.path / "prices.toml") << "[llm.prices.\"judgeopt-sim\"]\n"
                                             "input_usd_per_mtok = 0.1\n"
                                             "output_usd_per_mtok = 0.2\n";
  CliRun priced = Judgeopt("eval --dataset summeval --split test --limit 20 -q --data-dir " +
                           kDataDir + OpenAiFlags(server, dir) + " --max-usd 1 --config " +
                           dir.str() + "/prices.toml");
  EXPECT_EQ(priced.code, 0) << priced.err;
  EXPECT_GT(server.requests(), 0);
}

// "N model calls (F failed), H cache hits, R refused" from eval's summary line.
struct CallCounts {
  long calls = -1, hits = -1, refused = -1;
};
CallCounts ParseCounts(const std::string& err) {
  std::smatch m;
  CallCounts c;
  if (std::regex_search(err, m,
                        std::regex(R"((\d+) model calls \(\d+ failed\), (\d+) cache hits, (\d+))"))) {
    c.calls = std::stol(m[1]);
    c.hits = std::stol(m[2]);
    c.refused = std::stol(m[3]);
  }
  return c;
}

TEST(LlmStackCliTest, BudgetIsNeverExceededAndARerunContinuesFromTheCache) {
  REQUIRE_DATA();
  Scratch dir;
  LoopbackSim server({});
  const std::string eval = "eval --dataset summeval --split test --limit 90 --data-dir " +
                           kDataDir + OpenAiFlags(server, dir) + " --out " + dir.str() + "/out";
  CliRun capped = Judgeopt(eval + " --max-calls 40");
  EXPECT_EQ(capped.code, 1);
  EXPECT_NE(capped.err.find("budget exceeded"), std::string::npos) << capped.err;
  EXPECT_TRUE(std::regex_search(capped.err, std::regex(R"(Spent so far: \d+ calls)")))
      << capped.err;
  EXPECT_EQ(ParseCounts(capped.err).calls, 40) << capped.err;
  EXPECT_NE(capped.err.find("rerun the same command"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path / "out" / "predictions.csv"));  // no partial results
  EXPECT_EQ(server.requests(), 40);
  // The same budget again: the paid calls are free hits, at most 40 more are sent. (Which
  // examples a wave reaches first, and so whether a re-ask falls inside the 40, depends on
  // scheduling: the counts are bounded, not exact.)
  CliRun second = Judgeopt(eval + " --max-calls 40");
  EXPECT_EQ(second.code, 1);
  CallCounts c2 = ParseCounts(second.err);
  EXPECT_LE(c2.calls, 40) << second.err;
  EXPECT_GE(c2.calls, 30) << second.err;
  EXPECT_GE(c2.hits, 30) << second.err;
  EXPECT_EQ(server.requests(), 40 + c2.calls);
  // Enough budget: finishes, paying only for what was never sent.
  CliRun done = Judgeopt(eval + " --max-calls 40");
  ASSERT_EQ(done.code, 0) << done.err;
  CallCounts c3 = ParseCounts(done.err);
  EXPECT_LE(c3.calls, 40);
  EXPECT_EQ(server.requests(), 40 + c2.calls + c3.calls);
  EXPECT_EQ(c3.refused, 0);
}

TEST(LlmStackCliTest, CacheStatsAndClear) {
  REQUIRE_DATA();
  Scratch dir;
  CliRun none = Judgeopt("cache stats --workspace " + dir.str());
  EXPECT_EQ(none.code, 0);
  EXPECT_NE(none.out.find("no response cache"), std::string::npos) << none.out;
  EXPECT_FALSE(fs::exists(dir.path / ".judgeopt"));
  ASSERT_EQ(Judgeopt("eval --dataset summeval --limit 25 -q --workspace " + dir.str() +
                     " --data-dir " + kDataDir)
                .code,
            0);
  CliRun stats = Judgeopt("cache stats --workspace " + dir.str());
  ASSERT_EQ(stats.code, 0) << stats.err;
  EXPECT_NE(stats.out.find("25"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("judgeopt-sim"), std::string::npos) << stats.out;
  CliRun clear = Judgeopt("cache clear --workspace " + dir.str());
  ASSERT_EQ(clear.code, 0) << clear.err;
  EXPECT_NE(clear.out.find("removed 25 cached replies"), std::string::npos) << clear.out;
}

TEST(LlmStackCliTest, SimServerCommandPrintsItsUrlAndStopsOnSigterm) {
  REQUIRE_DATA();
  int out_pipe[2];
  ASSERT_EQ(pipe(out_pipe), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    close(out_pipe[0]);
    execl(JUDGEOPT_BINARY, JUDGEOPT_BINARY, "sim-server", "--port", "0", "--dataset", "summeval",
          "--data-dir", kDataDir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  std::string line;
  char c;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  close(out_pipe[0]);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/v1)"))) << line;
  httplib::Client client("127.0.0.1", std::stoi(m[1]));
  auto models = client.Get("/v1/models");
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  EXPECT_NE(models->body.find("judgeopt-sim"), std::string::npos);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

/// A server that rejects every request with 401 and quotes the bearer token back, as some real
/// servers do ("Incorrect API key provided: sk-...").
class QuotingAuthServer {
 public:
  QuotingAuthServer()
      : http_([](const httplib::Request& req, httplib::Response& res) {
          res.status = 401;
          res.set_content(R"({"error":{"message":"Incorrect API key provided: )" +
                              req.get_header_value("Authorization").substr(7) + R"("}})",
                          "application/json");
        }) {}
  std::string base_url() const { return http_.base_url(); }

 private:
  judgeopt::testing::LoopbackHttp http_;
};

TEST(LlmStackCliTest, ApiKeyAppearsInNoOutputFileDatabaseOrErrorText) {
  REQUIRE_DATA();
  const std::string key = "sk-judgeoptGrepTest0123456789abcdef";
  const std::string env = "OPENAI_API_KEY=" + key;
  Scratch dir;
  LoopbackSim server({});
  const std::string eval = "eval --dataset summeval --limit 30 --data-dir " + kDataDir;
  std::string all;
  CliRun ok = Judgeopt(eval + OpenAiFlags(server, dir) + " --out " + dir.str() + "/out", env);
  ASSERT_EQ(ok.code, 0) << ok.err;
  all += ok.out + ok.err;
  CliRun stats = Judgeopt("cache stats --workspace " + dir.str(), env);
  all += stats.out + stats.err;
  QuotingAuthServer auth;
  CliRun denied = Judgeopt(eval + " --backend openai --model m --base-url " + auth.base_url() +
                               " --workspace " + dir.str(),
                           env);
  EXPECT_EQ(denied.code, 1);
  EXPECT_NE(denied.err.find("OPENAI_API_KEY (it is set)"), std::string::npos) << denied.err;
  EXPECT_NE(denied.err.find("[redacted]"), std::string::npos) << denied.err;
  all += denied.out + denied.err;
  EXPECT_EQ(all.find(key), std::string::npos);
  EXPECT_EQ(all.find(key.substr(3)), std::string::npos);
  // Every file written: outputs, the SQLite database and its WAL/SHM companions, byte by byte.
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = ReadFile(entry.path());
    EXPECT_EQ(bytes.find(key.substr(3)), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 4);  // predictions.csv, .jsonl, metrics.json, cache.db at least
}

}  // namespace
