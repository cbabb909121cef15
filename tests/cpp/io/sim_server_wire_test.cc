#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "judgeopt/io/openai_server_wire.h"
#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::io {
namespace {

using nlohmann::json;

llm::ChatRequest FullRequest() {
  llm::ChatRequest r;
  r.model = "judge-1";
  r.messages = {{"system", "Rate fluency."}, {"user", "Text: \"quoted\" \xc3\xa9\nline 2"}};
  r.temperature = 0.3;
  r.max_tokens = 77;
  r.seed = -5;
  r.response_format_json = R"({"type":"json_object"})";
  r.extra_body_json = R"({"reasoning":{"effort":"none"},"top_p":0.9})";
  return r;
}

TEST(ServerWireTest, RequestBodyRoundTripsThroughTheClientMapping) {
  const llm::ChatRequest original = FullRequest();
  Result<std::string> body = llm::BuildChatBody(original);
  ASSERT_TRUE(body.ok()) << body.error().ToString();
  Result<llm::ChatRequest> parsed = ParseChatRequestBody(*body);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(parsed->model, original.model);
  EXPECT_EQ(parsed->messages, original.messages);
  EXPECT_DOUBLE_EQ(parsed->temperature, original.temperature);
  EXPECT_EQ(parsed->max_tokens, original.max_tokens);
  EXPECT_EQ(parsed->seed, original.seed);
  EXPECT_EQ(json::parse(parsed->response_format_json), json::parse(original.response_format_json));
  EXPECT_EQ(json::parse(parsed->extra_body_json), json::parse(original.extra_body_json));
  EXPECT_EQ(parsed->sample_index, 0);
}

// A repeated sample differs by its seed; the sample index is not sent, and a `user` label (sent
// only through extra_body) is read and dropped: it never changes the reply.
TEST(ServerWireTest, SamplesDifferBySeedAndUserIsDropped) {
  llm::ChatRequest original = FullRequest();
  original.sample_index = 7;
  Result<std::string> body = llm::BuildChatBody(original);
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(json::parse(*body).contains("user"));
  Result<llm::ChatRequest> parsed = ParseChatRequestBody(*body);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(parsed->sample_index, 0);
  EXPECT_EQ(parsed->seed, original.seed);
  auto labelled = ParseChatRequestBody(
      R"({"model":"m","messages":[{"role":"user","content":"x"}],"user":"alice"})");
  auto plain = ParseChatRequestBody(R"({"model":"m","messages":[{"role":"user","content":"x"}]})");
  ASSERT_TRUE(labelled.ok() && plain.ok());
  EXPECT_EQ(labelled->extra_body_json, plain->extra_body_json);
  EXPECT_EQ(labelled->sample_index, 0);
}

TEST(ServerWireTest, ReplyBodyIsReadByTheClientMapping) {
  llm::ChatResponse resp;
  resp.content = "{\"fluency\": 4}";
  resp.finish_reason = "length";
  resp.usage = {120, 8, false};
  const llm::ChatRequest request = FullRequest();
  Result<llm::ChatResponse> read =
      llm::ParseChatResponse(BuildChatReplyBody(resp, request.model, "chatcmpl-1"), request);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->content, resp.content);
  EXPECT_EQ(read->finish_reason, "length");
  EXPECT_EQ(read->model, "judge-1");
  EXPECT_EQ(read->usage.prompt_tokens, 120);
  EXPECT_EQ(read->usage.completion_tokens, 8);
  EXPECT_FALSE(read->usage.estimated);
}

TEST(ServerWireTest, DefaultsAndContentParts) {
  Result<llm::ChatRequest> r = ParseChatRequestBody(R"({
    "model": "m",
    "messages": [{"role": "user", "content": [{"type": "text", "text": "a"},
                                              {"type": "text", "text": "b"}]}],
    "max_completion_tokens": 9, "stream": false, "n": 1})");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->messages[0].content, "ab");
  EXPECT_DOUBLE_EQ(r->temperature, 1.0);
  EXPECT_EQ(r->max_tokens, 9);
  EXPECT_FALSE(r->seed.has_value());
  EXPECT_TRUE(r->extra_body_json.empty());
}

TEST(ServerWireTest, BadRequestsNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"[1, 2]", "JSON object"},
      {R"({"messages": [{"role": "user", "content": "x"}]})", "'model'"},
      {R"({"model": "m", "messages": []})", "'messages'"},
      {R"({"model": "m", "messages": [{"content": "x"}]})", "messages[0]"},
      {R"({"model": "m", "messages": [{"role": "user", "content": "x"}], "seed": "7"})", "'seed'"},
      {R"({"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": true})",
       "stream"},
      {R"({"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"})",
       "'temperature'"},
  };
  for (const auto& [body, needle] : cases) {
    Result<llm::ChatRequest> r = ParseChatRequestBody(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
  }
}

TEST(ServerWireTest, ErrorBodiesAndStatuses) {
  json err = json::parse(BuildErrorBody("slow down", "requests", "rate_limit_exceeded"));
  EXPECT_EQ(err["error"]["message"], "slow down");
  EXPECT_EQ(err["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(HttpStatusFor(ErrorCode::kBadRequest), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAuth), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kTimeout), 504);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
}

}  // namespace
}  // namespace judgeopt::io
