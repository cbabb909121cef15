#include "judgeopt/llm/openai_wire.h"

#include <utility>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace judgeopt::llm {
namespace {

using nlohmann::json;

ChatRequest SampleRequest() {
  ChatRequest r;
  r.model = "gpt-test";
  r.messages = {{"system", "Be terse."}, {"user", "Rate \"this\"\non 1-5."}};
  r.temperature = 0.25;
  r.max_tokens = 64;
  return r;
}

TEST(ChatBodyTest, MinimalBodyHasTheStandardFieldsInOrder) {
  ChatRequest r;
  r.model = "m";
  r.messages = {{"user", "hi"}};
  r.temperature = 0.5;
  r.max_tokens = 16;
  auto body = BuildChatBody(r);
  ASSERT_TRUE(body.ok()) << body.error().ToString();
  EXPECT_EQ(*body, R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.5,)"
                   R"("max_tokens":16})");
}

TEST(ChatBodyTest, SeedResponseFormatAndExtraBodyAreSent) {
  ChatRequest r = SampleRequest();
  r.seed = 7;
  r.sample_index = 3;  // not sent: a repeated sample differs by its seed
  r.tag = "step1/judge";
  r.response_format_json = R"({"type":"json_object"})";
  r.extra_body_json = R"({"thinking":{"type":"disabled"},"top_p":0.9})";
  auto body = BuildChatBody(r);
  ASSERT_TRUE(body.ok()) << body.error().ToString();
  json expected = json::parse(R"({
    "model": "gpt-test",
    "messages": [{"role": "system", "content": "Be terse."},
                 {"role": "user", "content": "Rate \"this\"\non 1-5."}],
    "temperature": 0.25,
    "max_tokens": 64,
    "seed": 7,
    "response_format": {"type": "json_object"},
    "thinking": {"type": "disabled"},
    "top_p": 0.9
  })");
  EXPECT_EQ(json::parse(*body), expected);
}

TEST(ChatBodyTest, ExtraBodyOverridesAStandardKey) {
  ChatRequest r = SampleRequest();
  r.extra_body_json = R"({"max_tokens":null,"max_completion_tokens":64})";
  auto body = BuildChatBody(r);
  ASSERT_TRUE(body.ok());
  json doc = json::parse(*body);
  EXPECT_FALSE(doc.contains("max_tokens")) << "null removes a key";
  EXPECT_EQ(doc["max_completion_tokens"], 64);
}

TEST(ChatBodyTest, ShapingPicksTheTokenKeyOmitsTemperatureAndSendsReasoningEffort) {
  ChatRequest r = SampleRequest();
  r.max_completion_tokens = true;
  r.omit_temperature = true;
  r.reasoning_effort = "minimal";
  auto body = BuildChatBody(r);
  ASSERT_TRUE(body.ok());
  json doc = json::parse(*body);
  EXPECT_FALSE(doc.contains("max_tokens"));
  EXPECT_EQ(doc["max_completion_tokens"], r.max_tokens);
  EXPECT_FALSE(doc.contains("temperature"));
  EXPECT_EQ(doc["reasoning_effort"], "minimal");
  ChatRequest plain = SampleRequest();
  json doc2 = json::parse(*BuildChatBody(plain));
  EXPECT_TRUE(doc2.contains("max_tokens"));
  EXPECT_TRUE(doc2.contains("temperature"));
  EXPECT_FALSE(doc2.contains("reasoning_effort"));
}

TEST(ChatBodyTest, NonObjectExtraBodyOrResponseFormatIsRejected) {
  ChatRequest r = SampleRequest();
  r.extra_body_json = "[1,2]";
  auto body = BuildChatBody(r);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(body.error().message.find("extra_body"), std::string::npos);
  r.extra_body_json.clear();
  r.response_format_json = "{not json";
  body = BuildChatBody(r);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().message.find("response_format"), std::string::npos);
}

TEST(ChatReplyTest, ParsesAStandardReply) {
  const char* reply = R"({
    "id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288,
    "model": "gpt-4o-mini-2024-07-18",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there"},
                 "logprobs": null, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21}})";
  auto r = ParseChatResponse(reply, SampleRequest());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->content, "Hello there");
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_EQ(r->model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(r->usage.prompt_tokens, 9);
  EXPECT_EQ(r->usage.completion_tokens, 12);
  EXPECT_FALSE(r->usage.estimated);
}

TEST(ChatReplyTest, MissingUsageIsApproximatedAndFlagged) {
  ChatRequest req;
  req.model = "local";
  req.messages = {{"user", "0123456789ab"}};  // 12 bytes
  auto r = ParseChatResponse(
      R"({"choices":[{"message":{"role":"assistant","content":"abcdefgh"},)"
      R"("finish_reason":"length"}]})",
      req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->usage.estimated);
  EXPECT_EQ(r->usage.completion_tokens, 2);  // 8 bytes / 4
  EXPECT_EQ(r->usage.prompt_tokens, ApproxPromptTokens(req));
  EXPECT_GE(r->usage.prompt_tokens, 3);  // at least the 12 bytes / 4
  EXPECT_EQ(r->finish_reason, "length");
  EXPECT_EQ(r->model, "local");  // no model in the reply: the requested one
}

TEST(ChatReplyTest, ContentPartsAreConcatenated) {
  auto r = ParseChatResponse(
      R"({"choices":[{"message":{"content":[{"type":"text","text":"4"},)"
      R"({"type":"text","text":"/5"}]}}]})",
      SampleRequest());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->content, "4/5");
}

TEST(ChatReplyTest, BrokenRepliesAreRetryableErrors) {
  const char* cases[] = {
      R"({"choices":[]})",
      R"({"error":{"message":"upstream overloaded"}})",
      R"({"choices":[{"message":{"content":"trunc)",
      "<html>Bad gateway</html>",
      R"({"choices":[{"text":"legacy completion"}]})",
  };
  for (const char* body : cases) {
    auto r = ParseChatResponse(body, SampleRequest());
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_TRUE(r.error().retryable()) << body << " -> " << r.error().ToString();
  }
}

// Empty or null content is the model's answer, handed to the caller (which re-asks or falls
// back), not a fault to resend: a seeded server would send the same reply again.
TEST(ParseChatResponseTest, EmptyOrNullContentIsAReplyWithItsFinishReason) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"stop"}]})",
       "stop"},
      {R"({"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]})",
       "length"},
      {R"({"choices":[{"message":{"role":"assistant"},"finish_reason":"content_filter"}]})",
       "content_filter"},
  };
  for (const auto& [body, finish] : cases) {
    auto r = ParseChatResponse(body, SampleRequest());
    ASSERT_TRUE(r.ok()) << body << " -> " << r.error().ToString();
    EXPECT_EQ(r->content, "") << body;
    EXPECT_EQ(r->finish_reason, finish) << body;
  }
}

TEST(ChatUrlTest, BaseUrlFormsNormalizeToChatCompletions) {
  for (const char* base :
       {"http://127.0.0.1:8000", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1",
        "http://127.0.0.1:8000/v1/", "  http://127.0.0.1:8000/v1/  ",
        "http://127.0.0.1:8000/v1/chat/completions"}) {
    auto url = ChatCompletionsUrl(base);
    ASSERT_TRUE(url.ok()) << base << ": " << url.error().ToString();
    EXPECT_EQ(*url, "http://127.0.0.1:8000/v1/chat/completions") << base;
  }
}

TEST(ChatUrlTest, VendorPathsAreKept) {
  EXPECT_EQ(*ChatCompletionsUrl("https://openrouter.ai/api/v1"),
            "https://openrouter.ai/api/v1/chat/completions");
  EXPECT_EQ(*ChatCompletionsUrl("https://api.deepseek.com"),
            "https://api.deepseek.com/v1/chat/completions");
  EXPECT_EQ(*ChatCompletionsUrl("https://example.com/v1beta/openai/"),
            "https://example.com/v1beta/openai/chat/completions");
}

TEST(ChatUrlTest, BadBaseUrlsAreRejected) {
  for (const char* base : {"", "localhost:8000", "ftp://h/v1", "http://", "http:///v1",
                           "http://h/v1?key=1", "http://:80/v1"}) {
    auto url = ChatCompletionsUrl(base);
    ASSERT_FALSE(url.ok()) << base;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument) << base;
  }
}

TEST(HttpErrorTest, StatusesMapToTypedErrors) {
  struct Case {
    int status;
    ErrorCode code;
    bool retryable;
  };
  const Case cases[] = {
      {400, ErrorCode::kBadRequest, false}, {404, ErrorCode::kBadRequest, false},
      {422, ErrorCode::kBadRequest, false}, {401, ErrorCode::kAuth, false},
      {403, ErrorCode::kAuth, false},       {408, ErrorCode::kTimeout, true},
      {409, ErrorCode::kUnavailable, true}, {429, ErrorCode::kRateLimited, true},
      {500, ErrorCode::kUnavailable, true}, {502, ErrorCode::kUnavailable, true},
      {503, ErrorCode::kUnavailable, true}, {504, ErrorCode::kUnavailable, true},
      {405, ErrorCode::kBadRequest, false}, {413, ErrorCode::kBadRequest, false},
      {302, ErrorCode::kBadRequest, false},
  };
  EndpointIdentity who{"http://h:1/v1", "OPENAI_API_KEY", false, ""};
  for (const Case& c : cases) {
    HttpResponse reply{c.status, {}, R"({"error":{"message":"because"}})"};
    Error e = HttpError(reply, who);
    EXPECT_EQ(e.code, c.code) << c.status;
    EXPECT_EQ(e.retryable(), c.retryable) << c.status;
    EXPECT_EQ(e.http_status, c.status);
    EXPECT_NE(e.message.find(std::to_string(c.status)), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("because"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("http://h:1/v1"), std::string::npos) << e.message;
  }
}

TEST(HttpErrorTest, RetryAfterIsCaptured) {
  EndpointIdentity who{"http://h:1/v1", "K", false, ""};
  Error e = HttpError({429, {{"retry-after", "7"}}, "slow down"}, who);
  ASSERT_TRUE(e.retry_after_s.has_value());
  EXPECT_DOUBLE_EQ(*e.retry_after_s, 7.0);
  EXPECT_NE(e.message.find("slow down"), std::string::npos);
  e = HttpError({503, {{"retry-after-ms", "1500"}, {"retry-after", "2"}}, ""}, who);
  ASSERT_TRUE(e.retry_after_s.has_value());
  EXPECT_DOUBLE_EQ(*e.retry_after_s, 1.5);
  e = HttpError({500, {}, ""}, who);
  EXPECT_FALSE(e.retry_after_s.has_value());
}

TEST(HttpErrorTest, ServerMessageShapesAreRead) {
  EndpointIdentity who{"http://h:1/v1", "K", false, ""};
  EXPECT_NE(HttpError({400, {}, R"({"error":"plain string"})"}, who).message.find("plain string"),
            std::string::npos);
  EXPECT_NE(HttpError({400, {}, R"({"object":"error","message":"vllm says"})"}, who)
                .message.find("vllm says"),
            std::string::npos);
  EXPECT_NE(
      HttpError({422, {}, R"({"detail":"field required"})"}, who).message.find("field required"),
      std::string::npos);
  std::string huge(5000, 'x');
  EXPECT_LT(HttpError({500, {}, huge}, who).message.size(), 500u);
}

// What HttpError reports as the server's message for `body` (the text after "server says: ").
std::string SaidBy(std::string_view body, int status = 400) {
  EndpointIdentity who{"http://h:1/v1", "K", false, ""};
  const std::string message = HttpError({status, {}, std::string(body)}, who).message;
  const std::size_t at = message.find("server says: ");
  return at == std::string::npos ? "<none>" : message.substr(at + 13);
}

TEST(HttpErrorTest, EveryProviderErrorShapeIsUnwrappedToItsMessage) {
  EXPECT_EQ(SaidBy(R"({"error":{"message":"Unsupported parameter: 'max_tokens'","type":"x"}})"),
            "Unsupported parameter: 'max_tokens'");
  EXPECT_EQ(SaidBy(R"({"error":"plain string"})"), "plain string");
  EXPECT_EQ(SaidBy(R"({"object":"error","message":"vllm says"})"), "vllm says");
  EXPECT_EQ(SaidBy(R"({"detail":"field required"})", 422), "field required");
  EXPECT_EQ(SaidBy(R"({"detail":[{"loc":["body"],"msg":"value is not valid"}]})", 422),
            "value is not valid");
  // Gemini's OpenAI-compatible endpoint: an array of error objects.
  const std::string gemini = R"([{"error": {"code": 400, "message": "Invalid JSON payload )"
                             R"(received. Unknown name \"max_tokens\"", "status": )"
                             R"("INVALID_ARGUMENT", "details": [{"@type": ")" +
                             std::string(400, 'd') + R"("}]}}])";
  EXPECT_EQ(SaidBy(gemini), R"(Invalid JSON payload received. Unknown name "max_tokens")");
  EXPECT_EQ(SaidBy(R"([{"code":1},{"message":"second element says"}])"), "second element says");
  // An error object whose message is nested one level deeper.
  EXPECT_EQ(SaidBy(R"({"error":{"error":{"message":"deep"}}})"), "deep");
  EXPECT_EQ(SaidBy("Bad Request\n  upstream said no"), "Bad Request   upstream said no");
  EXPECT_EQ(SaidBy("[]"), "[]");
}

TEST(HttpErrorTest, ExhaustedQuotaIsNotRetryable) {
  EndpointIdentity who{"http://h:1/v1", "K", false, ""};
  Error e = HttpError(
      {429, {}, R"({"error":{"message":"You exceeded your quota","type":"insufficient_quota"}})"},
      who);
  EXPECT_FALSE(e.retryable());
  EXPECT_NE(e.message.find("quota"), std::string::npos);
}

TEST(HttpErrorTest, AuthErrorNamesUrlAndVariableButRedactsTheKey) {
  const std::string key = "sk-live-abcdefghijklmnop";
  EndpointIdentity who{"https://api.example.com/v1", "MY_KEY_VAR", true, key};
  Error e = HttpError(
      {401, {}, R"({"error":{"message":"Incorrect API key provided: sk-live-abcdefghijklmnop."}})"},
      who);
  EXPECT_EQ(e.code, ErrorCode::kAuth);
  EXPECT_NE(e.message.find("https://api.example.com/v1"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("MY_KEY_VAR"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("abcdefghijklmnop"), std::string::npos) << e.message;
}

TEST(RedactTest, SecretsAndKeyLikeWordsAreRemoved) {
  EXPECT_EQ(RedactSecrets("key=hunter22 here", "hunter22"), "key=[redacted] here");
  EXPECT_EQ(RedactSecrets("got sk-abc123, bad", ""), "got [redacted], bad");
  EXPECT_EQ(RedactSecrets("task-sk-1 stays", ""), "task-sk-1 stays");
  EXPECT_EQ(RedactSecrets("abc", "abc"), "abc");  // too short to be a key
}

TEST(DurationTest, ServerResetFormatsParse) {
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("1s"), 1.0);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("6m0s"), 360.0);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("20ms"), 0.02);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("1h2m3.5s"), 3723.5);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("250us"), 0.00025);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("2"), 2.0);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds(" 0.5 "), 0.5);
  for (const char* bad : {"", "s", "abc", "5x", "1s2", "-1s", "1..5s"}) {
    EXPECT_FALSE(ParseDurationSeconds(bad).has_value()) << bad;
  }
}

TEST(DurationTest, RetryAfterHeaders) {
  EXPECT_DOUBLE_EQ(*RetryAfterSeconds({{"retry-after", "3"}}), 3.0);
  EXPECT_DOUBLE_EQ(*RetryAfterSeconds({{"retry-after", "0.25"}}), 0.25);
  EXPECT_DOUBLE_EQ(*RetryAfterSeconds({{"retry-after-ms", "250"}}), 0.25);
  EXPECT_FALSE(RetryAfterSeconds({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}).has_value());
  EXPECT_FALSE(RetryAfterSeconds({}).has_value());
}

}  // namespace
}  // namespace judgeopt::llm
