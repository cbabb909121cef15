#include "judgeopt/prompts/format.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace judgeopt::prompts {

std::string FormatNumber(double v) {
  if (v == 0) return "0";  // also folds -0
  return fmt::format("{}", v);
}

std::string FormatScore(const Score& score) {
  return score.text.empty() ? FormatNumber(score.value) : score.text;
}

std::string FormatGold(double v) {
  if (!std::isfinite(v) || std::floor(v) == v) return FormatNumber(v);
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

Score GoldScore(double v) { return Score{v, FormatGold(v)}; }

std::string FormatOptionalScore(const std::optional<Score>& score) {
  return score ? FormatScore(*score) : std::string(kMissingValue);
}

std::string PythonRoundDisplay(double v, int decimals) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  if (decimals <= 0) {
    // round(x) to an int; fmt's fixed formatting rounds half-even on the exact value, as Python.
    std::string s = fmt::format("{:.0f}", v);
    return s == "-0" ? "0" : s;
  }
  std::string s = fmt::format("{:.{}f}", v, decimals);
  // str(float) drops trailing zeros but keeps one digit after the point.
  while (s.size() > 2 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}

std::string JsonQuote(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

std::string RenderFields(std::span<const Field> fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '\n';
    out += fields[i].label + ": " + fields[i].value;
  }
  return out;
}

std::string TagBlock(std::string_view name, std::string_view content) {
  return fmt::format("<{0}>\n{1}\n</{0}>", name, content);
}

std::string TagInline(std::string_view name, std::string_view content) {
  return fmt::format("<{0}> {1} </{0}>", name, content);
}

}  // namespace judgeopt::prompts
