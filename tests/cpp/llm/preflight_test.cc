#include "judgeopt/llm/preflight.h"

#include <gtest/gtest.h>

namespace judgeopt::llm {
namespace {

using config::Json;

ProbeContext Probe(Role role = Role::kOptimizer, int max_tokens = 16384,
                   const std::string& model = "m") {
  ProbeContext p;
  p.role = role;
  p.config = DefaultRoleConfig(role);
  p.config.backend = Backend::kOpenAi;
  p.config.model = model;
  p.config.max_tokens = max_tokens;
  p.probe_prompt_tokens = 1200;
  p.run_prompt_tokens = 3000;
  return p;
}

Error Http(int status, const std::string& server) {
  Error e(ErrorCode::kBadRequest, "HTTP " + std::to_string(status) + " from u: server says: " +
                                      server);
  e.http_status = status;
  return e;
}

TEST(PreflightTest, TokenCapsStatedByServersBecomeMaxTokens) {
  const std::pair<std::string, int> cases[] = {
      {"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]", 8192},
      {"Requests with max_tokens > 4096 must have stream=true", 4096},
      {"max_tokens: 16384 > 8192, which is the maximum allowed number of output tokens", 8192},
      {"You requested up to 16384 tokens, but can only afford 12000.", 12000},
  };
  for (const auto& [message, cap] : cases) {
    Finding f = DiagnoseRefusal(Probe(), Http(400, message));
    EXPECT_EQ(f.severity, Severity::kProblem) << message;
    EXPECT_EQ(f.fix, (Json{{"max_tokens", cap}})) << message;
  }
}

TEST(PreflightTest, ContextLengthLeavesRoomForTwiceTheRunsPrompt) {
  Finding f = DiagnoseRefusal(
      Probe(), Http(400, "This model's maximum context length is 16384 tokens. However, you "
                         "requested 17600 tokens"));
  EXPECT_EQ(f.fix, (Json{{"max_tokens", 10240}}));  // (16384 - 2 * 3000) rounded down to 1024s
  // No stated size, or no room: only the server can fix it.
  f = DiagnoseRefusal(Probe(), Http(400, "the request exceeds the available context size"));
  EXPECT_TRUE(f.fix.empty());
  EXPECT_NE(f.server_advice.find("--ctx-size"), std::string::npos);
  f = DiagnoseRefusal(Probe(), Http(400, "maximum context length is 4096 tokens"));
  EXPECT_TRUE(f.fix.empty());
}

TEST(PreflightTest, ReasoningApiRefusalsNameTheirSetting) {
  EXPECT_EQ(DiagnoseRefusal(Probe(), Http(400, "Unsupported parameter: 'max_tokens' is not "
                                               "supported with this model."))
                .fix,
            (Json{{"token_param", "max_completion_tokens"}}));
  EXPECT_EQ(DiagnoseRefusal(Probe(), Http(400, "Unsupported value: 'temperature' does not "
                                               "support 0.7 with this model."))
                .fix,
            (Json{{"temperature", "omit"}}));
}

TEST(PreflightTest, AzureAndKeyProblems) {
  ProbeContext azure = Probe();
  azure.config.endpoints[0].base_url = "https://r.openai.azure.com/openai/deployments/gpt-4o";
  EXPECT_EQ(DiagnoseRefusal(azure, Http(401, "Access denied")).fix, (Json{{"auth", "api-key"}}));
  EXPECT_EQ(DiagnoseRefusal(azure, Http(404, "Resource not found")).fix,
            (Json{{"query", {{"api-version", "2024-10-21"}}}}));
  Finding key = DiagnoseRefusal(Probe(), Http(401, "invalid x-api-key"));
  EXPECT_TRUE(key.fix.empty());
  EXPECT_NE(key.server_advice.find("OPENAI_API_KEY"), std::string::npos);
  Finding down = DiagnoseRefusal(Probe(), Error(ErrorCode::kUnavailable, "connection refused"));
  EXPECT_NE(down.server_advice.find("base_url"), std::string::npos);
}

ChatResponse Reply(const std::string& content, const std::string& finish, int64_t prompt) {
  ChatResponse r;
  r.content = content;
  r.finish_reason = finish;
  r.usage.prompt_tokens = prompt;
  r.usage.completion_tokens = 5;
  return r;
}

TEST(PreflightTest, EmptyAtTheLimitIsHiddenReasoning) {
  auto found = DiagnoseReply(Probe(Role::kJudge, 256, "gpt-5-mini"), Reply("", "length", 1200));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].fix, (Json{{"reasoning_effort", "minimal"}}));
  found = DiagnoseReply(Probe(Role::kJudge, 256, "gemini-2.5-flash"), Reply("", "length", 1200));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].fix, (Json{{"reasoning_effort", "none"}}));
  EXPECT_TRUE(DiagnoseReply(Probe(), Reply("{\"a\": 1}", "stop", 1190)).empty());
}

TEST(PreflightTest, FarFewerPromptTokensThanSentIsTruncation) {
  auto found = DiagnoseReply(Probe(), Reply("{}", "stop", 500));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kProblem);
  EXPECT_NE(found[0].server_advice.find("num_ctx"), std::string::npos);
  EXPECT_TRUE(DiagnoseReply(Probe(), Reply("{}", "stop", 700)).empty());  // within tokenizer noise
}

TEST(PreflightTest, FixLinesParseAndApply) {
  const Json fix = {{"max_tokens", 8192}, {"temperature", "omit"}};
  EXPECT_EQ(FixToml("optimizer", fix),
            "[llm.optimizer]\nmax_tokens = 8192\ntemperature = \"omit\"\n");
  EXPECT_EQ(FixToml("defaults", Json{{"query", {{"api-version", "x"}}}}),
            "[llm.defaults]\nquery = { \"api-version\" = \"x\" }\n");
  LlmConfig config = DefaultLlmConfig();
  auto fixed = ApplyFix(config, Role::kOptimizer, fix);
  ASSERT_TRUE(fixed.ok()) << fixed.error().ToString();
  EXPECT_EQ(fixed->role(Role::kOptimizer).max_tokens, 8192);
  EXPECT_TRUE(fixed->role(Role::kOptimizer).omit_temperature);
  EXPECT_EQ(fixed->role(Role::kJudge), config.role(Role::kJudge));
  EXPECT_FALSE(ApplyFix(config, Role::kJudge, Json{{"max_tokens", "many"}}).ok());
}

}  // namespace
}  // namespace judgeopt::llm
