// Finding the model of an openai role that names none: the server's GET /models list, one model
// used, several or none refused with the list, errors naming the URL and never the key.

#include "judgeopt/llm/model_discovery.h"

#include <gtest/gtest.h>

#include "fakes/fake_transport.h"

namespace judgeopt::llm {
namespace {

using fakes::FakeTransport;

constexpr Role kJudgeOnly[] = {Role::kJudge};

EnvLookup KeyEnv(std::string key) {
  return [key](const std::string& name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY") return key;
    return std::nullopt;
  };
}

LlmConfig OpenAiConfig(const std::string& base_url) {
  LlmConfig c = DefaultLlmConfig(KeyEnv(""));
  for (Role r : kAllRoles) {
    c.role(r).backend = Backend::kOpenAi;
    c.role(r).model.clear();
    c.role(r).endpoints = {EndpointConfig{base_url}};
  }
  return c;
}

TEST(ModelDiscoveryTest, ModelsUrlFollowsTheChatUrlNormalization) {
  EXPECT_EQ(*ModelsUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080/v1/models");
  EXPECT_EQ(*ModelsUrl("http://127.0.0.1:8080/v1/"), "http://127.0.0.1:8080/v1/models");
  EXPECT_EQ(*ModelsUrl("https://openrouter.ai/api/v1"), "https://openrouter.ai/api/v1/models");
  EXPECT_FALSE(ModelsUrl("ftp://x").ok());
}

TEST(ModelDiscoveryTest, TheOnlyServedModelIsUsedOnceForEveryRoleOnThatServer) {
  FakeTransport transport;
  transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return FakeTransport::Reply(200, R"({"object":"list","data":[{"id":"qwen-7b"}]})");
  });
  LlmConfig c = OpenAiConfig("http://127.0.0.1:9/v1");
  c.role(Role::kLoss).model = "named";
  std::vector<std::string> notes;
  ASSERT_TRUE(FillServedModels(c, kAllRoles, transport, KeyEnv("sk-secret-123"), notes).ok());
  EXPECT_EQ(c.role(Role::kJudge).model, "qwen-7b");
  EXPECT_EQ(c.role(Role::kLoss).model, "named");  // a named model is kept
  EXPECT_EQ(c.role(Role::kDiagnostic).model, "qwen-7b");
  ASSERT_EQ(transport.calls(), 1);  // one GET per server
  const HttpRequest sent = transport.requests()[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/v1/models");
  EXPECT_EQ(notes.size(), 4u);
  EXPECT_NE(notes[0].find("qwen-7b"), std::string::npos);
}

TEST(ModelDiscoveryTest, SeveralOrNoModelsAskForAnExplicitChoice) {
  FakeTransport transport;
  transport.Enqueue(FakeTransport::Reply(200, R"({"data":[{"id":"a"},{"id":"b"}]})"));
  LlmConfig c = OpenAiConfig("http://127.0.0.1:9");
  std::vector<std::string> notes;
  Status st = FillServedModels(c, kJudgeOnly, transport, KeyEnv(""), notes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("llm.judge.model"), std::string::npos);
  EXPECT_NE(st.error().message.find("a, b"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("--model"), std::string::npos);

  transport.Enqueue(FakeTransport::Reply(200, R"({"data":[]})"));
  st = FillServedModels(c, kJudgeOnly, transport, KeyEnv(""), notes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("no model"), std::string::npos) << st.error().message;
}

TEST(ModelDiscoveryTest, FailuresNameTheUrlAndTheKeyVariableButNeverTheKey) {
  FakeTransport transport;
  transport.Enqueue(FakeTransport::Reply(401, R"({"error":{"message":"bad key sk-secret-123"}})"));
  LlmConfig c = OpenAiConfig("http://127.0.0.1:9/v1");
  std::vector<std::string> notes;
  Status st = FillServedModels(c, kJudgeOnly, transport, KeyEnv("sk-secret-123"), notes);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kAuth);
  EXPECT_NE(st.error().message.find("http://127.0.0.1:9/v1/models"), std::string::npos);
  EXPECT_NE(st.error().message.find("OPENAI_API_KEY"), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.find("sk-secret-123"), std::string::npos) << st.error().message;

  transport.Enqueue(FakeTransport::Reply(200, "<html>not json</html>"));
  st = FillServedModels(c, kJudgeOnly, transport, KeyEnv(""), notes);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("model list"), std::string::npos) << st.error().message;
  EXPECT_TRUE(notes.empty());
}

TEST(ModelDiscoveryTest, RolesWithAModelOrAnotherBackendMakeNoRequest) {
  FakeTransport transport;
  LlmConfig c = OpenAiConfig("http://127.0.0.1:9");
  c.role(Role::kJudge).model = "m";
  c.role(Role::kLoss).backend = Backend::kSim;
  constexpr Role roles[] = {Role::kJudge, Role::kLoss};
  std::vector<std::string> notes;
  EXPECT_TRUE(FillServedModels(c, roles, transport, KeyEnv(""), notes).ok());
  EXPECT_EQ(transport.calls(), 0);
}

}  // namespace
}  // namespace judgeopt::llm
