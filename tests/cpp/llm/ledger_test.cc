#include "judgeopt/llm/ledger.h"

#include <gtest/gtest.h>

#include "fakes/cache_fake_client.h"

namespace judgeopt::llm {
namespace {

using testing_util::MakeTestRequest;

ChatResponse Reply(int64_t in, int64_t out, bool hit = false) {
  ChatResponse r;
  r.content = "ok";
  r.usage.prompt_tokens = in;
  r.usage.completion_tokens = out;
  r.cache_hit = hit;
  return r;
}

PriceMap Prices() {
  PriceMap p;
  p["m1"] = ModelPrice{2.0, 8.0};  // $ per 1M input / output tokens
  p["m2"] = ModelPrice{0.5, 1.5};
  return p;
}

TEST(LedgerTest, CostsFollowPricesPerMillionTokens) {
  Ledger ledger(Prices());
  // 1000 * 2/1e6 + 500 * 8/1e6 = 0.002 + 0.004
  EXPECT_DOUBLE_EQ(*ledger.Cost("m1", Usage{1000, 500, false}), 0.006);
  EXPECT_DOUBLE_EQ(*ledger.Cost("m2", Usage{2'000'000, 0, false}), 1.0);
  EXPECT_FALSE(ledger.Cost("unknown", Usage{1, 1, false}).has_value());

  ChatRequest req = MakeTestRequest("x", "m1");
  req.max_tokens = 100;
  const double expected = (ApproxPromptTokens(req) * 2.0 + 100 * 8.0) * 1e-6;
  EXPECT_DOUBLE_EQ(ledger.ProjectedUsd(req), expected);
}

TEST(LedgerTest, BooksPerRoleAndEndpointWithHitsApart) {
  Ledger ledger(Prices());
  ChatRequest judge = MakeTestRequest("a", "m1");
  ChatRequest loss = MakeTestRequest("b", "m2");
  loss.role = Role::kLoss;

  auto book = [&](const ChatRequest& r, std::string_view ep, const Result<ChatResponse>& out) {
    Result<Reservation> res = ledger.Reserve(r, ep);
    ASSERT_TRUE(res.ok());
    (void)ledger.Settle(*res, r, ep, out);
  };
  book(judge, "A", Reply(1000, 500));                    // $0.006
  book(judge, "B", Reply(1000, 500));                    // $0.006
  book(judge, "A", Reply(1000, 500, /*hit=*/true));      // free, saves $0.006
  book(loss, "A", Reply(2000, 2000));                    // 2000*0.5e-6 + 2000*1.5e-6 = $0.004
  book(loss, "A", Error(ErrorCode::kUnavailable, "x"));  // failed call, $0

  LedgerSnapshot s = ledger.Snapshot();
  EXPECT_EQ(s.total.calls, 4);
  EXPECT_EQ(s.total.failed, 1);
  EXPECT_EQ(s.total.cache_hits, 1);
  EXPECT_EQ(s.total.prompt_tokens, 4000);
  EXPECT_EQ(s.total.completion_tokens, 3000);
  EXPECT_NEAR(s.total.usd, 0.016, 1e-12);
  EXPECT_NEAR(s.total.saved_usd, 0.006, 1e-12);
  EXPECT_EQ(s.by_role.at("judge").calls, 2);
  EXPECT_EQ(s.by_role.at("judge").cache_hits, 1);
  EXPECT_EQ(s.by_role.at("loss").calls, 2);
  EXPECT_NEAR(s.by_role.at("loss").usd, 0.004, 1e-12);
  EXPECT_EQ(s.by_endpoint.at({"A", "m1"}).calls, 1);
  EXPECT_EQ(s.by_endpoint.at({"A", "m1"}).cache_hits, 1);
  EXPECT_EQ(s.by_endpoint.at({"B", "m1"}).calls, 1);
  EXPECT_EQ(s.by_endpoint.at({"A", "m2"}).failed, 1);
  EXPECT_TRUE(s.unpriced_models.empty());
}

TEST(LedgerTest, UnknownModelCostsNothingAndIsFlagged) {
  Ledger ledger(Prices());
  ChatRequest r = MakeTestRequest("a", "mystery");
  EXPECT_EQ(ledger.ProjectedUsd(r), 0.0);
  Result<Reservation> res = ledger.Reserve(r, "local");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(ledger.Settle(*res, r, "local", Reply(100, 100)), 0.0);
  LedgerSnapshot s = ledger.Snapshot();
  EXPECT_EQ(s.total.calls, 1);
  EXPECT_EQ(s.total.usd, 0.0);
  EXPECT_EQ(s.unpriced_models, std::set<std::string>{"mystery"});
  EXPECT_NE(ledger.RenderTable().find("no price configured for: mystery"), std::string::npos);
}

TEST(LedgerTest, UnderestimatedCallsRaiseLaterProjections) {
  Ledger ledger(Prices());
  ChatRequest r = MakeTestRequest("a", "m1");
  r.max_tokens = 10;
  const double before = ledger.ProjectedUsd(r);
  const int64_t prompt_estimate = ApproxPromptTokens(r);
  Result<Reservation> res = ledger.Reserve(r, "A");
  ASSERT_TRUE(res.ok());
  // The server counted three times the estimated prompt tokens and the full max_tokens.
  (void)ledger.Settle(*res, r, "A", Reply(3 * prompt_estimate, 10));
  const double actual = (3 * prompt_estimate * 2.0 + 10 * 8.0) * 1e-6;
  EXPECT_NEAR(ledger.ProjectedUsd(r), actual, 1e-15);
  EXPECT_GT(ledger.ProjectedUsd(r), before);
}

TEST(LedgerTest, RenderTableListsRolesTotalsAndBudget) {
  Ledger ledger(Prices(), Budget{1.5, 100});
  ChatRequest r = MakeTestRequest("a", "m1");
  r.role = Role::kGradient;
  Result<Reservation> res = ledger.Reserve(r, "openai https://example.test/v1");
  ASSERT_TRUE(res.ok());
  (void)ledger.Settle(*res, r, "openai https://example.test/v1", Reply(1000, 500));
  const std::string table = ledger.RenderTable();
  for (const char* needle :
       {"gradient", "total", "cache hits", "openai https://example.test/v1 / m1", "0.0060",
        "max_usd $1.5000", "1 calls of max_calls 100"}) {
    EXPECT_NE(table.find(needle), std::string::npos) << needle << "\n" << table;
  }
}

}  // namespace
}  // namespace judgeopt::llm
