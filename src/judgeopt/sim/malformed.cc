#include "judgeopt/sim/malformed.h"

#include <array>

#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

constexpr uint64_t kDecideTag = 0x6d616c666f726d31ULL;
constexpr uint64_t kWrapTag = 0x6d616c666f726d32ULL;

constexpr std::array<std::string_view, 4> kOpenings = {
    "Here is my assessment:\n", "Sure. Based on the text above, these are my ratings: ",
    "After reading the sample carefully, I would rate it as follows.\n\n", "Scores:\n"};
constexpr std::array<std::string_view, 4> kClosings = {
    "", "\n\nLet me know if you would like me to explain any of these.",
    "\nI hope this helps.", "\n(These ratings reflect my overall impression.)"};

}  // namespace

std::optional<int> DrawMalformation(uint64_t call_key, double share, int kinds) {
  uint64_t key = SplitMix64(call_key ^ kDecideTag);
  if (kinds <= 0 || !(UniformAt(key, 0) < share)) return std::nullopt;
  return static_cast<int>(UniformAt(key, 1) * kinds);
}

std::string FenceJson(std::string_view json, uint64_t key) {
  bool tagged = UniformAt(SplitMix64(key ^ kWrapTag), 0) < 0.5;
  return std::string(tagged ? "```json\n" : "```\n") + std::string(json) + "\n```";
}

std::string SurroundWithProse(std::string_view text, uint64_t key) {
  uint64_t k = SplitMix64(key ^ kWrapTag);
  auto pick = [&](uint64_t counter) {
    return static_cast<std::size_t>(UniformAt(k, counter) * kOpenings.size());
  };
  return std::string(kOpenings[pick(1)]) + std::string(text) + std::string(kClosings[pick(2)]);
}

std::string TruncateJson(std::string_view json) {
  std::size_t colon = json.rfind(':');
  if (colon == std::string_view::npos) return std::string(json.substr(0, json.size() / 2));
  return std::string(json.substr(0, colon + 1));
}

}  // namespace judgeopt::sim
