#include <gtest/gtest.h>

#include "fakes/cache_fake_client.h"
#include "judgeopt/llm/cache.h"

namespace judgeopt::llm {
namespace {

using testing_util::CountingClient;
using testing_util::MakeTestRequest;

TEST(ReplayClientTest, AnswersRecordedRequestsAndNamesTheHashOfAMiss) {
  auto cache = std::make_shared<MemoryResponseCache>();
  CachingClient recorder(std::make_unique<CountingClient>(), cache, {"openai", false});
  ChatRequest recorded = MakeTestRequest("seen before");
  ASSERT_TRUE(recorder.Complete(recorded).ok());

  ReplayClient replay(cache, "openai");
  Result<ChatResponse> hit = replay.Complete(recorded);
  ASSERT_TRUE(hit.ok()) << hit.error().ToString();
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_EQ(hit->content, "echo:seen before#0");

  ChatRequest unseen = MakeTestRequest("never sent");
  unseen.tag = "step2/judge/ex17";
  Result<ChatResponse> miss = replay.Complete(unseen);
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.error().code, ErrorCode::kNotFound);
  EXPECT_NE(miss.error().message.find(RequestKey(unseen, "openai")), std::string::npos)
      << miss.error().message;
  EXPECT_NE(miss.error().message.find("step2/judge/ex17"), std::string::npos);
}

TEST(ReplayClientTest, EndpointKindIsPartOfTheLookup) {
  auto cache = std::make_shared<MemoryResponseCache>();
  CachingClient recorder(std::make_unique<CountingClient>(), cache, {"sim", false});
  ASSERT_TRUE(recorder.Complete(MakeTestRequest("q")).ok());
  EXPECT_TRUE(ReplayClient(cache, "sim").Complete(MakeTestRequest("q")).ok());
  EXPECT_FALSE(ReplayClient(cache, "openai").Complete(MakeTestRequest("q")).ok());
}

}  // namespace
}  // namespace judgeopt::llm
