// What a request to an endpoint carries (issue 16): the key header of its auth scheme, its extra
// headers, its URL-encoded query, its CA bundle and the role's low-speed limit, for chat
// completions and model discovery alike; and how endpoints with queries are shared.

#include "judgeopt/llm/endpoint_http.h"

#include <gtest/gtest.h>

#include <map>

#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/llm/model_discovery.h"
#include "judgeopt/llm/openai_client.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeClock;
using fakes::FakeTransport;

EnvLookup KeyEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "AZURE_KEY") return "az-key-123";
    return std::nullopt;
  };
}

// Every value of header `name` (exact case) in `request`.
std::vector<std::string> Values(const HttpRequest& request, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : request.headers) {
    if (AsciiLower(k) == AsciiLower(name)) out.push_back(v);
  }
  return out;
}

EndpointConfig Azure() {
  EndpointConfig ep;
  ep.base_url = "https://res.openai.azure.com/openai/deployments/gpt-4o";
  ep.api_key_env = "AZURE_KEY";
  ep.auth = AuthScheme::kApiKey;
  ep.query = {{"api-version", "2024-10-21"}};
  ep.extra_headers = {{"X-Title", "judge opt"}};
  ep.ca_bundle = "/etc/corp-ca.pem";
  return ep;
}

RoleConfig OpenAiRole(std::vector<EndpointConfig> endpoints) {
  RoleConfig rc;
  rc.backend = Backend::kOpenAi;
  rc.model = "gpt-4o";
  rc.endpoints = std::move(endpoints);
  rc.low_speed = {2.0, 7.0};
  return rc;
}

ChatRequest Hello() {
  ChatRequest r;
  r.model = "gpt-4o";
  r.messages = {{"user", "hello"}};
  return r;
}

TEST(EndpointHttpTest, QueryParametersAreUrlEncodedInNameOrder) {
  EXPECT_EQ(UrlEncode("a b&c=d/é~._-"), "a%20b%26c%3Dd%2F%C3%A9~._-");
  EXPECT_EQ(AppendQuery("http://h/v1", {}), "http://h/v1");
  EXPECT_EQ(AppendQuery("http://h/v1", {{"z", "1"}, {"api-version", "2024-10-21 x"}}),
            "http://h/v1?api-version=2024-10-21%20x&z=1");
  EXPECT_EQ(*EndpointChatUrl(Azure()),
            "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions"
            "?api-version=2024-10-21");
}

TEST(EndpointHttpTest, EachAuthSchemeSendsItsOwnKeyHeaderOnly) {
  EndpointConfig ep = Azure();
  HttpRequest api_key = EndpointRequest(ep, "u", EndpointKey(ep, KeyEnv()));
  EXPECT_EQ(Values(api_key, "api-key"), std::vector<std::string>{"az-key-123"});
  EXPECT_TRUE(Values(api_key, "Authorization").empty());
  EXPECT_EQ(Values(api_key, "X-Title"), std::vector<std::string>{"judge opt"});
  EXPECT_EQ(api_key.ca_bundle, "/etc/corp-ca.pem");
  ep.auth = AuthScheme::kBearer;
  HttpRequest bearer = EndpointRequest(ep, "u", EndpointKey(ep, KeyEnv()));
  EXPECT_EQ(Values(bearer, "Authorization"), std::vector<std::string>{"Bearer az-key-123"});
  EXPECT_TRUE(Values(bearer, "api-key").empty());
  ep.auth = AuthScheme::kNone;
  EXPECT_FALSE(EndpointKey(ep, KeyEnv()).has_value()) << "none sends no key though it is set";
  HttpRequest none = EndpointRequest(ep, "u", EndpointKey(ep, KeyEnv()));
  EXPECT_TRUE(Values(none, "Authorization").empty());
  EXPECT_TRUE(Values(none, "api-key").empty());
}

TEST(EndpointHttpTest, ChatRequestsCarryTheEndpointSettingsAndTheLowSpeedLimit) {
  FakeClock clock;
  FakeTransport transport;
  EndpointPool pool(&clock);
  auto client = OpenAiClient::Create(OpenAiRole({Azure()}), &pool, &transport, &clock, KeyEnv());
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  transport.Enqueue(FakeTransport::ChatOk("ok"));
  ASSERT_TRUE((*client)->Complete(Hello()).ok());
  const HttpRequest sent = transport.requests().at(0);
  EXPECT_EQ(sent.url,
            "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions"
            "?api-version=2024-10-21");
  EXPECT_EQ(Values(sent, "api-key"), std::vector<std::string>{"az-key-123"});
  EXPECT_TRUE(Values(sent, "Authorization").empty());
  EXPECT_EQ(Values(sent, "X-Title"), std::vector<std::string>{"judge opt"});
  EXPECT_EQ(Values(sent, "Content-Type"), std::vector<std::string>{"application/json"});
  EXPECT_EQ(sent.ca_bundle, "/etc/corp-ca.pem");
  EXPECT_DOUBLE_EQ(sent.low_speed_bytes_per_s, 2.0);
  EXPECT_DOUBLE_EQ(sent.low_speed_window_s, 7.0);
}

TEST(EndpointHttpTest, ModelDiscoverySendsTheSameQueryAndHeaders) {
  FakeTransport transport;
  transport.Enqueue(FakeTransport::Reply(200, R"({"data":[{"id":"gpt-4o"}]})"));
  auto ids = ListServedModels(transport, Azure(), KeyEnv());
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  const HttpRequest sent = transport.requests().at(0);
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url,
            "https://res.openai.azure.com/openai/deployments/gpt-4o/models"
            "?api-version=2024-10-21");
  EXPECT_EQ(Values(sent, "api-key"), std::vector<std::string>{"az-key-123"});
  EXPECT_EQ(Values(sent, "X-Title"), std::vector<std::string>{"judge opt"});
  EXPECT_EQ(sent.ca_bundle, "/etc/corp-ca.pem");
}

// Endpoints are shared by URL (query included) and key variable, as servers count limits per key;
// each role still sends its own headers to a shared endpoint.
TEST(EndpointHttpTest, SharingKeysOnTheQueryAndEachRoleSendsItsOwnHeaders) {
  FakeClock clock;
  FakeTransport transport;
  EndpointPool pool(&clock);
  EndpointConfig other_version = Azure();
  other_version.query["api-version"] = "2025-01-01";
  EndpointConfig other_title = Azure();
  other_title.extra_headers["X-Title"] = "second role";
  auto a = OpenAiClient::Create(OpenAiRole({Azure()}), &pool, &transport, &clock, KeyEnv());
  auto b = OpenAiClient::Create(OpenAiRole({other_version}), &pool, &transport, &clock, KeyEnv());
  auto c = OpenAiClient::Create(OpenAiRole({other_title}), &pool, &transport, &clock, KeyEnv());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE((*a)->endpoint_ids(), (*b)->endpoint_ids()) << "another api-version, another endpoint";
  EXPECT_EQ((*a)->endpoint_ids(), (*c)->endpoint_ids()) << "same URL and key: one endpoint";
  for (int i = 0; i < 2; ++i) transport.Enqueue(FakeTransport::ChatOk("ok"));
  ASSERT_TRUE((*a)->Complete(Hello()).ok());
  ASSERT_TRUE((*c)->Complete(Hello()).ok());
  EXPECT_EQ(Values(transport.requests().at(0), "X-Title"), std::vector<std::string>{"judge opt"});
  EXPECT_EQ(Values(transport.requests().at(1), "X-Title"),
            std::vector<std::string>{"second role"});
}

TEST(EndpointHttpTest, OnlyHeadersThatCarryNoKeyAreAccepted) {
  EXPECT_TRUE(CheckExtraHeader("HTTP-Referer", "https://example.org").ok());
  EXPECT_TRUE(CheckExtraHeader("X-Title", "judgeopt").ok());
  for (const char* name : {"Authorization", "API-KEY", "x-api-key", "Proxy-Authorization"}) {
    EXPECT_TRUE(IsKeyHeader(name)) << name;
    Status st = CheckExtraHeader(name, "sk-hidden-1");
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_NE(st.error().message.find(name), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("auth"), std::string::npos) << st.error().message;
    EXPECT_EQ(st.error().message.find("sk-hidden-1"), std::string::npos) << st.error().message;
  }
  EXPECT_FALSE(CheckExtraHeader("", "v").ok());
  EXPECT_FALSE(CheckExtraHeader("Bad:Name", "v").ok());
  EXPECT_FALSE(CheckExtraHeader("X-T", "a\nb").ok());
  EXPECT_FALSE(CheckQueryParam("").ok());
}

}  // namespace
}  // namespace judgeopt::llm
