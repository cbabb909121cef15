// Prices (issue 16): the built-in table, how names find an entry, `[llm.prices]` overriding it,
// and LlmConfig::CostUsd billing cached input at its own price and reasoning tokens as output.

#include "judgeopt/llm/price_table.h"

#include <gtest/gtest.h>

#include <set>

#include "judgeopt/llm/ledger.h"
#include "judgeopt/llm/llm_config.h"

namespace judgeopt::llm {
namespace {

Result<LlmConfig> ParsePrices(std::string_view toml) {
  auto tree = config::ParseToml(toml, "llm.toml");
  if (!tree.ok()) return tree.error();
  return ParseLlmConfig(*tree, "llm.toml", [](const std::string&) { return std::nullopt; });
}

Usage MakeUsage(int64_t prompt, int64_t cached, int64_t completion, int64_t reasoning,
                int64_t total) {
  Usage u;
  u.prompt_tokens = prompt;
  u.cached_tokens = cached;
  u.completion_tokens = completion;
  u.reasoning_tokens = reasoning;
  u.total_tokens = total;
  return u;
}

TEST(PriceTableTest, EveryEntryIsUniqueAndSane) {
  std::set<std::string_view> names;
  for (const BuiltInPrice& e : BuiltInPrices()) {
    EXPECT_TRUE(names.insert(e.model).second) << e.model;
    EXPECT_GT(e.price.input_usd_per_mtok, 0) << e.model;
    EXPECT_GE(e.price.output_usd_per_mtok, e.price.input_usd_per_mtok) << e.model;
    if (e.price.cached_input_usd_per_mtok) {
      EXPECT_LT(*e.price.cached_input_usd_per_mtok, e.price.input_usd_per_mtok) << e.model;
    }
  }
  for (const char* model : {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini",
                            "gpt-5", "gpt-5-mini", "gpt-5-nano", "claude-sonnet-4-5",
                            "claude-sonnet-4-20250514", "gemini-2.5-flash", "gemini-2.5-pro",
                            "deepseek-chat", "deepseek-reasoner"}) {
    EXPECT_TRUE(names.count(model)) << model;
  }
}

TEST(PriceTableTest, NamesMatchExactlyOrWithoutAKnownVendorPrefix) {
  const PriceMap none;
  auto mini = LookupPrice(none, "gpt-5-mini");
  ASSERT_TRUE(mini.has_value());
  EXPECT_DOUBLE_EQ(mini->input_usd_per_mtok, 0.25);
  EXPECT_DOUBLE_EQ(mini->output_usd_per_mtok, 2.00);
  EXPECT_DOUBLE_EQ(mini->cached_input_usd_per_mtok.value_or(-1), 0.025);
  EXPECT_EQ(LookupPrice(none, "openai/gpt-5-mini"), mini);
  EXPECT_EQ(LookupPrice(none, "google/gemini-2.5-flash"), LookupPrice(none, "gemini-2.5-flash"));
  EXPECT_EQ(LookupPrice(none, "models/gemini-2.5-flash"), LookupPrice(none, "gemini-2.5-flash"));
  // No fuzzy matching: an unknown snapshot, another vendor's path or a case change is unpriced.
  EXPECT_FALSE(LookupPrice(none, "gpt-5-mini-2025-08-07").has_value());
  EXPECT_FALSE(LookupPrice(none, "together/gpt-5-mini").has_value());
  EXPECT_FALSE(LookupPrice(none, "GPT-5-MINI").has_value());
  EXPECT_FALSE(LookupPrice(none, "openai/").has_value());
  // A snapshot with its own entry keeps its own price.
  EXPECT_DOUBLE_EQ(LookupPrice(none, "gpt-4o-2024-05-13")->input_usd_per_mtok, 5.00);
  EXPECT_DOUBLE_EQ(LookupPrice(none, "gpt-4o")->input_usd_per_mtok, 2.50);
}

TEST(PriceTableTest, ConfiguredPricesOverrideTheTable) {
  auto c = ParsePrices(R"(
[prices.gpt-5-mini]
input_usd_per_mtok = 1.0
output_usd_per_mtok = 4.0
[prices.my-model]
input_usd_per_mtok = 0.5
output_usd_per_mtok = 1.5
cached_input_usd_per_mtok = 0.05
)");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->PriceFor("gpt-5-mini"), (ModelPrice{1.0, 4.0, std::nullopt}));
  EXPECT_EQ(c->PriceFor("openai/gpt-5-mini"), (ModelPrice{1.0, 4.0, std::nullopt}));
  EXPECT_EQ(c->PriceFor("my-model"), (ModelPrice{0.5, 1.5, 0.05}));
  EXPECT_DOUBLE_EQ(c->PriceFor("gpt-5")->input_usd_per_mtok, 1.25);  // the table fills the rest
  // The override has no cached price: cached input is billed at its input price.
  EXPECT_DOUBLE_EQ(c->CostUsd("gpt-5-mini", MakeUsage(1'000'000, 600'000, 0, 0, 1'000'000)), 1.0);
  // The cached price round-trips through the resolved tree.
  auto again = ParseLlmConfig(LlmConfigToJson(*c), "resolved");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->prices, c->prices);
}

TEST(PriceTableTest, ABadCachedPriceNamesTheKey) {
  for (const char* bad : {"cached_input_usd_per_mtok = -1", "cached_input_usd_per_mtok = \"x\""}) {
    auto c = ParsePrices(
        std::string("[prices.m]\ninput_usd_per_mtok = 1\noutput_usd_per_mtok = 2\n") + bad + "\n");
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("cached_input_usd_per_mtok"), std::string::npos)
        << c.error().message;
  }
}

TEST(CostTest, CachedInputAtItsPriceAndReasoningInsideCompletionBilledOnce) {
  const LlmConfig config;  // gpt-5-mini from the table: 0.25 in, 0.025 cached, 2.00 out
  // OpenAI's shape: 300 completion tokens of which 256 reasoning; total = prompt + completion.
  const Usage u = MakeUsage(1'200'000, 1'000'000, 300'000, 256'000, 1'500'000);
  EXPECT_DOUBLE_EQ(config.CostUsd("gpt-5-mini", u), 0.2 * 0.25 + 1.0 * 0.025 + 0.3 * 2.00);
}

TEST(CostTest, ReasoningOutsideCompletionIsAddedToTheOutput) {
  const LlmConfig config;
  // total = prompt + completion + reasoning: the server counted reasoning apart.
  const Usage u = MakeUsage(1'000'000, 0, 100'000, 400'000, 1'500'000);
  EXPECT_DOUBLE_EQ(config.CostUsd("gpt-5-mini", u), 1.0 * 0.25 + 0.5 * 2.00);
  // Any other total keeps OpenAI's documented rule (reasoning already in completion).
  const Usage v = MakeUsage(1'000'000, 0, 100'000, 400'000, 1'100'000);
  EXPECT_DOUBLE_EQ(config.CostUsd("gpt-5-mini", v), 1.0 * 0.25 + 0.1 * 2.00);
}

TEST(CostTest, CachedTokensAreClampedToThePrompt) {
  const LlmConfig config;
  const Usage u = MakeUsage(1'000'000, 5'000'000, 0, 0, 1'000'000);
  EXPECT_DOUBLE_EQ(config.CostUsd("gpt-5-mini", u), 1.0 * 0.025);
  EXPECT_DOUBLE_EQ(config.CostUsd("unpriced-model", u), 0.0);
}

TEST(CostTest, TheLedgerBooksTheSameCostAndTheDetails) {
  Ledger ledger;  // no configured prices: the built-in table
  ChatRequest request;
  request.model = "gpt-5-mini";
  request.messages = {{"user", "hi"}};
  ChatResponse reply;
  reply.usage = MakeUsage(1'000, 800, 500, 400, 1'500);
  auto reservation = ledger.Reserve(request, "e");
  ASSERT_TRUE(reservation.ok());
  const double cost = ledger.Settle(*reservation, request, "e", reply);
  EXPECT_DOUBLE_EQ(cost, LlmConfig{}.CostUsd("gpt-5-mini", reply.usage));
  EXPECT_GT(cost, 0.0);
  const LedgerSnapshot s = ledger.Snapshot();
  EXPECT_EQ(s.total.cached_tokens, 800);
  EXPECT_EQ(s.total.reasoning_tokens, 400);
  EXPECT_TRUE(s.unpriced_models.empty());
  const std::string table = ledger.RenderTable();
  EXPECT_NE(table.find("reasoning tok"), std::string::npos) << table;
  EXPECT_NE(table.find("cached tok"), std::string::npos) << table;
}

}  // namespace
}  // namespace judgeopt::llm
