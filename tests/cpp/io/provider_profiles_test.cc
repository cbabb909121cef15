#include "judgeopt/io/provider_profiles.h"

#include <gtest/gtest.h>

#include <string>

namespace judgeopt::io {
namespace {

using Json = nlohmann::ordered_json;

WireCall Call(Json body, int64_t prompt_tokens = 100) {
  WireCall call;
  call.path = "/v1/chat/completions";
  call.body = std::move(body);
  call.prompt_tokens = prompt_tokens;
  return call;
}

Json Reply(const std::string& content, int64_t prompt, int64_t completion) {
  return {{"choices", {{{"message", {{"role", "assistant"}, {"content", content}}},
                        {"finish_reason", "stop"}}}},
          {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}}}};
}

std::unique_ptr<ProviderRules> Rules(Profile p, int context = 0, int slots = 0) {
  return MakeProviderRules({p, context, slots});
}

TEST(ProviderProfilesTest, EveryProfileHasANameAndAModel) {
  for (const auto& entry : NamesOf(Profile{})) {
    EXPECT_EQ(FindEnum<Profile>(entry.name), entry.value);
    EXPECT_FALSE(Rules(entry.value)->DefaultModel().empty()) << entry.name;
  }
  EXPECT_EQ(Rules(Profile::kGemini)->BasePath(), "/v1beta/openai");
  EXPECT_EQ(Rules(Profile::kAzure)->BasePath(), "/openai/deployments/gpt-4o");
}

TEST(ProviderProfilesTest, ReasoningModelRefusesMaxTokensAndTemperature) {
  auto rules = Rules(Profile::kOpenAiReasoning);
  auto refused = rules->Refuse(Call({{"max_tokens", 10}}));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("max_completion_tokens"), std::string::npos);
  refused = rules->Refuse(Call({{"max_completion_tokens", 10}, {"temperature", 0.1}}));
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->body.find("unsupported_value"), std::string::npos);
  EXPECT_FALSE(rules->Refuse(Call({{"max_completion_tokens", 10}, {"temperature", 1}})));
  EXPECT_FALSE(rules->Refuse(Call({{"max_completion_tokens", 10}})));
}

TEST(ProviderProfilesTest, HiddenReasoningEatsASmallLimit) {
  auto rules = Rules(Profile::kOpenAiReasoning);
  Json reply = Reply("{\"score\": 4}", 50, 5);
  rules->AdjustReply(Call({{"max_completion_tokens", 256}}), reply);  // medium effort: 512
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "");
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(reply["usage"]["completion_tokens"], 256);
  EXPECT_EQ(reply["usage"]["completion_tokens_details"]["reasoning_tokens"], 256);

  reply = Reply("{\"score\": 4}", 50, 5);
  rules->AdjustReply(Call({{"max_completion_tokens", 256}, {"reasoning_effort", "minimal"}}),
                     reply);
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "{\"score\": 4}");
  EXPECT_EQ(reply["usage"]["completion_tokens"], 5);

  reply = Reply("{\"score\": 4}", 50, 5);
  rules->AdjustReply(Call({{"max_completion_tokens", 4000}}), reply);
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(reply["usage"]["completion_tokens"], 517);  // visible 5 + hidden 512, billed
  EXPECT_EQ(reply["usage"]["total_tokens"], 567);
}

TEST(ProviderProfilesTest, AzureWantsAnApiKeyHeaderAndAnApiVersion) {
  auto rules = Rules(Profile::kAzure);
  WireCall call = Call({{"max_tokens", 10}});
  call.headers["authorization"] = "Bearer k";
  ASSERT_TRUE(rules->Refuse(call).has_value());
  EXPECT_EQ(rules->Refuse(call)->status, 401);
  call.headers["api-key"] = "k";
  ASSERT_TRUE(rules->Refuse(call).has_value());
  EXPECT_EQ(rules->Refuse(call)->status, 404);
  call.query["api-version"] = "2024-10-21";
  EXPECT_FALSE(rules->Refuse(call).has_value());
}

TEST(ProviderProfilesTest, TokenCapsAreRefusedWithTheProvidersMessage) {
  EXPECT_FALSE(Rules(Profile::kDeepSeek)->Refuse(Call({{"max_tokens", 8192}})));
  auto deepseek = Rules(Profile::kDeepSeek)->Refuse(Call({{"max_tokens", 8193}}));
  ASSERT_TRUE(deepseek.has_value());
  EXPECT_NE(deepseek->body.find("[1, 8192]"), std::string::npos);

  auto fireworks = Rules(Profile::kFireworks)->Refuse(Call({{"max_tokens", 8192}}));
  ASSERT_TRUE(fireworks.has_value());
  EXPECT_NE(fireworks->body.find("must have stream=true"), std::string::npos);
  EXPECT_FALSE(Rules(Profile::kFireworks)->Refuse(Call({{"max_tokens", 4096}})));

  WireCall anthropic = Call({{"max_tokens", 16384}});
  anthropic.headers["authorization"] = "Bearer k";
  auto claude = Rules(Profile::kAnthropic)->Refuse(anthropic);
  ASSERT_TRUE(claude.has_value());
  EXPECT_NE(claude->body.find("max_tokens: 16384 > 8192"), std::string::npos);

  auto openrouter = Rules(Profile::kOpenRouter)->Refuse(Call({{"max_tokens", 16384}}));
  ASSERT_TRUE(openrouter.has_value());
  EXPECT_EQ(openrouter->status, 402);
  EXPECT_NE(openrouter->body.find("can only afford 12000"), std::string::npos);
}

TEST(ProviderProfilesTest, ContextLimitsOfSelfHostedServers) {
  auto vllm = Rules(Profile::kVllm, 4096);
  EXPECT_FALSE(vllm->Refuse(Call({{"max_tokens", 4000}}, 96)));
  auto refused = vllm->Refuse(Call({{"max_tokens", 4000}}, 97));
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->body.find("maximum context length is 4096 tokens"), std::string::npos);
  EXPECT_EQ(vllm->ModelFields()["max_model_len"], 4096);

  auto llama = Rules(Profile::kLlamaCpp, 4096, 4);  // 1024 per slot
  EXPECT_EQ(llama->Slots(), 4);
  EXPECT_FALSE(llama->Refuse(Call({{"max_tokens", 99999}}, 1023)));
  refused = llama->Refuse(Call({}, 1024));
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->body.find("exceed_context_size_error"), std::string::npos);
}

TEST(ProviderProfilesTest, OllamaCutsThePromptSilently) {
  auto ollama = Rules(Profile::kOllama, 10);  // 10 tokens kept of 20: 40 bytes cut
  llm::ChatRequest request;
  request.messages = {{"system", "## Head\n" + std::string(30, 's')},
                      {"user", std::string(30, 'a') + std::string(30, 'b')}};
  WireCall call = Call({}, 20);
  EXPECT_FALSE(ollama->Refuse(call).has_value());
  ollama->AdjustRequest(call, request);
  // Bytes go from the middle of the longest lines; each keeps its first and last 16 bytes.
  EXPECT_EQ(request.messages[0].content, "## Head\n" + std::string(30, 's'));
  EXPECT_EQ(request.messages[1].content, std::string(16, 'a') + std::string(16, 'b'));
  Json reply = Reply("3", 20, 1);
  ollama->AdjustReply(call, reply);
  EXPECT_EQ(reply["usage"]["prompt_tokens"], 10);
}

TEST(ProviderProfilesTest, GeminiRefusesUnknownKeysWithAnArrayBody) {
  auto gemini = Rules(Profile::kGemini);
  EXPECT_FALSE(gemini->Refuse(Call({{"model", "m"}, {"seed", 1}, {"reasoning_effort", "none"}})));
  auto refused = gemini->Refuse(Call({{"model", "m"}, {"user", "u"}}));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->body.front(), '[');
  EXPECT_NE(refused->body.find("Unknown name \\\"user\\\""), std::string::npos);
}

TEST(ProviderProfilesTest, AnthropicIgnoresSeedsAndOpenRouterWrapsSomeErrorsIn200) {
  auto anthropic = Rules(Profile::kAnthropic);
  llm::ChatRequest a, b;
  a.seed = b.seed = 5;
  a.temperature = b.temperature = 1.5;
  WireCall first = Call({}), second = Call({});
  second.arrival = 1;
  anthropic->AdjustRequest(first, a);
  anthropic->AdjustRequest(second, b);
  EXPECT_NE(a.seed, b.seed);
  EXPECT_EQ(a.temperature, 1.0);

  auto openrouter = Rules(Profile::kOpenRouter);
  Json normal = Reply("x", 1, 1), wrapped = Reply("x", 1, 1);
  WireCall call = Call({});
  call.arrival = 48;
  openrouter->AdjustReply(call, normal);
  call.arrival = 49;
  openrouter->AdjustReply(call, wrapped);
  EXPECT_TRUE(normal.contains("choices"));
  EXPECT_FALSE(wrapped.contains("choices"));
  EXPECT_EQ(wrapped["error"]["code"], 502);
}

}  // namespace
}  // namespace judgeopt::io
