// The endpoint settings of issue 16 (auth, extra_headers, query, ca_bundle) and the role's
// low_speed limit: parsing, errors, round trip and command-line overrides.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {
namespace {

EnvLookup NoEnv() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

Result<LlmConfig> ParseText(std::string_view toml) {
  auto tree = config::ParseToml(toml, "llm.toml");
  if (!tree.ok()) return tree.error();
  return ParseLlmConfig(*tree, "llm.toml", NoEnv());
}

std::string ErrorOf(std::string_view toml) {
  auto parsed = ParseText(toml);
  EXPECT_FALSE(parsed.ok()) << toml;
  return parsed.ok() ? "" : parsed.error().message;
}

void ExpectAll(const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* part : parts) EXPECT_NE(text.find(part), std::string::npos) << part << ": " << text;
}

// A PEM-named file that exists for the test's lifetime.
struct TempPem {
  TempPem() { std::ofstream(path) << "-----BEGIN CERTIFICATE-----\n"; }
  ~TempPem() { std::filesystem::remove(path); }
  std::string path = (std::filesystem::temp_directory_path() /
                      ("jo_ca_" + std::to_string(::getpid()) + ".pem")).string();
};

TEST(EndpointSettingsTest, AzureStyleEndpointIsReadAndRoundTrips) {
  TempPem pem;
  auto c = ParseText(
      "[judge]\nbackend = 'openai'\nmodel = 'gpt-4o'\nauth = 'api-key'\n"
      "api_key_env = 'AZURE_OPENAI_API_KEY'\n"
      "base_url = 'https://res.openai.azure.com/openai/deployments/gpt-4o'\n"
      "query = { 'api-version' = '2024-10-21' }\n"
      "extra_headers = { 'HTTP-Referer' = 'https://example.org', 'X-Title' = 'judgeopt' }\n"
      "ca_bundle = '" + pem.path + "'\n"
      "low_speed = { bytes_per_s = 10, window_s = 5 }\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  const RoleConfig& judge = c->role(Role::kJudge);
  const EndpointConfig& ep = judge.endpoints.at(0);
  EXPECT_EQ(ep.auth, AuthScheme::kApiKey);
  EXPECT_EQ(ep.query.at("api-version"), "2024-10-21");
  EXPECT_EQ(ep.extra_headers.at("X-Title"), "judgeopt");
  EXPECT_EQ(ep.extra_headers.at("HTTP-Referer"), "https://example.org");
  EXPECT_EQ(ep.ca_bundle, pem.path);
  EXPECT_EQ(judge.low_speed, (LowSpeedLimit{10.0, 5.0}));
  const RoleConfig& loss = c->role(Role::kLoss);
  EXPECT_EQ(loss.endpoints.at(0).auth, AuthScheme::kBearer);
  EXPECT_TRUE(loss.endpoints.at(0).query.empty());
  EXPECT_EQ(loss.low_speed, (LowSpeedLimit{1.0, 30.0})) << "the default: 1 byte/s over 30 s";
  auto again = ParseLlmConfig(LlmConfigToJson(*c), "resolved", NoEnv());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *c);
  // Unset, nothing is written: stored configs (and the run ids hashed from them) keep their form.
  const std::string plain = LlmConfigToJson(DefaultLlmConfig(NoEnv())).dump();
  for (const char* key : {"auth", "extra_headers", "query", "ca_bundle", "low_speed"}) {
    EXPECT_EQ(plain.find(key), std::string::npos) << key;
  }
}

TEST(EndpointSettingsTest, AnEndpointEntryOverridesTheRoleTemplate) {
  auto c = ParseText(
      "[defaults]\nauth = 'api-key'\nquery = { 'api-version' = '1' }\n"
      "[[judge.endpoints]]\nbase_url = 'http://127.0.0.1:1/v1'\n"
      "[[judge.endpoints]]\nbase_url = 'http://127.0.0.1:2/v1'\nauth = 'none'\n"
      "query = { 'api-version' = '2' }\n");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  const auto& eps = c->role(Role::kJudge).endpoints;
  ASSERT_EQ(eps.size(), 2u);
  EXPECT_EQ(eps[0].auth, AuthScheme::kApiKey);
  EXPECT_EQ(eps[0].query.at("api-version"), "1");
  EXPECT_EQ(eps[1].auth, AuthScheme::kNone);
  EXPECT_EQ(eps[1].query.at("api-version"), "2");
}

TEST(EndpointSettingsTest, BadSettingsNameTheKey) {
  ExpectAll(ErrorOf("[judge]\nauth = 'basic'"), {"judge.auth", "bearer", "api-key", "none"});
  ExpectAll(ErrorOf("[judge]\nquery = { v = 3 }"), {"judge.query.v", "string"});
  ExpectAll(ErrorOf("[judge]\nlow_speed = { bytes_per_s = -1 }"), {"low_speed.bytes_per_s"});
  ExpectAll(ErrorOf("[judge]\nlow_speed = { bytes = 1 }"), {"bytes"});
  ExpectAll(ErrorOf("[judge]\nextra_headers = { 'X Bad' = 'v' }"),
            {"judge.extra_headers", "'X Bad'"});
  ExpectAll(ErrorOf("[judge]\nca_bundle = '/nonexistent/corp-ca.pem'"),
            {"judge.ca_bundle", "/nonexistent/corp-ca.pem"});
  ExpectAll(ErrorOf("[judge]\nca_bundle = '/tmp'"), {"judge.ca_bundle", "not a file"});
  // A query string in base_url stays refused, now pointing to the `query` key.
  ExpectAll(ErrorOf("[judge]\nbase_url = 'https://h/v1?api-version=1'"),
            {"judge.base_url", "query = {", "--query"});
}

TEST(EndpointSettingsTest, KeyHeadersAreRefusedPointingToAuthWithoutShowingTheValue) {
  for (const char* name : {"Authorization", "api-key", "X-API-Key", "authorization"}) {
    const std::string m = ErrorOf(std::string("[judge]\nextra_headers = { '") + name +
                                  "' = 'sk-secret-value-123' }");
    ExpectAll(m, {"judge.extra_headers", name, "auth"});
    EXPECT_EQ(m.find("sk-secret-value-123"), std::string::npos) << m;
  }
  const std::string crlf = ErrorOf("[judge]\nextra_headers = { 'X-T' = \"a\\r\\nX-Evil: sk-zz\" }");
  ExpectAll(crlf, {"'X-T'", "line break"});
  EXPECT_EQ(crlf.find("sk-zz"), std::string::npos) << crlf;
}

TEST(EndpointSettingsTest, OverridesSetAuthHeadersQueryAndShapingForTheChosenRoles) {
  LlmConfig c = DefaultLlmConfig(NoEnv());
  c.role(Role::kJudge).endpoints[0].extra_headers["X-Title"] = "old";
  LlmOverrides o;
  o.auth = AuthScheme::kApiKey;
  o.headers = {{"X-Title", "new"}, {"HTTP-Referer", "https://r"}};
  o.query = {{"api-version", "2024-10-21"}};
  o.token_param = TokenParam::kMaxCompletionTokens;
  o.reasoning_effort = "low";
  const Role judge_only[] = {Role::kJudge};
  ASSERT_TRUE(ApplyOverrides(c, o, judge_only).ok());
  const RoleConfig& judge = c.role(Role::kJudge);
  EXPECT_EQ(judge.endpoints[0].auth, AuthScheme::kApiKey);
  EXPECT_EQ(judge.endpoints[0].extra_headers.at("X-Title"), "new");
  EXPECT_EQ(judge.endpoints[0].extra_headers.at("HTTP-Referer"), "https://r");
  EXPECT_EQ(judge.endpoints[0].query.at("api-version"), "2024-10-21");
  EXPECT_EQ(judge.token_param, TokenParam::kMaxCompletionTokens);
  EXPECT_EQ(judge.reasoning_effort, "low");
  EXPECT_EQ(c.role(Role::kLoss).endpoints[0].auth, AuthScheme::kBearer);
  EXPECT_EQ(c.role(Role::kLoss).token_param, TokenParam::kAuto);

  LlmOverrides bad;
  bad.headers = {{"Authorization", "Bearer sk-pasted"}};
  Status st = ApplyOverrides(c, bad);
  ASSERT_FALSE(st.ok());
  ExpectAll(st.error().message, {"--header", "Authorization", "auth"});
  EXPECT_EQ(st.error().message.find("sk-pasted"), std::string::npos);
}

TEST(EndpointSettingsTest, AuthNoneSendsNoKeySoPlainHttpIsAllowed) {
  RoleConfig rc = DefaultRoleConfig(Role::kJudge, NoEnv());
  rc.endpoints[0].base_url = "http://10.0.0.5:8000/v1";
  const EnvLookup with_key = [](const std::string&) -> std::optional<std::string> {
    return "sk-set";
  };
  EXPECT_FALSE(CheckKeyTransport(rc, Role::kJudge, with_key).ok());
  rc.endpoints[0].auth = AuthScheme::kNone;
  EXPECT_TRUE(CheckKeyTransport(rc, Role::kJudge, with_key).ok());
}

}  // namespace
}  // namespace judgeopt::llm
