#pragma once
// Small text helpers the judge module's renderer and parsers share.

#include <string>
#include <string_view>

namespace judgeopt::judge {

inline constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";

/// `s` without leading and trailing ASCII whitespace.
inline std::string_view TrimSpace(std::string_view s) {
  const auto begin = s.find_first_not_of(kAsciiSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kAsciiSpace) - begin + 1);
}

/// `s` with ASCII letters lowercased.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace judgeopt::judge
