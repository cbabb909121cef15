#include "judgeopt/llm/reply_check.h"

#include <gtest/gtest.h>

namespace judgeopt::llm {
namespace {

ChatResponse Reply(std::string content, std::string finish_reason) {
  ChatResponse r;
  r.content = std::move(content);
  r.finish_reason = std::move(finish_reason);
  r.model = "served-model";
  return r;
}

ChatRequest Request(Role role, int max_tokens) {
  ChatRequest r;
  r.role = role;
  r.model = "asked-model";
  r.max_tokens = max_tokens;
  r.tag = "step2/gradient/fluency/s0";
  return r;
}

TEST(ReplyCheckTest, OutcomeFollowsContentThenFinishReason) {
  EXPECT_EQ(OutcomeOf(Reply("{\"a\": 1}", "stop")), ReplyOutcome::kComplete);
  EXPECT_EQ(OutcomeOf(Reply("text", "")), ReplyOutcome::kComplete);
  EXPECT_EQ(OutcomeOf(Reply("text", "tool_calls")), ReplyOutcome::kComplete);
  EXPECT_EQ(OutcomeOf(Reply("", "stop")), ReplyOutcome::kEmpty);
  EXPECT_EQ(OutcomeOf(Reply(" \n\t", "length")), ReplyOutcome::kEmpty) << "empty wins";
  EXPECT_EQ(OutcomeOf(Reply("{\"a\": ", "length")), ReplyOutcome::kCutOff);
  EXPECT_EQ(OutcomeOf(Reply("partial", "content_filter")), ReplyOutcome::kFiltered);
  EXPECT_TRUE(IsComplete(Reply("x", "stop")));
  EXPECT_FALSE(IsComplete(Reply("x", "length")));
  EXPECT_TRUE(IsCutShort(Reply("x", "length")));
  EXPECT_TRUE(IsCutShort(Reply("x", "content_filter")));
  EXPECT_FALSE(IsCutShort(Reply("", "length")));
  EXPECT_FALSE(IsCutShort(Reply("x", "stop")));
}

TEST(ReplyCheckTest, ACutOffReplyNamesRoleModelMaxTokensAndTheSetting) {
  const std::string problem =
      ReplyProblem(Request(Role::kGradient, 8192), Reply("The instruction should", "length"));
  for (const char* part : {"gradient", "served-model", "max_tokens = 8192", "[llm.gradient]"}) {
    EXPECT_NE(problem.find(part), std::string::npos) << part << " in: " << problem;
  }
  EXPECT_EQ(ReplyProblem(Request(Role::kJudge, 256), Reply("ok", "stop")), "");
  ChatResponse unnamed = Reply("", "stop");
  unnamed.model.clear();
  EXPECT_NE(ReplyProblem(Request(Role::kLoss, 1), unnamed).find("asked-model"), std::string::npos);
  EXPECT_NE(ReplyProblem(Request(Role::kLoss, 1), Reply("x", "content_filter"))
                .find("content filter"),
            std::string::npos);
}

TEST(ReplyCheckTest, CompleteTextGivesTheTextOnlyWhenComplete) {
  const ChatRequest request = Request(Role::kDiagnostic, 16);
  EXPECT_EQ(CompleteText(request, Reply("7", "stop")), "7");
  EXPECT_EQ(CompleteText(request, Reply("Score: 7 because the", "length")), "");
  EXPECT_EQ(CompleteText(request, Reply("", "stop")), "");
}

TEST(ReplyCheckTest, TheModelIsToldWhatWentWrongWithoutSettingsAdvice) {
  EXPECT_EQ(ProblemForModel(ReplyOutcome::kComplete), "");
  EXPECT_EQ(ProblemForModel(ReplyOutcome::kEmpty), "empty reply");
  EXPECT_NE(ProblemForModel(ReplyOutcome::kCutOff).find("cut off"), std::string::npos);
  EXPECT_EQ(ProblemForModel(ReplyOutcome::kCutOff).find("max_tokens"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::llm
