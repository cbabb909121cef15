// Usage and money end to end (issue 16): a loopback server emulating an OpenAI reasoning model
// that reports cached and reasoning tokens the way OpenAI documents them (reasoning inside
// completion_tokens, cached inside prompt_tokens). A 1-step `optimize --model gpt-5-mini
// --max-usd` (priced by the built-in table, so the budget is accepted) records both per call in
// the run store, bills each call at the table's prices with the reasoning tokens as output, and
// `runs show` reports them. Numbers are SIMULATED.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int64_t kReasoning = 64;  // hidden reasoning tokens of every reply

// Adds OpenAI's usage details to a simulator reply: `kReasoning` reasoning tokens counted in
// completion_tokens and total_tokens, and half the prompt served from the prompt cache.
void AddReasoningUsage(httplib::Response& res) {
  Json doc = Json::parse(res.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("usage")) return;
  Json& u = doc["usage"];
  const int64_t prompt = u["prompt_tokens"].get<int64_t>();
  const int64_t completion = u["completion_tokens"].get<int64_t>() + kReasoning;
  u["completion_tokens"] = completion;
  u["total_tokens"] = prompt + completion;
  u["prompt_tokens_details"] = {{"cached_tokens", prompt / 2}, {"audio_tokens", 0}};
  u["completion_tokens_details"] = {{"reasoning_tokens", kReasoning}, {"audio_tokens", 0}};
  res.set_content(doc.dump(), "application/json");
}

class ReasoningUsageServer {
 public:
  ReasoningUsageServer()
      : sim_(MakeSim()), http_([this](const httplib::Request& req, httplib::Response& res) {
          AnswerUnmarked(*sim_, req, res);
          if (res.status != 400) AddReasoningUsage(res);  // httplib sets 200 after the handler
        }) {}
  std::string base_url() const { return http_.base_url(); }

 private:
  std::unique_ptr<sim::SimClient> sim_;
  LoopbackHttp http_;
};

std::string FirstRunId(const Scratch& ws) {
  CliRun r = RunJudgeopt("runs list --workspace " + ws.str());
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string id, dataset;
    words >> id >> dataset;
    if (dataset == "summeval") return id;
  }
  return "";
}

std::vector<Json> ExportedCalls(const Scratch& ws, const std::string& run) {
  const fs::path dir = ws.path / "export";
  CliRun r = RunJudgeopt("runs export " + run + " --format jsonl --workspace " + ws.str() +
                         " --out " + dir.string());
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<Json> out;
  std::istringstream lines(ReadFile(dir / "calls.jsonl"));
  for (std::string line; std::getline(lines, line);) out.push_back(Json::parse(line));
  return out;
}

TEST(ReasoningUsageCliTest, OptimizeStoresAndBillsReasoningAndCachedTokens) {
  REQUIRE_DATA();
  Scratch ws;
  ReasoningUsageServer server;
  std::ofstream(ws.path / "config.toml") << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n"
                                            "batch_size = 3\n[gate]\nmetric = \"mae\"\n"
                                            "samples = 20\n";
  CliRun run = RunJudgeopt("optimize -q --config " + ws.str() + "/config.toml --data-dir " +
                               kDataDir + " --workspace " + ws.str() + " --backend openai " +
                               "--model gpt-5-mini --max-usd 50 --concurrency 8 --base-url " +
                               server.base_url(),
                           "OPENAI_API_KEY=sk-test");
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string id = FirstRunId(ws);
  ASSERT_FALSE(id.empty());

  int answered = 0, paid = 0;
  for (const Json& c : ExportedCalls(ws, id)) {
    if (!c["error"].get<std::string>().empty()) continue;
    ++answered;
    const int64_t prompt = c["prompt_tokens"], completion = c["completion_tokens"];
    const int64_t cached = c["cached_tokens"];
    EXPECT_EQ(c["reasoning_tokens"], kReasoning) << c.dump();
    EXPECT_EQ(cached, prompt / 2) << c.dump();
    EXPECT_EQ(c["total_tokens"], prompt + completion) << c.dump();
    // gpt-5-mini in the built-in table: $0.25 input, $0.025 cached input, $2.00 output per Mtok;
    // completion_tokens (which includes the reasoning) billed as output.
    // A reply answered from the response cache is free (its usage is the original's).
    if (c["cache_hit"].get<bool>()) {
      EXPECT_EQ(c["cost_usd"].get<double>(), 0.0) << c.dump();
      continue;
    }
    ++paid;
    const double want = ((prompt - cached) * 0.25 + cached * 0.025 + completion * 2.00) / 1e6;
    EXPECT_NEAR(c["cost_usd"].get<double>(), want, 1e-12) << c.dump();
    EXPECT_GE(c["cost_usd"].get<double>(), kReasoning * 2.00 / 1e6) << c.dump();
  }
  EXPECT_GT(answered, 10);
  EXPECT_GT(paid, 10);

  CliRun show = RunJudgeopt("runs show " + id + " --workspace " + ws.str());
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("reasoning tokens"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("cached tokens"), std::string::npos) << show.out;
}

}  // namespace
}  // namespace judgeopt::testing
