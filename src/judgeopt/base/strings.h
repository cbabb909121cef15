#pragma once
// ASCII string helpers every module shares: whitespace trimming, lower-casing and joining.
// Locale-independent; bytes outside ASCII pass through unchanged.

#include <span>
#include <string>
#include <string_view>

namespace judgeopt {

/// The ASCII whitespace characters (those std::isspace accepts in the "C" locale).
inline constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";

/// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

/// `s` with ASCII letters lowercased.
std::string AsciiLower(std::string_view s);

/// The parts joined with `sep`.
std::string Join(std::span<const std::string> parts, std::string_view sep);

}  // namespace judgeopt
