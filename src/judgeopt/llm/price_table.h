#pragma once
// Model prices: what a model costs per million tokens, the built-in dated table of common hosted
// models, and how a model name finds its price (configured `[llm.prices]` first, then the
// table). docs/llm.md, "Prices", lists the table's sources and the matching rules.

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace judgeopt::llm {

/// US dollars per one million tokens. Cached input is billed at `cached_input_usd_per_mtok`
/// when the model has one, otherwise at the input price. Plain value.
struct ModelPrice {
  double input_usd_per_mtok = 0.0;
  double output_usd_per_mtok = 0.0;
  std::optional<double> cached_input_usd_per_mtok = std::nullopt;
  bool operator==(const ModelPrice&) const = default;
};

/// Prices by model name (LlmConfig::prices, the `[llm.prices]` table).
using PriceMap = std::map<std::string, ModelPrice, std::less<>>;

/// One entry of the built-in table. Static data.
struct BuiltInPrice {
  std::string_view model;
  ModelPrice price;
};

/// The date the built-in table's prices were read from the providers' pages.
inline constexpr std::string_view kPriceTableDate = "2026-12-06";

/// The built-in table, ordered by provider then model.
std::span<const BuiltInPrice> BuiltInPrices();

/// The price of `model`: an exact entry of `configured`, else an exact entry of the built-in
/// table; when neither has one and the name starts with a known vendor prefix ("openai/",
/// "anthropic/", "google/", "deepseek/", "models/"), the same two lookups for the name without
/// it. No other rewriting: a dated snapshot ("gpt-4o-2024-05-13") matches only an entry of its
/// own, since some snapshots are priced differently from their alias.
std::optional<ModelPrice> LookupPrice(const PriceMap& configured, std::string_view model);

}  // namespace judgeopt::llm
