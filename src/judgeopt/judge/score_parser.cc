#include "judgeopt/judge/score_parser.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"

namespace judgeopt::judge {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFence = "```";

std::string NormalizeKey(std::string_view key) { return AsciiLower(Trim(key)); }

// The study's fenced-block rule: the first ``` ... ``` pair (an optional "json" right after the
// opening fence is skipped); used only when its trimmed body holds a '{'.
std::string_view FencedBody(std::string_view text) {
  const auto open = text.find(kFence);
  if (open == std::string_view::npos) return text;
  auto start = open + kFence.size();
  if (text.substr(start, 4) == "json") start += 4;
  const auto close = text.find(kFence, start);
  if (close == std::string_view::npos) return text;
  const std::string_view body = Trim(text.substr(start, close - start));
  return (!body.empty() && body.find('{') != std::string_view::npos) ? body : text;
}

// Curly, low-9, reversed and angle double quotes (UTF-8).
constexpr std::array<std::string_view, 6> kTypographicQuotes = {"\u201C", "\u201D", "\u201E",
                                                                "\u201F", "\u00AB", "\u00BB"};

// Python's str.replace: non-overlapping, left to right.
std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

std::string CollapseDoubledBraces(std::string s) {
  return ReplaceAll(ReplaceAll(std::move(s), "{{", "{"), "}}", "}");
}

// Our lenient pass: typographic double quotes become '"', and commas before '}' or ']' go.
std::string Lenient(std::string s) {
  for (std::string_view q : kTypographicQuotes) s = ReplaceAll(std::move(s), q, "\"");
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      const auto next = s.find_first_not_of(kAsciiSpace, i + 1);
      if (next != std::string::npos && (s[next] == '}' || s[next] == ']')) continue;
    }
    out += s[i];
  }
  return out;
}

// The last resort: single quotes (straight and curly) as string delimiters.
std::string SingleQuotesToDouble(std::string s) {
  for (std::string_view q : {"'", "\u2018", "\u2019"}) s = ReplaceAll(std::move(s), q, "\"");
  return s;
}

// Tries the study's two parses, then ours; an object or nothing.
std::optional<Json> ParseObject(const std::string& text) {
  const std::string collapsed = CollapseDoubledBraces(text);
  const std::array<std::string, 6> attempts = {text,
                                               collapsed,
                                               Lenient(text),
                                               Lenient(collapsed),
                                               SingleQuotesToDouble(Lenient(text)),
                                               SingleQuotesToDouble(Lenient(collapsed))};
  for (const auto& a : attempts) {
    Json j = Json::parse(a, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded() && j.is_object()) return j;
  }
  return std::nullopt;
}

const Json* FindKey(const Json& obj, const std::string& normalized_name) {
  for (const auto& [k, v] : obj.items()) {
    if (NormalizeKey(k) == normalized_name) return &v;
  }
  return nullptr;
}

// The object holding the scores: the top level when it names any criterion, else the first
// object one level down that does (e.g. {"scores": {...}}), else the top level.
const Json& ScoreObject(const Json& top, const std::vector<std::string>& names) {
  auto names_any = [&](const Json& obj) {
    for (const auto& n : names) {
      if (FindKey(obj, n) != nullptr) return true;
    }
    return false;
  };
  if (names_any(top)) return top;
  for (const auto& [k, v] : top.items()) {
    if (v.is_object() && names_any(v)) return v;
  }
  return top;
}

// Python's float(str.strip()) (which also covers int()): the number, or nothing.
std::optional<double> NumberFromString(std::string_view s) {
  s = Trim(s);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

CriterionValue ExtractValue(const Json* v, const std::string& name, const data::Scale& scale) {
  if (v == nullptr) return {std::nullopt, "no value for '" + name + "' in the reply"};
  if (v->is_boolean()) {
    return {std::nullopt,
            std::string("boolean ") + (v->get<bool>() ? "true" : "false") + " is not a score"};
  }
  if (v->is_number()) return CheckOnScale(v->get<double>(), scale);
  if (v->is_string()) {
    const std::string s = v->get<std::string>();
    if (auto d = NumberFromString(s)) return CheckOnScale(*d, scale);
    return {std::nullopt, "not a number: \"" + s + "\""};
  }
  return {std::nullopt, std::string("a JSON ") + v->type_name() + " is not a score"};
}

}  // namespace

std::size_t ParsedReply::MissingCount() const {
  std::size_t n = 0;
  for (const auto& v : values) n += v.value.has_value() ? 0 : 1;
  return n;
}

std::string DescribeScale(const data::Scale& scale) {
  return fmt::format("{}-{}", scale.min, scale.max);
}

CriterionValue CheckOnScale(double v, const data::Scale& scale) {
  if (!std::isfinite(v)) return {std::nullopt, "not a finite number"};
  if (v < scale.min || v > scale.max) {
    return {std::nullopt, fmt::format("{} is outside the scale {}", v, DescribeScale(scale))};
  }
  if (scale.integer && std::floor(v) != v) {
    return {std::nullopt,
            fmt::format("{} is not a whole number (integer scale {})", v, DescribeScale(scale))};
  }
  return {v, ""};
}

ParsedReply ParseScores(std::string_view reply,
                        const std::vector<const data::Criterion*>& criteria) {
  ParsedReply out;
  auto fail_all = [&](ReplyError error, std::string message) {
    out.values.assign(criteria.size(), CriterionValue{std::nullopt, message});
    out.error = error;
    out.error_message = std::move(message);
    return out;
  };
  const std::string_view text = FencedBody(Trim(reply));
  if (text.empty()) return fail_all(ReplyError::kNoJson, "empty reply");
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return fail_all(ReplyError::kNoJson, "no JSON object in the reply");
  }
  // The study also strips quote characters from both ends here; the text starts with '{' and
  // ends with '}', so that step never changes anything and is left out. Lenient() handles
  // typographic quotes inside the object instead.
  const std::string body(text.substr(open, close - open + 1));
  const std::optional<Json> parsed = ParseObject(body);
  if (!parsed) return fail_all(ReplyError::kInvalidJson, "invalid JSON in the reply");

  std::vector<std::string> names;
  for (const auto* c : criteria) names.push_back(NormalizeKey(c->name));
  const Json& scores = ScoreObject(*parsed, names);
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    out.values.push_back(
        ExtractValue(FindKey(scores, names[i]), criteria[i]->name, criteria[i]->scale));
  }
  if (!criteria.empty() && out.MissingCount() == criteria.size()) {
    out.error = ReplyError::kNoValues;
    out.error_message = "no usable value for any criterion";
  }
  return out;
}

}  // namespace judgeopt::judge
