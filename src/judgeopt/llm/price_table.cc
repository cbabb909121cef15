#include "judgeopt/llm/price_table.h"

#include <algorithm>
#include <array>

namespace judgeopt::llm {
namespace {

constexpr ModelPrice P(double input, double cached, double output) {
  return ModelPrice{input, output, cached};
}
constexpr ModelPrice NoCache(double input, double output) {
  return ModelPrice{input, output, std::nullopt};
}

// US dollars per million tokens (input, cached input, output), standard tier, text, prompts
// within the base context tier; read 2026-12-06 (kPriceTableDate) from:
//   OpenAI    "Pricing | OpenAI API" (platform.openai.com/docs/pricing)
//   Anthropic "Pricing - Claude Docs" (docs.anthropic.com/en/docs/about-claude/pricing): the
//             cached price is "Cache Hits & Refreshes"; names as served by its OpenAI SDK
//             compatibility endpoint (dated ids and their aliases)
//   Google    "Gemini Developer API Pricing" (ai.google.dev/gemini-api/docs/pricing): the cached
//             price is "Context caching"; 2.5 Pro at prompts <= 200k tokens
//   DeepSeek  "Models & Pricing | DeepSeek API Docs" (api-docs.deepseek.com/quick_start/pricing):
//             cached = "input (cache hit)", input = "input (cache miss)"
// Prices change: `[llm.prices]` overrides any entry (docs/llm.md, "Prices").
constexpr std::array kTable = {
    // OpenAI
    BuiltInPrice{"gpt-5", P(1.25, 0.125, 10.00)},
    BuiltInPrice{"gpt-5-mini", P(0.25, 0.025, 2.00)},
    BuiltInPrice{"gpt-5-nano", P(0.05, 0.005, 0.40)},
    BuiltInPrice{"gpt-5-chat-latest", P(1.25, 0.125, 10.00)},
    BuiltInPrice{"gpt-4.1", P(2.00, 0.50, 8.00)},
    BuiltInPrice{"gpt-4.1-mini", P(0.40, 0.10, 1.60)},
    BuiltInPrice{"gpt-4.1-nano", P(0.10, 0.025, 0.40)},
    BuiltInPrice{"gpt-4o", P(2.50, 1.25, 10.00)},
    BuiltInPrice{"gpt-4o-2024-08-06", P(2.50, 1.25, 10.00)},
    BuiltInPrice{"gpt-4o-2024-05-13", NoCache(5.00, 15.00)},
    BuiltInPrice{"gpt-4o-mini", P(0.15, 0.075, 0.60)},
    BuiltInPrice{"gpt-4o-mini-2024-07-18", P(0.15, 0.075, 0.60)},
    BuiltInPrice{"o1", P(15.00, 7.50, 60.00)},
    BuiltInPrice{"o3", P(2.00, 0.50, 8.00)},
    BuiltInPrice{"o3-mini", P(1.10, 0.55, 4.40)},
    BuiltInPrice{"o4-mini", P(1.10, 0.275, 4.40)},
    // Anthropic
    BuiltInPrice{"claude-opus-4-1", P(15.00, 1.50, 75.00)},
    BuiltInPrice{"claude-opus-4-1-20250805", P(15.00, 1.50, 75.00)},
    BuiltInPrice{"claude-opus-4-0", P(15.00, 1.50, 75.00)},
    BuiltInPrice{"claude-opus-4-20250514", P(15.00, 1.50, 75.00)},
    BuiltInPrice{"claude-sonnet-4-5", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-sonnet-4-5-20250929", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-sonnet-4-0", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-sonnet-4-20250514", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-3-7-sonnet-latest", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-3-7-sonnet-20250219", P(3.00, 0.30, 15.00)},
    BuiltInPrice{"claude-haiku-4-5", P(1.00, 0.10, 5.00)},
    BuiltInPrice{"claude-haiku-4-5-20251001", P(1.00, 0.10, 5.00)},
    BuiltInPrice{"claude-3-5-haiku-latest", P(0.80, 0.08, 4.00)},
    BuiltInPrice{"claude-3-5-haiku-20241022", P(0.80, 0.08, 4.00)},
    BuiltInPrice{"claude-3-haiku-20240307", P(0.25, 0.03, 1.25)},
    // Google
    BuiltInPrice{"gemini-2.5-pro", P(1.25, 0.125, 10.00)},
    BuiltInPrice{"gemini-2.5-flash", P(0.30, 0.03, 2.50)},
    BuiltInPrice{"gemini-2.5-flash-lite", P(0.10, 0.01, 0.40)},
    BuiltInPrice{"gemini-2.0-flash", P(0.10, 0.025, 0.40)},
    BuiltInPrice{"gemini-2.0-flash-lite", NoCache(0.075, 0.30)},
    // DeepSeek
    BuiltInPrice{"deepseek-chat", P(0.28, 0.028, 0.42)},
    BuiltInPrice{"deepseek-reasoner", P(0.28, 0.028, 0.42)},
};

constexpr std::array<std::string_view, 5> kVendorPrefixes = {"openai/", "anthropic/", "google/",
                                                             "deepseek/", "models/"};

std::optional<ModelPrice> Exact(const PriceMap& configured, std::string_view model) {
  if (auto it = configured.find(model); it != configured.end()) return it->second;
  auto it = std::find_if(kTable.begin(), kTable.end(),
                         [&](const BuiltInPrice& e) { return e.model == model; });
  if (it != kTable.end()) return it->price;
  return std::nullopt;
}

}  // namespace

std::span<const BuiltInPrice> BuiltInPrices() { return kTable; }

std::optional<ModelPrice> LookupPrice(const PriceMap& configured, std::string_view model) {
  if (auto price = Exact(configured, model)) return price;
  for (std::string_view prefix : kVendorPrefixes) {
    if (model.size() > prefix.size() && model.substr(0, prefix.size()) == prefix) {
      return Exact(configured, model.substr(prefix.size()));
    }
  }
  return std::nullopt;
}

}  // namespace judgeopt::llm
