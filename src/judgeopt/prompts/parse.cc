#include "judgeopt/prompts/parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "judgeopt/base/strings.h"

namespace judgeopt::prompts {
namespace {

using Json = nlohmann::ordered_json;

// Quote characters stripped around a separate reply: straight, curly (U+2018/2019/201C..201F)
// and angle (U+00AB/00BB) quotes.
constexpr std::string_view kQuotes[] = {"\"",           "'",
                                        "\xE2\x80\x98", "\xE2\x80\x99",
                                        "\xE2\x80\x9C", "\xE2\x80\x9D",
                                        "\xE2\x80\x9E", "\xE2\x80\x9F",
                                        "\xC2\xAB",     "\xC2\xBB"};

std::size_t QuoteAtStart(std::string_view s) {
  for (std::string_view q : kQuotes) {
    if (s.starts_with(q)) return q.size();
  }
  return 0;
}

std::size_t QuoteAtEnd(std::string_view s) {
  for (std::string_view q : kQuotes) {
    if (s.ends_with(q)) return q.size();
  }
  return 0;
}

// Removes quote characters enclosing the whole text, as many pairs as there are.
std::string_view StripQuotes(std::string_view s) {
  s = Trim(s);
  while (true) {
    const std::size_t a = QuoteAtStart(s);
    const std::size_t b = QuoteAtEnd(s);
    if (a == 0 || b == 0 || a + b > s.size()) return s;
    s = Trim(s.substr(a, s.size() - a - b));
  }
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// Body of the first ``` fence (a leading "json" tag dropped), or nullopt.
std::optional<std::string_view> FencedBody(std::string_view text) {
  const auto open = text.find("```");
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(open + 3);
  if (rest.starts_with("json")) rest.remove_prefix(4);
  const auto close = rest.find("```");
  if (close == std::string_view::npos) return std::nullopt;
  return Trim(rest.substr(0, close));
}

std::optional<Json> TryParse(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::optional<Json> ParseWithRepairs(const std::string& text, bool lenient) {
  const std::string collapsed = ReplaceAll(ReplaceAll(text, "{{", "{"), "}}", "}");
  std::vector<std::string> attempts = {text, collapsed};
  if (lenient) {
    for (const std::string& a : {text, collapsed}) {
      std::string fixed = a;
      for (std::string_view q : {"\xE2\x80\x9C", "\xE2\x80\x9D"})
        fixed = ReplaceAll(fixed, q, "\"");
      attempts.push_back(fixed);
    }
  }
  for (const std::string& a : attempts) {
    if (auto j = TryParse(a)) return j;
  }
  return std::nullopt;
}

const Json* InstructionObject(const Json& root) {
  for (const char* key : {"instructions", "instruction"}) {
    auto it = root.find(key);
    if (it != root.end() && it->is_object()) return &*it;
  }
  if (!root.is_object()) return nullptr;
  const bool all_text = std::all_of(root.begin(), root.end(),
                                    [](const Json& v) { return v.is_string() || v.is_object(); });
  return all_text ? &root : nullptr;
}

std::string Flatten(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() || v.is_array()) {
    std::vector<std::string> parts;
    for (const Json& child : v) {
      std::string s(Trim(Flatten(child)));
      if (!s.empty()) parts.push_back(std::move(s));
    }
    return Join(parts, " ");
  }
  if (v.is_null()) return "";
  return v.dump();
}

const Json* FindCriterion(const Json& object, const std::string& name, bool lenient) {
  auto it = object.find(name);
  if (it != object.end()) return &*it;
  if (!lenient) return nullptr;
  const std::string want = AsciiLower(name);
  for (auto kv = object.begin(); kv != object.end(); ++kv) {
    if (AsciiLower(Trim(kv.key())) == want) return &kv.value();
  }
  return nullptr;
}

bool IsPlaceholder(std::string_view s) {
  return s.size() >= 2 && s.front() == '<' && s.back() == '>' &&
         s.substr(1, s.size() - 2).find_first_of("<>") == std::string_view::npos;
}

// Lower-case words (letter runs) of `s`.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

// "Here is the improved instruction:" and the like: a short label before the first colon of the
// first line that mentions an instruction and reads like an announcement.
std::string_view StripLeadingLabel(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon > s.find('\n')) return s;
  const std::vector<std::string> words = Words(s.substr(0, colon));
  constexpr std::string_view kAnnounce[] = {"here",    "below",    "improved", "new",
                                            "updated", "revised",  "refined",  "final",
                                            "better",  "rewritten"};
  bool announce = false, mentions = false;
  for (const std::string& w : words) {
    announce =
        announce || std::find(std::begin(kAnnounce), std::end(kAnnounce), w) != std::end(kAnnounce);
    mentions = mentions || w.starts_with("instruction");
  }
  if (!announce || !mentions || words.size() > 12) return s;
  std::string_view rest = s.substr(colon + 1);
  while (!rest.empty() &&
         (rest.front() == '*' || std::isspace(static_cast<unsigned char>(rest.front())))) {
    rest.remove_prefix(1);
  }
  return rest.empty() ? s : rest;
}

// A reply that is one fenced block: its body (language tag line dropped).
std::string_view StripWholeFence(std::string_view s) {
  if (!s.starts_with("```") || !s.ends_with("```") || s.size() < 6) return s;
  std::string_view body = s.substr(3, s.size() - 6);
  const auto nl = body.find('\n');
  if (nl != std::string_view::npos && body.substr(0, nl).find(' ') == std::string_view::npos) {
    body.remove_prefix(nl + 1);  // "```text\n...": drop the tag
  }
  return Trim(body);
}

}  // namespace

Result<ParsedInstructions> ParseCombinedReply(std::string_view reply,
                                              std::span<const std::string> expected,
                                              const CombinedParseOptions& options) {
  std::string_view text = Trim(reply);
  if (text.empty()) return ParseError("optimizer reply is empty");
  if (auto body = FencedBody(text); body && body->find('{') != std::string_view::npos) text = *body;
  const auto first = text.find('{');
  const auto last = text.rfind('}');
  if (first == std::string_view::npos || last == std::string_view::npos || last < first) {
    return ParseError("optimizer reply holds no JSON object");
  }
  std::string candidate(text.substr(first, last - first + 1));
  std::replace(candidate.begin(), candidate.end(), '\n', ' ');
  std::replace(candidate.begin(), candidate.end(), '\r', ' ');
  // (The study also strips quotes around the candidate; it starts with "{" and ends with "}".)
  const std::optional<Json> root = ParseWithRepairs(candidate, options.lenient);
  if (!root) return ParseError("optimizer reply is not valid JSON");
  const Json* object = InstructionObject(*root);
  if (object == nullptr) return ParseError("optimizer reply's JSON has no instructions object");

  ParsedInstructions out;
  for (const std::string& name : expected) {
    const Json* value = FindCriterion(*object, name, options.lenient);
    std::string text_value = value ? std::string(Trim(Flatten(*value))) : "";
    if (options.lenient && IsPlaceholder(text_value)) text_value.clear();
    if (text_value.empty()) {
      out.missing.push_back(name);
    } else {
      out.found.push_back({name, std::move(text_value)});
    }
  }
  if (out.found.empty()) {
    return ParseError(
        fmt::format("optimizer reply names none of the criteria ({})", Join(expected, ", ")));
  }
  return out;
}

Result<std::string> ParseSeparateReply(std::string_view reply,
                                       const SeparateParseOptions& options) {
  std::string_view text = Trim(reply);
  if (options.strip_preamble) {
    text = StripWholeFence(text);
    text = Trim(StripLeadingLabel(text));
  }
  text = StripQuotes(text);
  if (text.empty()) return ParseError("optimizer reply is empty");
  return std::string(text);
}

}  // namespace judgeopt::prompts
