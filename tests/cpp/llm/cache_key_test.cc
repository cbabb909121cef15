#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "fakes/cache_fake_client.h"
#include "judgeopt/base/sha256.h"
#include "judgeopt/llm/cache.h"

namespace judgeopt::llm {
namespace {

using testing_util::MakeTestRequest;

TEST(CacheKeyTest, CanonicalTextFollowsTheDocumentedLayout) {
  ChatRequest r;
  r.model = "gpt-x";
  r.messages = {{"user", "hi"}};
  r.temperature = 0.5;
  r.max_tokens = 16;
  r.seed = 7;
  r.sample_index = 2;
  r.extra_body_json = R"({ "b": 1, "a": {"y": 2, "x": 1} })";
  // Written by hand from docs/cache.md: "<field> <byte length>:<value>\n" per field.
  const std::string expected =
      "judgeopt-request-key v1\n"
      "endpoint_kind 6:openai\n"
      "model 5:gpt-x\n"
      "temperature 3:0.5\n"
      "max_tokens 2:16\n"
      "seed 1:7\n"
      "sample_index 1:2\n"
      "response_format 0:\n"
      "extra_body 30:json:{\"a\":{\"x\":1,\"y\":2},\"b\":1}\n"
      "messages 1:1\n"
      "role 4:user\n"
      "content 2:hi\n";
  EXPECT_EQ(CanonicalRequestText(r, "openai"), expected);
  EXPECT_EQ(RequestKey(r, "openai"), Sha256Hex(expected));
  EXPECT_EQ(RequestKey(r, "openai").size(), 64u);
}

TEST(CacheKeyTest, EverySamplingFieldChangesTheKey) {
  const ChatRequest base = MakeTestRequest("the text");
  std::vector<std::pair<std::string, std::function<void(ChatRequest&)>>> edits = {
      {"model", [](ChatRequest& r) { r.model = "m2"; }},
      {"temperature", [](ChatRequest& r) { r.temperature = 0.7; }},
      {"tiny temperature", [](ChatRequest& r) { r.temperature = 1e-12; }},
      {"max_tokens", [](ChatRequest& r) { r.max_tokens = 65; }},
      {"seed 0", [](ChatRequest& r) { r.seed = 0; }},
      {"seed 1", [](ChatRequest& r) { r.seed = 1; }},
      {"sample_index", [](ChatRequest& r) { r.sample_index = 1; }},
      {"response_format",
       [](ChatRequest& r) { r.response_format_json = R"({"type":"json_object"})"; }},
      {"extra_body",
       [](ChatRequest& r) { r.extra_body_json = R"({"reasoning":{"effort":"low"}})"; }},
      {"token param", [](ChatRequest& r) { r.max_completion_tokens = true; }},
      {"no temperature", [](ChatRequest& r) { r.omit_temperature = true; }},
      {"reasoning effort", [](ChatRequest& r) { r.reasoning_effort = "low"; }},
      {"message content", [](ChatRequest& r) { r.messages[1].content = "the text!"; }},
      {"message role", [](ChatRequest& r) { r.messages[1].role = "assistant"; }},
      {"message order", [](ChatRequest& r) { std::swap(r.messages[0], r.messages[1]); }},
      {"extra message",
       [](ChatRequest& r) {
         r.messages.push_back({"user", ""});
       }},
      {"split boundary",
       [](ChatRequest& r) {
         r.messages[0].content += "the";
         r.messages[1].content = " text";
       }},
  };
  std::set<std::string> keys = {RequestKey(base, "openai"), RequestKey(base, "sim")};
  EXPECT_EQ(keys.size(), 2u) << "endpoint kind must change the key";
  for (const auto& [name, edit] : edits) {
    ChatRequest changed = base;
    edit(changed);
    EXPECT_TRUE(keys.insert(RequestKey(changed, "openai")).second)
        << name << " did not change the key";
  }
}

TEST(CacheKeyTest, RoleTagAndJsonFormattingDoNotChangeTheKey) {
  ChatRequest a = MakeTestRequest("x");
  a.extra_body_json = R"({"a":1,"b":[1,2]})";
  ChatRequest b = a;
  b.role = Role::kOptimizer;
  b.tag = "step3/optimizer";
  b.extra_body_json = "{\n  \"b\": [1, 2],\n  \"a\": 1\n}";
  b.temperature = -0.0;
  EXPECT_EQ(RequestKey(a, "openai"), RequestKey(b, "openai"));
}

TEST(CacheKeyTest, NonJsonExtraBodyIsKeyedVerbatim) {
  ChatRequest a = MakeTestRequest("x");
  ChatRequest b = a;
  a.extra_body_json = "not json";
  b.extra_body_json = "not  json";
  EXPECT_NE(RequestKey(a, "openai"), RequestKey(b, "openai"));
}

TEST(CacheKeyTest, SummaryCarriesLabelsButNotThePrompt) {
  ChatRequest r = MakeTestRequest("abc");
  r.role = Role::kGradient;
  r.tag = "t1";
  CachedRequestSummary s = SummarizeRequest(r, "sim");
  EXPECT_EQ(s.endpoint_kind, "sim");
  EXPECT_EQ(s.model, "m1");
  EXPECT_EQ(s.role, "gradient");
  EXPECT_EQ(s.tag, "t1");
  EXPECT_EQ(s.prompt_bytes, static_cast<int64_t>(r.messages[0].content.size() + 3));
}

}  // namespace
}  // namespace judgeopt::llm
