// `judgeopt check` against each provider profile of the loopback server (io/provider_profiles.h):
// with the plain settings it exits non-zero naming the problem; with the lines it printed added
// to the config (or, where only the server can fix it, the server's setting changed) it exits 0,
// and a 3-step `optimize` with that config finishes. All replies are SIMULATED.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"
#include "judgeopt/io/provider_profiles.h"

namespace judgeopt::testing {
namespace {

using io::Profile;

struct ProfileCase {
  Profile profile;
  std::string model;
  std::vector<std::string> diagnosis;  // in check's stdout before the fix
  std::string env = "";                // variables for the commands ("A=1")
  std::string extra_config = "";       // [llm.defaults] lines every config carries
  int context_after = 0;               // > 0: the fix is the server's context, not a config line
  std::string config_after = "";       // [llm.defaults] lines check advised besides its fix block
};

std::string BaseConfig(const std::string& base_url, const ProfileCase& c) {
  return "dataset = \"summeval\"\n[optimize]\nsteps = 3\nbatch_size = 3\n[gate]\nsamples = 20\n"
         "[llm.defaults]\nbackend = \"openai\"\nbase_url = \"" +
         base_url + "\"\nmodel = \"" + c.model + "\"\n" + c.extra_config;
}

// The config lines check printed after "add them to the config:" ("" when none).
std::string PrintedFix(const std::string& out) {
  const std::string marker = "add them to the config:\n\n";
  const std::size_t at = out.find(marker);
  return at == std::string::npos ? "" : out.substr(at + marker.size());
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

void CheckFixRun(const ProfileCase& c) {
  SCOPED_TRACE(std::string(EnumName(c.profile)));
  Scratch dir;
  io::SimServerOptions options;
  options.profile.profile = c.profile;
  auto server = std::make_unique<LoopbackSim>(options);
  const std::string config = (dir.path / "before.toml").string();
  WriteFile(config, BaseConfig(server->base_url(), c));

  CliRun before = RunJudgeopt("check -q --config " + config, c.env);
  EXPECT_EQ(before.code, 1) << before.out << before.err;
  for (const std::string& words : c.diagnosis) {
    EXPECT_NE(before.out.find(words), std::string::npos) << words << " not in:\n" << before.out;
  }
  std::string fixed_text = BaseConfig(server->base_url(), c);
  if (c.context_after > 0) {  // restart the server with the context check asked for
    server.reset();
    options.profile.context_tokens = c.context_after;
    server = std::make_unique<LoopbackSim>(options);
    fixed_text = BaseConfig(server->base_url(), c) + c.config_after;
  } else {
    std::string fix = PrintedFix(before.out);
    ASSERT_FALSE(fix.empty()) << before.out;
    // A fix for every role comes under [llm.defaults], the table the base config ends with.
    const std::string defaults = "[llm.defaults]\n";
    if (fix.starts_with(defaults)) fix.erase(0, defaults.size());
    fixed_text += fix;
  }
  const std::string fixed = (dir.path / "after.toml").string();
  WriteFile(fixed, fixed_text);
  CliRun after = RunJudgeopt("check -q --config " + fixed, c.env);
  EXPECT_EQ(after.code, 0) << fixed_text << after.out << after.err;
  EXPECT_NE(after.out.find("Every role is ready."), std::string::npos) << after.out;

  CliRun run = RunJudgeopt("optimize -q --config " + fixed + " --workspace " + dir.str(), c.env);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("\n3     "), std::string::npos) << run.out;  // step 3's row
}

TEST(ProviderCheckCliTest, PlainServerIsReadyForEveryRole) {
  REQUIRE_DATA();
  LoopbackSim server({});
  CliRun r = RunJudgeopt("check -q --backend openai --base-url " + server.base_url() +
                         " --model judgeopt-sim");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  for (const char* role : {"judge:", "loss:", "gradient:", "optimizer:", "diagnostic:"}) {
    EXPECT_NE(r.out.find(role), std::string::npos) << role;
  }
  EXPECT_NE(r.out.find("seed honoured"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("PROBLEM"), std::string::npos) << r.out;
  EXPECT_LE(server.requests(), 15);  // at most 3 calls per role
}

TEST(ProviderCheckCliTest, OpenAiReasoningModel) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kOpenAiReasoning, "gpt-5-mini",
               {"hidden reasoning used the whole limit", "reasoning_effort = \"minimal\""}});
}

TEST(ProviderCheckCliTest, AzureClassicDeployment) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kAzure, "gpt-4o",
               {"wants its key in an `api-key` header", "need an api-version query",
                "[llm.defaults]\nauth = \"api-key\"\nquery = { \"api-version\" = \"2024-10-21\" }"},
               "JO_TEST_AZURE_KEY=az-test-key",
               "api_key_env = \"JO_TEST_AZURE_KEY\"\n"});
}

// A run through the reasoning-model profile stores the hidden reasoning tokens of every call and
// bills them as output at gpt-5-mini's built-in price.
TEST(ProviderCheckCliTest, ReasoningProfileRunBillsReasoningTokens) {
  REQUIRE_DATA();
  Scratch dir;
  io::SimServerOptions options;
  options.profile.profile = Profile::kOpenAiReasoning;
  LoopbackSim server(options);
  const std::string config = (dir.path / "reasoning.toml").string();
  ProfileCase c{Profile::kOpenAiReasoning, "gpt-5-mini", {}};
  WriteFile(config, BaseConfig(server.base_url(), c) + "[llm.judge]\nmax_tokens = 2048\n");
  CliRun run = RunJudgeopt("optimize -q --steps 1 --max-usd 5 --config " + config +
                           " --workspace " + dir.str());
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  const std::size_t at = run.out.find("run ");
  ASSERT_NE(at, std::string::npos) << run.out;
  const std::string id = run.out.substr(at + 4, run.out.find(' ', at + 4) - at - 4);
  CliRun exported = RunJudgeopt("runs export " + id + " --format jsonl --workspace " + dir.str() +
                                " --out " + (dir.path / "export").string());
  ASSERT_EQ(exported.code, 0) << exported.err;
  std::istringstream lines(ReadFile(dir.path / "export" / "calls.jsonl"));
  int paid = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto call = nlohmann::json::parse(line);
    if (call["cache_hit"].get<bool>() || !call["error"].get<std::string>().empty()) continue;
    ++paid;
    const int64_t reasoning = call["reasoning_tokens"], completion = call["completion_tokens"];
    EXPECT_EQ(reasoning, 512) << line;  // medium effort, the default
    EXPECT_GE(completion, reasoning) << line;  // completion_tokens includes the reasoning
    EXPECT_GE(call["cost_usd"].get<double>(), completion * 2.00 / 1e6 - 1e-12) << line;
  }
  EXPECT_GT(paid, 50);
}

TEST(ProviderCheckCliTest, Gemini) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kGemini, "gemini-2.5-flash",
               {"hidden reasoning used the whole limit", "reasoning_effort = \"none\""}});
}

TEST(ProviderCheckCliTest, DeepSeekTokenCap) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kDeepSeek, "deepseek-chat",
               {"at most 8192 completion tokens", "[llm.optimizer]\nmax_tokens = 8192"}});
}

TEST(ProviderCheckCliTest, FireworksTokenCapWithoutStreaming) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kFireworks, "accounts/fireworks/models/llama-v3p1-8b-instruct",
               {"[llm.gradient]\nmax_tokens = 4096", "[llm.optimizer]\nmax_tokens = 4096"}});
}

TEST(ProviderCheckCliTest, AnthropicOutputCapAndIgnoredSeeds) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kAnthropic, "claude-3-5-haiku-20241022",
               {"[llm.optimizer]\nmax_tokens = 8192", "seed not honoured"},
               "JO_TEST_ANTHROPIC_KEY=sk-ant-test",
               "api_key_env = \"JO_TEST_ANTHROPIC_KEY\"\n"});
}

TEST(ProviderCheckCliTest, OpenRouterCredits) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kOpenRouter, "openai/gpt-4o-mini",
               {"at most 12000 completion tokens", "[llm.optimizer]\nmax_tokens = 12000"}});
}

TEST(ProviderCheckCliTest, VllmContextLength) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kVllm, "Qwen/Qwen2.5-7B-Instruct",
               {"the server's context is 16384 tokens", "[llm.optimizer]\nmax_tokens = "}});
}

TEST(ProviderCheckCliTest, LlamaCppSlotContext) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kLlamaCpp, "qwen2.5-7b-instruct-q4_k_m.gguf",
               {"exceeds the server's context", "llama-server --ctx-size",
                "serves 4 requests at once (llama-server slots); the judge role's "
                "max_concurrency 16 only queues the rest: set max_concurrency = 4"},
               "",
               "",
               65536,
               "max_concurrency = 4\n"});  // as check advised
}

TEST(ProviderCheckCliTest, OllamaSilentTruncation) {
  REQUIRE_DATA();
  CheckFixRun({Profile::kOllama, "llama3.1:8b",
               {"probably cutting prompts without an error", "OLLAMA_CONTEXT_LENGTH"},
               "",
               "",
               32768});
}

}  // namespace
}  // namespace judgeopt::testing
