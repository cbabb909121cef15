#include "judgeopt/llm/llm_config.h"

#include <gtest/gtest.h>

#include <map>

namespace judgeopt::llm {
namespace {

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<LlmConfig> ParseText(std::string_view toml, const EnvLookup& env = MapEnv({})) {
  auto tree = config::ParseToml(toml, "llm.toml");
  if (!tree.ok()) return tree.error();
  return ParseLlmConfig(*tree, "llm.toml", env);
}

// An openai judge (model "m") with `extra` lines added to its table.
Result<LlmConfig> ParseOpenAiJudge(const std::string& extra) {
  return ParseText("[judge]\nbackend = \"openai\"\nmodel = \"m\"\n" + extra);
}

// The error message of a config that must fail.
std::string ErrorOf(std::string_view toml) {
  auto parsed = ParseText(toml);
  EXPECT_FALSE(parsed.ok()) << toml;
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(LlmConfigTest, DefaultsFollowTheStudy) {
  LlmConfig c = DefaultLlmConfig(MapEnv({}));
  EXPECT_DOUBLE_EQ(c.role(Role::kJudge).temperature, 0.1);
  EXPECT_DOUBLE_EQ(c.role(Role::kLoss).temperature, 0.3);
  EXPECT_DOUBLE_EQ(c.role(Role::kGradient).temperature, 0.3);
  EXPECT_DOUBLE_EQ(c.role(Role::kOptimizer).temperature, 0.7);
  EXPECT_EQ(c.role(Role::kJudge).max_tokens, 256);
  EXPECT_EQ(c.role(Role::kLoss).max_tokens, 1024);
  EXPECT_EQ(c.role(Role::kGradient).max_tokens, 8192);
  EXPECT_EQ(c.role(Role::kOptimizer).max_tokens, 16384);
  EXPECT_DOUBLE_EQ(c.role(Role::kOptimizer).timeout_s, 600);
  for (Role r : kAllRoles) {
    const RoleConfig& rc = c.role(r);
    EXPECT_EQ(rc.backend, Backend::kSim);
    ASSERT_EQ(rc.endpoints.size(), 1u);
    EXPECT_EQ(rc.endpoints[0].base_url, "https://api.openai.com/v1");
    EXPECT_EQ(rc.endpoints[0].api_key_env, "OPENAI_API_KEY");
  }
}

TEST(LlmConfigTest, BaseUrlDefaultComesFromTheEnvironment) {
  LlmConfig c = DefaultLlmConfig(MapEnv({{"OPENAI_BASE_URL", "http://127.0.0.1:8000/v1"}}));
  EXPECT_EQ(c.role(Role::kGradient).endpoints[0].base_url, "http://127.0.0.1:8000/v1");
  auto parsed = ParseText("", MapEnv({{"OPENAI_BASE_URL", "http://10.0.0.2:1234"}}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->role(Role::kJudge).endpoints[0].base_url, "http://10.0.0.2:1234");
}

TEST(LlmConfigTest, ParsesDefaultsRolesEndpointsAndPrices) {
  auto c = ParseText(R"(
seed = 11
[defaults]
backend = "openai"
model = "qwen3-8b"
base_url = "http://127.0.0.1:8000/v1"
rpm = 600
[judge]
temperature = 0.0
max_tokens = 64
extra_body = { chat_template_kwargs = { enable_thinking = false } }
selection = "least_loaded"
retry = { max_attempts = 3, base_delay_s = 0.5, max_delay_s = 4 }
[[judge.endpoints]]
api_key_env = "KEY_ONE"
max_concurrency = 4
[[judge.endpoints]]
base_url = "http://127.0.0.1:8001"
tpm = 90000
[optimizer]
model = "big-model"
[prices.qwen3-8b]
input_usd_per_mtok = 0.05
output_usd_per_mtok = 0.25
)");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->retry_seed, 11u);
  const RoleConfig& judge = c->role(Role::kJudge);
  EXPECT_EQ(judge.backend, Backend::kOpenAi);
  EXPECT_EQ(judge.model, "qwen3-8b");
  EXPECT_DOUBLE_EQ(judge.temperature, 0.0);
  EXPECT_EQ(judge.max_tokens, 64);
  EXPECT_EQ(judge.extra_body_json, R"({"chat_template_kwargs":{"enable_thinking":false}})");
  EXPECT_EQ(judge.selection, EndpointSelection::kLeastLoaded);
  EXPECT_EQ(judge.retry, (RetryPolicy{3, 0.5, 4.0}));
  ASSERT_EQ(judge.endpoints.size(), 2u);
  EXPECT_EQ(judge.endpoints[0].base_url, "http://127.0.0.1:8000/v1");  // inherited
  EXPECT_EQ(judge.endpoints[0].api_key_env, "KEY_ONE");
  EXPECT_EQ(judge.endpoints[0].max_concurrency, 4);
  EXPECT_DOUBLE_EQ(judge.endpoints[0].rpm, 600);  // from defaults
  EXPECT_EQ(judge.endpoints[1].base_url, "http://127.0.0.1:8001");
  EXPECT_EQ(judge.endpoints[1].api_key_env, "OPENAI_API_KEY");
  EXPECT_DOUBLE_EQ(judge.endpoints[1].tpm, 90000);
  const RoleConfig& opt = c->role(Role::kOptimizer);
  EXPECT_EQ(opt.model, "big-model");
  EXPECT_DOUBLE_EQ(opt.temperature, 0.7);  // built-in default kept
  ASSERT_EQ(opt.endpoints.size(), 1u);
  EXPECT_DOUBLE_EQ(opt.endpoints[0].rpm, 600);
  EXPECT_EQ(c->role(Role::kLoss).backend, Backend::kOpenAi);
  ASSERT_TRUE(c->PriceFor("qwen3-8b").has_value());
  EXPECT_FALSE(c->PriceFor("big-model").has_value());
  Usage usage{2'000'000, 1'000'000};
  EXPECT_DOUBLE_EQ(c->CostUsd("qwen3-8b", usage), 0.05 * 2 + 0.25);
  EXPECT_DOUBLE_EQ(c->CostUsd("big-model", usage), 0.0);
}

TEST(LlmConfigTest, UnknownKeysAreRejectedByName) {
  EXPECT_NE(ErrorOf("judgee = {}").find("key 'judgee'"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\ntemprature = 0.1").find("key 'judge.temprature'"), std::string::npos);
  EXPECT_NE(ErrorOf("[defaults]\nmodle = 'x'").find("key 'defaults.modle'"), std::string::npos);
  EXPECT_NE(ErrorOf("[[loss.endpoints]]\nrpmm = 1").find("key 'loss.endpoints[0].rpmm'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[judge.retry]\nattempts = 3").find("key 'judge.retry.attempts'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[prices.m]\ninput = 1").find("key 'prices.m.input'"), std::string::npos);
  EXPECT_NE(ErrorOf("judgee = {}").find("llm.toml"), std::string::npos);
}

TEST(LlmConfigTest, BadValuesNameTheKey) {
  EXPECT_NE(ErrorOf("[judge]\ntemperature = 3.0").find("judge.temperature"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nmax_tokens = 0").find("judge.max_tokens"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\ntimeout_s = 0").find("judge.timeout_s"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nbackend = 'gpt'").find("judge.backend"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nselection = 'random'").find("judge.selection"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nbase_url = 'ftp://x'").find("judge.base_url"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nmax_concurrency = 0").find("judge.max_concurrency"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nrpm = -1").find("judge.rpm"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nextra_body = 3").find("judge.extra_body"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nendpoints = []").find("judge.endpoints"), std::string::npos);
  EXPECT_NE(ErrorOf("[judge.retry]\nmax_attempts = 0").find("judge.retry.max_attempts"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("[judge.retry]\nbase_delay_s = 5\nmax_delay_s = 1").find("judge.retry.max_delay_s"),
      std::string::npos);
  EXPECT_NE(ErrorOf("[judge]\nmodel = 5").find("judge.model"), std::string::npos);
  EXPECT_NE(ErrorOf("[prices.m]\ninput_usd_per_mtok = 1").find("output_usd_per_mtok"),
            std::string::npos);
}

TEST(LlmConfigTest, AKeyPastedIntoApiKeyEnvIsRejectedWithoutEchoingIt) {
  std::string message = ErrorOf("[judge]\napi_key_env = 'sk-proj-SECRETSECRET'");
  EXPECT_NE(message.find("judge.api_key_env"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETSECRET"), std::string::npos) << message;
}

TEST(LlmConfigTest, ResolvedTreeRoundTripsAndHoldsNoKeyValue) {
  auto env = MapEnv({{"OPENAI_API_KEY", "sk-very-secret-value"}, {"MY_KEY", "sk-other-secret"}});
  auto c = ParseText(R"(
[judge]
backend = "openai"
model = "m"
api_key_env = "MY_KEY"
extra_body = { thinking = { type = "disabled" } }
[prices.m]
input_usd_per_mtok = 1.5
output_usd_per_mtok = 2
)",
                     env);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  config::Json tree = LlmConfigToJson(*c);
  std::string dumped = tree.dump();
  EXPECT_EQ(dumped.find("secret"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("MY_KEY"), std::string::npos);
  auto again = ParseLlmConfig(tree, "resolved", env);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *c);
}

TEST(LlmConfigTest, OverridesApplyToTheChosenRoles) {
  LlmConfig c = DefaultLlmConfig(MapEnv({}));
  c.role(Role::kJudge).endpoints.push_back(c.role(Role::kJudge).endpoints[0]);
  LlmOverrides o;
  o.backend = Backend::kOpenAi;
  o.base_url = "http://127.0.0.1:9999";
  o.model = "served-model";
  o.concurrency = 32;
  o.api_key_env = "JUDGE_KEY";
  const Role judge_only[] = {Role::kJudge};
  ASSERT_TRUE(ApplyOverrides(c, o, judge_only).ok());
  const RoleConfig& judge = c.role(Role::kJudge);
  EXPECT_EQ(judge.backend, Backend::kOpenAi);
  EXPECT_EQ(judge.model, "served-model");
  for (const auto& ep : judge.endpoints) {
    EXPECT_EQ(ep.base_url, "http://127.0.0.1:9999");
    EXPECT_EQ(ep.max_concurrency, 32);
    EXPECT_EQ(ep.api_key_env, "JUDGE_KEY");
  }
  EXPECT_EQ(c.role(Role::kLoss).endpoints[0].api_key_env, kDefaultApiKeyEnv);
  EXPECT_EQ(c.role(Role::kLoss).backend, Backend::kSim);
  EXPECT_EQ(c.role(Role::kLoss).model, "");
  ASSERT_TRUE(ApplyOverrides(c, LlmOverrides{Backend::kReplay, {}, {}, {}}).ok());
  for (Role r : kAllRoles) EXPECT_EQ(c.role(r).backend, Backend::kReplay);

  LlmOverrides bad;
  bad.base_url = "127.0.0.1:9999";
  Status st = ApplyOverrides(c, bad);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("--base-url"), std::string::npos);

  LlmOverrides pasted;  // a key pasted where its variable's name belongs is refused, unechoed
  pasted.api_key_env = "sk-proj-PASTEDSECRET";
  st = ApplyOverrides(c, pasted);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("--api-key-env"), std::string::npos);
  EXPECT_EQ(st.error().message.find("PASTEDSECRET"), std::string::npos);
}

TEST(LlmConfigTest, OpenAiBackendNeedsAModel) {
  RoleConfig rc = DefaultRoleConfig(Role::kGradient, MapEnv({}));
  EXPECT_TRUE(ValidateRole(rc, Role::kGradient).ok());  // sim: no model needed
  rc.backend = Backend::kOpenAi;
  Status st = ValidateRole(rc, Role::kGradient);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("llm.gradient.model"), std::string::npos);
  rc.model = "m";
  EXPECT_TRUE(ValidateRole(rc, Role::kGradient).ok());
  rc.endpoints[0].base_url = "bogus";
  EXPECT_FALSE(ValidateRole(rc, Role::kGradient).ok());
}

TEST(LlmConfigTest, MakeRequestCarriesTheRoleSettings) {
  auto c = ParseText("[loss]\nmodel = 'x'\nextra_body = { a = 1 }");
  ASSERT_TRUE(c.ok());
  ChatRequest r = MakeRequest(*c, Role::kLoss);
  EXPECT_EQ(r.role, Role::kLoss);
  EXPECT_EQ(r.model, "x");
  EXPECT_DOUBLE_EQ(r.temperature, 0.3);
  EXPECT_EQ(r.max_tokens, 1024);
  EXPECT_EQ(r.extra_body_json, R"({"a":1})");
}

TEST(LlmConfigTest, NamesParseBothWays) {
  for (Backend b : {Backend::kSim, Backend::kOpenAi, Backend::kReplay}) {
    EXPECT_EQ(*ParseBackend(BackendName(b)), b);
  }
  for (EndpointSelection s : {EndpointSelection::kRoundRobin, EndpointSelection::kLeastLoaded}) {
    EXPECT_EQ(*ParseSelection(SelectionName(s)), s);
  }
  EXPECT_FALSE(ParseBackend("OpenAI").ok());
}

// Request shaping: which key carries the token limit, whether a temperature is sent, and the
// reasoning effort; read per role, written back only when set, checked by name.
TEST(LlmConfigTest, RequestShapingIsReadPerRoleAndRoundTrips) {
  auto c = ParseOpenAiJudge(
      "token_param = \"max_completion_tokens\"\ntemperature = \"omit\"\n"
      "reasoning_effort = \"low\"\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  const RoleConfig& judge = c->role(Role::kJudge);
  EXPECT_EQ(judge.token_param, TokenParam::kMaxCompletionTokens);
  EXPECT_TRUE(judge.omit_temperature);
  EXPECT_EQ(judge.reasoning_effort, "low");
  EXPECT_EQ(c->role(Role::kLoss).token_param, TokenParam::kAuto);
  EXPECT_FALSE(c->role(Role::kLoss).omit_temperature);
  auto again = ParseLlmConfig(LlmConfigToJson(*c), "resolved", MapEnv({}));
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *c);
  // Unset, nothing is written: stored configs (and the run ids hashed from them) keep their form.
  const std::string plain = LlmConfigToJson(DefaultLlmConfig(MapEnv({}))).dump();
  EXPECT_EQ(plain.find("token_param"), std::string::npos);
  EXPECT_EQ(plain.find("reasoning_effort"), std::string::npos);
  const std::string bad = ErrorOf("[judge]\ntoken_param = 'max_output_tokens'");
  for (const char* part : {"judge.token_param", "auto", "max_tokens", "max_completion_tokens"}) {
    EXPECT_NE(bad.find(part), std::string::npos) << part << ": " << bad;
  }
  EXPECT_NE(ErrorOf("[judge]\ntemperature = 'hot'").find("\"omit\""), std::string::npos);
}

TEST(LlmConfigTest, ReasoningModelFamiliesAreRecognisedAndShaped) {
  for (const char* m : {"o1", "o1-mini", "o3-2025-04-16", "o4-mini", "gpt-5", "gpt-5-mini",
                        "openai/gpt-5-nano"}) {
    EXPECT_TRUE(UsesReasoningApi(m)) << m;
  }
  for (const char* m : {"gpt-4o-mini", "o10", "gpt-50", "deepseek-chat", "qwen3-8b", "", "oracle"}) {
    EXPECT_FALSE(UsesReasoningApi(m)) << m;
  }
  RoleConfig rc;
  ChatRequest r;
  r.model = "gpt-5-mini";
  ShapeRequest(rc, r);
  EXPECT_TRUE(r.max_completion_tokens);
  EXPECT_TRUE(r.omit_temperature);
  r.model = "gpt-4o-mini";
  ShapeRequest(rc, r);
  EXPECT_FALSE(r.max_completion_tokens);
  EXPECT_FALSE(r.omit_temperature);
  rc.token_param = TokenParam::kMaxTokens;  // an explicit choice wins over the family
  r.model = "o3";
  ShapeRequest(rc, r);
  EXPECT_FALSE(r.max_completion_tokens);
  EXPECT_TRUE(r.omit_temperature) << "reasoning models never get a temperature";
}

TEST(LlmConfigTest, PlainHttpIsRemoteUnlessLoopback) {
  for (const char* url : {"http://10.0.0.5:8000/v1", "http://gpu-box/v1", "http://example.com",
                          "http://[2001:db8::1]:8000/v1", "http://128.0.0.1/v1"}) {
    EXPECT_TRUE(IsPlainHttpToRemoteHost(url)) << url;
  }
  for (const char* url : {"https://api.openai.com/v1", "http://127.0.0.1:8000/v1",
                          "http://127.8.9.10/v1", "http://localhost:11434/v1",
                          "http://LOCALHOST/v1", "http://[::1]:8000/v1"}) {
    EXPECT_FALSE(IsPlainHttpToRemoteHost(url)) << url;
  }
}

// A key never travels in clear to another machine unless the config says so; without a key
// there is nothing to protect.
TEST(LlmConfigTest, AKeyIsNeverSentOverPlainHttpToARemoteHostUnlessAllowed) {
  const std::string lan = "base_url = \"http://10.0.0.5:8000/v1\"\napi_key_env = \"LAN_KEY\"\n";
  auto c = ParseOpenAiJudge(lan);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  RoleConfig rc = c->role(Role::kJudge);
  const EnvLookup with_key = MapEnv({{"LAN_KEY", "sk-lan-secret-value"}});
  Status refused = CheckKeyTransport(rc, Role::kJudge, with_key);
  ASSERT_FALSE(refused.ok());
  const std::string m = refused.error().message;
  for (const char* part : {"llm.judge", "LAN_KEY", "http://10.0.0.5:8000/v1", "https",
                           "allow_insecure_http = true under [llm.judge]"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << ": " << m;
  }
  EXPECT_EQ(m.find("sk-lan-secret-value"), std::string::npos) << "the key itself is never shown";
  EXPECT_TRUE(CheckKeyTransport(rc, Role::kJudge, MapEnv({})).ok()) << "no key, nothing to send";
  auto allowed = ParseOpenAiJudge(lan + "allow_insecure_http = true\n");
  ASSERT_TRUE(allowed.ok()) << allowed.error().ToString();
  EXPECT_TRUE(CheckKeyTransport(allowed->role(Role::kJudge), Role::kJudge, with_key).ok());
  auto again = ParseLlmConfig(LlmConfigToJson(*allowed), "resolved", MapEnv({}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->role(Role::kJudge).allow_insecure_http);
}

}  // namespace
}  // namespace judgeopt::llm
