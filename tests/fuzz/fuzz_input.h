#pragma once
// Helpers shared by the libFuzzer targets (tests/fuzz, issue 18): the input as text, and the
// input cut into parts at a separator line so one target can feed several related parsers.
// Pure functions; thread-compatible (libFuzzer calls a target from one thread).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace judgeopt::fuzz {

inline std::string_view AsText(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// `text` cut at each "\n----\n" (the separator the seed files use between parts).
inline std::vector<std::string_view> SplitParts(std::string_view text) {
  constexpr std::string_view kSeparator = "\n----\n";
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(text);
  return parts;
}

}  // namespace judgeopt::fuzz
