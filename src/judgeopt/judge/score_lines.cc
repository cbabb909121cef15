// ParseScoreLines: the reader of replies to the sectioned layout (docs/judge.md).

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>

#include "judgeopt/base/strings.h"
#include "judgeopt/judge/score_parser.h"

namespace judgeopt::judge {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string EraseAll(std::string s, std::string_view what) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos)) {
    s.erase(pos, what.size());
  }
  return s;
}

// Drops list and heading markup from the start of a line: "- ", "* ", "> ", "#"s, "1." / "1)".
std::string_view StripLeadingMarkup(std::string_view s) {
  for (bool changed = true; changed;) {
    changed = false;
    s = Trim(s);
    for (std::string_view bullet : {"- ", "* ", "> ", "\u2022 "}) {
      if (StartsWith(s, bullet)) {
        s.remove_prefix(bullet.size());
        changed = true;
      }
    }
    if (!s.empty() && s.front() == '#') {
      s.remove_prefix(std::min(s.find_first_not_of('#'), s.size()));
      changed = true;
    }
    const auto digits = s.find_first_not_of("0123456789");
    if (digits != 0 && digits != std::string_view::npos && digits + 1 < s.size() &&
        (s[digits] == '.' || s[digits] == ')') && s[digits + 1] == ' ') {
      s.remove_prefix(digits + 2);
      changed = true;
    }
  }
  return s;
}

// A line without emphasis, code marks, surrounding markup or an echoed "Reply line:" prefix.
std::string CleanLine(std::string_view line) {
  std::string s = EraseAll(EraseAll(EraseAll(std::string(line), "**"), "__"), "`");
  std::string out(StripLeadingMarkup(s));
  if (StartsWith(AsciiLower(out), "reply line:")) out = std::string(Trim(out.substr(11)));
  return out;
}

// A key as written ("Clarity", " clarity (1-5) ", "\"clarity\"", "Clarity score") -> "clarity".
std::string NormalizeKey(std::string_view key) {
  std::string k = AsciiLower(Trim(key));
  if (!k.empty() && k.back() == ')') {
    const auto open = k.rfind('(');
    if (open != std::string::npos) k = std::string(Trim(std::string_view(k).substr(0, open)));
  }
  while (k.size() >= 2 && (k.front() == '"' || k.front() == '\'') && k.back() == k.front()) {
    k = k.substr(1, k.size() - 2);
  }
  for (std::string_view suffix : {" score", " rating", " value"}) {
    if (k.size() > suffix.size() && k.ends_with(suffix)) k.resize(k.size() - suffix.size());
  }
  return std::string(Trim(k));
}

std::optional<double> Number(std::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The value part of a line: its first token read as a number ("4", "4.", "+2", "4/5" when the
// denominator is the scale's maximum), then checked against the scale.
CriterionValue ValueFromText(std::string_view text, const data::Scale& scale) {
  text = Trim(text);
  while (!text.empty() && (text.front() == '"' || text.front() == '\'')) text.remove_prefix(1);
  std::string_view token = text.substr(0, text.find_first_of(" \t,;(\"'"));
  while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
  if (token.empty()) return {std::nullopt, "no value after the criterion's name"};
  const auto slash = token.find('/');
  std::optional<double> v;
  if (slash == std::string_view::npos) {
    v = Number(token);
  } else if (auto den = Number(token.substr(slash + 1)); den && *den == scale.max) {
    v = Number(token.substr(0, slash));
  }
  if (!v) return {std::nullopt, fmt::format("not a number: \"{}\"", token)};
  return CheckOnScale(*v, scale);
}

// The reading of one reply: which criteria got a line, and their values so far.
class LineReader {
 public:
  explicit LineReader(const std::vector<const data::Criterion*>& criteria)
      : criteria_(criteria), seen_(criteria.size(), false) {
    for (const auto* c : criteria) names_.push_back(NormalizeKey(c->name));
    for (const auto* c : criteria) {
      values_.push_back({std::nullopt, "no line for '" + c->name + "' in the reply"});
    }
  }

  void ReadLine(std::string_view raw) {
    if (StartsWith(Trim(raw), "```")) return;
    const std::string line = CleanLine(raw);
    if (line.empty()) return;
    const std::vector<std::string_view> pairs = Pairs(line);
    for (std::string_view pair : pairs) ReadPair(pair);
  }

  bool AnySeen() const {
    for (bool s : seen_) {
      if (s) return true;
    }
    return false;
  }
  std::vector<CriterionValue> TakeValues() { return std::move(values_); }

 private:
  static std::size_t Separator(std::string_view s) { return s.find_first_of(":="); }

  // "a: 1, b: 2" is two pairs when every ","/";"-separated part has a separator.
  static std::vector<std::string_view> Pairs(std::string_view line) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= line.size()) {
      const auto end = std::min(line.find_first_of(",;", start), line.size());
      parts.push_back(line.substr(start, end - start));
      start = end + 1;
    }
    for (std::string_view p : parts) {
      if (Separator(p) == std::string_view::npos) return {line};
    }
    return parts;
  }

  int Find(std::string_view key) const {
    const std::string k = NormalizeKey(key);
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == k) return static_cast<int>(i);
    }
    return -1;
  }

  void ReadPair(std::string_view pair) {
    const auto sep = Separator(pair);
    const std::string_view key = sep == std::string_view::npos ? pair : pair.substr(0, sep);
    const std::string_view rest =
        sep == std::string_view::npos ? std::string_view() : Trim(pair.substr(sep + 1));
    if (const int c = Find(key); c >= 0) {
      if (rest.empty()) {
        pending_ = c;  // a heading ("### 1. clarity", "clarity:"): the value follows
      } else {
        Record(c, rest);
      }
      return;
    }
    if (const int c = Find(rest); c >= 0) {  // "Criterion 1 of 2: clarity"
      pending_ = c;
      return;
    }
    if (Separator(rest) != std::string_view::npos) {  // "My ratings: clarity: 4"
      ReadPair(rest);
      return;
    }
    // A value line under a heading: "4", "Score: 4".
    const std::string k = NormalizeKey(key);
    const bool value_key = k == "score" || k == "value" || k == "rating" || k == "answer";
    const std::string_view value = sep == std::string_view::npos ? pair : rest;
    if (pending_ >= 0 && (sep == std::string_view::npos || value_key)) {
      const auto& scale = criteria_[static_cast<std::size_t>(pending_)]->scale;
      if (ValueFromText(value, scale).value || value_key) Record(pending_, value);
    }
  }

  // The first usable value of a criterion wins; before one, the first problem is kept.
  void Record(int c, std::string_view text) {
    const auto i = static_cast<std::size_t>(c);
    CriterionValue v = ValueFromText(text, criteria_[i]->scale);
    if (!values_[i].value && (v.value || !seen_[i])) values_[i] = std::move(v);
    seen_[i] = true;
    pending_ = -1;
  }

  const std::vector<const data::Criterion*>& criteria_;
  std::vector<std::string> names_;
  std::vector<CriterionValue> values_;
  std::vector<bool> seen_;
  int pending_ = -1;
};

}  // namespace

ParsedReply ParseScoreLines(std::string_view reply,
                            const std::vector<const data::Criterion*>& criteria) {
  const std::string_view text = Trim(reply);
  ParsedReply out;
  if (!text.empty() && text.front() == '{') {
    return ParseScores(reply, criteria);
  }
  LineReader reader(criteria);
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    reader.ReadLine(text.substr(start, end - start));
    start = end + 1;
  }
  const bool any_line = reader.AnySeen();
  out.values = reader.TakeValues();
  // A JSON object somewhere in the reply is read too; it wins when it gives more values.
  if (text.find('{') != std::string_view::npos) {
    ParsedReply json = ParseScores(reply, criteria);
    if (!any_line || json.MissingCount() < out.MissingCount()) return json;
  }
  if (!any_line) {
    const std::string message =
        text.empty() ? "empty reply" : "no '<criterion>: <value>' line in the reply";
    out.values.assign(criteria.size(), CriterionValue{std::nullopt, message});
    out.error = ReplyError::kNoScoreLines;
    out.error_message = message;
    return out;
  }
  if (!criteria.empty() && out.MissingCount() == criteria.size()) {
    out.error = ReplyError::kNoValues;
    out.error_message = "no usable value for any criterion";
  }
  return out;
}

ParsedReply ParseReply(std::string_view reply, const std::vector<const data::Criterion*>& criteria,
                       ReplyShape shape) {
  return shape == ReplyShape::kScoreLines ? ParseScoreLines(reply, criteria)
                                          : ParseScores(reply, criteria);
}

}  // namespace judgeopt::judge
