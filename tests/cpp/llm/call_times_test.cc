#include "judgeopt/llm/call_times.h"

#include <gtest/gtest.h>

#include <deque>

namespace judgeopt::llm {
namespace {

/// Answers each call with the next scripted result. Not thread-safe (the tests are serial).
class QueueClient final : public LlmClient {
 public:
  explicit QueueClient(std::deque<Result<ChatResponse>> replies) : replies_(std::move(replies)) {}
  Result<ChatResponse> Complete(const ChatRequest&) override {
    Result<ChatResponse> next = replies_.front();
    replies_.pop_front();
    return next;
  }

 private:
  std::deque<Result<ChatResponse>> replies_;
};

ChatResponse Answered(double call_ms, bool cache_hit = false) {
  ChatResponse r;
  r.call_ms = call_ms;
  r.cache_hit = cache_hit;
  return r;
}

TEST(CallTimesClientTest, RecordsModelAnsweredCallsSorted) {
  QueueClient inner({Answered(1100.0), Answered(50.0), Answered(0.0, /*cache_hit=*/true),
                     Error(ErrorCode::kRateLimited, "gave up"), Answered(60.0)});
  CallTimesClient timed(inner);
  for (int i = 0; i < 5; ++i) (void)timed.Complete(ChatRequest{});
  EXPECT_EQ(timed.SortedMs(), (std::vector<double>{50.0, 60.0, 1100.0}));
}

TEST(CallTimesClientTest, PassesRepliesAndErrorsThrough) {
  QueueClient inner({Answered(5.0), Error(ErrorCode::kAuth, "bad key")});
  CallTimesClient timed(inner);
  auto ok = timed.Complete(ChatRequest{});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->call_ms, 5.0);
  auto failed = timed.Complete(ChatRequest{});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kAuth);
}

}  // namespace
}  // namespace judgeopt::llm
