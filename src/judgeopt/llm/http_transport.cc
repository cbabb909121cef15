#include "judgeopt/llm/http_transport.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "judgeopt/base/strings.h"

namespace judgeopt::llm {
namespace {

// Parses a non-negative decimal number at the front of `text`; advances `text` past it.
std::optional<double> TakeNumber(std::string_view& text) {
  std::size_t n = 0;
  bool dot = false;
  while (n < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[n])) || (text[n] == '.' && !dot))) {
    dot = dot || text[n] == '.';
    ++n;
  }
  if (n == 0 || (n == 1 && text[0] == '.')) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc() || ptr != text.data() + n) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

// Seconds per unit for the Go duration units we accept; 0 for an unknown unit.
double UnitSeconds(std::string_view unit) {
  if (unit == "h") return 3600.0;
  if (unit == "m") return 60.0;
  if (unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us" || unit == "\xC2\xB5s") return 1e-6;
  if (unit == "ns") return 1e-9;
  return 0.0;
}

}  // namespace

std::string_view FindHeader(const HttpHeaders& headers, std::string_view lower_name) {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<double> ParseDurationSeconds(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  double total = 0;
  bool first = true;
  while (!text.empty()) {
    auto number = TakeNumber(text);
    if (!number) return std::nullopt;
    std::size_t n = 0;
    while (n < text.size() && !std::isdigit(static_cast<unsigned char>(text[n])) &&
           text[n] != '.') {
      ++n;
    }
    std::string_view unit = text.substr(0, n);
    text.remove_prefix(n);
    if (unit.empty()) {
      if (!first || !text.empty()) return std::nullopt;  // a bare number must stand alone
      return *number;
    }
    double scale = UnitSeconds(unit);
    if (scale == 0.0) return std::nullopt;
    total += *number * scale;
    first = false;
  }
  return total;
}

std::optional<double> RetryAfterSeconds(const HttpHeaders& headers) {
  std::string_view ms = Trim(FindHeader(headers, "retry-after-ms"));
  if (!ms.empty()) {
    auto value = TakeNumber(ms);
    if (value && ms.empty()) return *value / 1000.0;
  }
  std::string_view s = Trim(FindHeader(headers, "retry-after"));
  if (s.empty()) return std::nullopt;
  auto value = TakeNumber(s);
  if (!value || !s.empty() || !std::isfinite(*value)) return std::nullopt;
  return *value;
}

}  // namespace judgeopt::llm
