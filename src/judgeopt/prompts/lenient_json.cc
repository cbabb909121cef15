#include "judgeopt/prompts/lenient_json.h"

#include <cctype>
#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"

namespace judgeopt::prompts {
namespace {

using Json = nlohmann::ordered_json;

// Curly double quotes (U+201C..U+201F) a model may use instead of '"'.
constexpr std::string_view kCurlyDoubleQuotes[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E",
                                                   "\xE2\x80\x9F"};

// The curly quote starting at text[i], or "" when none does.
std::string_view CurlyQuoteAt(std::string_view text, std::size_t i) {
  for (std::string_view q : kCurlyDoubleQuotes) {
    if (text.substr(i, q.size()) == q) return q;
  }
  return {};
}

std::string StraightenQuotes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view q = CurlyQuoteAt(text, i);
    out += q.empty() ? text[i] : '"';
    i += q.empty() ? 1 : q.size();
  }
  return out;
}

// Bodies of every ``` fence (language tag line dropped; an unclosed fence runs to the end).
std::vector<std::string_view> FenceBodies(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t at = text.find("```");
  while (at != std::string_view::npos) {
    std::size_t body = at + 3;
    const std::size_t eol = text.find('\n', body);
    // A tag such as "json" sits on the fence's own line; anything else there is content.
    if (eol != std::string_view::npos) {
      std::string_view tag = Trim(text.substr(body, eol - body));
      bool word = true;
      for (char ch : tag) word = word && std::isalpha(static_cast<unsigned char>(ch)) != 0;
      if (word) body = eol + 1;
    }
    const std::size_t close = text.find("```", body);
    out.push_back(
        text.substr(body, close == std::string_view::npos ? std::string_view::npos : close - body));
    if (close == std::string_view::npos) break;
    at = text.find("```", close + 3);
  }
  return out;
}

// End (exclusive) of the bracketed value starting at `start`, or npos when it never closes.
std::size_t MatchingEnd(std::string_view text, std::size_t start) {
  std::vector<char> stack;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') {
        ++i;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      stack.push_back(ch == '[' ? ']' : '}');
    } else if (ch == ']' || ch == '}') {
      if (stack.empty() || stack.back() != ch) return std::string_view::npos;
      stack.pop_back();
      if (stack.empty()) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<Json> TryParse(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// Commas before a closing bracket dropped and raw line breaks / tabs inside strings made spaces.
std::string RepairStructure(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\' && i + 1 < text.size()) {
        out += ch;
        out += text[++i];
        continue;
      }
      if (ch == '"') in_string = false;
      out += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
      continue;
    }
    if (ch == '"') in_string = true;
    if (ch == ',') {
      std::size_t j = i + 1;
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])) != 0) ++j;
      if (j < text.size() && (text[j] == ']' || text[j] == '}')) continue;
    }
    out += ch;
  }
  return out;
}

std::optional<Json> FindIn(std::string_view region, const JsonAcceptor& accept) {
  for (std::size_t start = region.find_first_of("[{"); start != std::string_view::npos;
       start = region.find_first_of("[{", start + 1)) {
    const std::size_t end = MatchingEnd(region, start);
    // A bracket that never closes starts a cut-off value: what follows is part of it, and salvaging
    // a complete piece of it would pass a fragment off as the whole answer.
    if (end == std::string_view::npos) break;
    const std::string_view span = region.substr(start, end - start);
    std::optional<Json> j = TryParse(std::string(span));
    if (!j) j = TryParse(RepairStructure(span));
    if (j && accept(*j)) return j;
  }
  return std::nullopt;
}

}  // namespace

std::string RepairJson(std::string_view text) { return RepairStructure(StraightenQuotes(text)); }

std::optional<Json> FindJsonValue(std::string_view reply, const JsonAcceptor& accept) {
  std::vector<std::string_view> regions = FenceBodies(reply);
  regions.push_back(reply);
  for (std::string_view region : regions) {
    if (auto j = FindIn(region, accept)) return j;
    const std::string straight = StraightenQuotes(region);
    if (straight != region) {
      if (auto j = FindIn(straight, accept)) return j;
    }
  }
  return std::nullopt;
}

bool IsEntryList(const Json& j, std::initializer_list<const char*> wrappers,
                 const JsonAcceptor& is_entry) {
  if (j.is_array()) {
    if (j.empty()) return true;
    for (const Json& e : j) {
      if (e.is_object()) return true;
    }
    return false;
  }
  if (!j.is_object()) return false;
  for (const char* key : wrappers) {
    auto it = j.find(key);
    if (it != j.end() && it->is_array()) return IsEntryList(*it, {}, is_entry);
  }
  return is_entry(j);
}

Json EntriesOf(const Json& j, std::initializer_list<const char*> wrappers) {
  if (j.is_array()) return j;
  for (const char* key : wrappers) {
    auto it = j.find(key);
    if (it != j.end() && it->is_array()) return *it;
  }
  return Json::array({j});
}

std::string StringField(const Json& object, std::initializer_list<std::string_view> keys) {
  if (!object.is_object()) return "";
  for (std::string_view key : keys) {
    auto it = object.find(std::string(key));
    if (it == object.end()) continue;
    if (it->is_string()) return std::string(Trim(it->get<std::string>()));
    if (it->is_number() || it->is_boolean()) return it->dump();
    if (it->is_array()) {
      std::string joined;
      for (const Json& part : *it) {
        if (!part.is_string()) continue;
        const std::string_view piece = Trim(part.get_ref<const std::string&>());
        if (piece.empty()) continue;
        if (!joined.empty()) joined += ' ';
        joined += piece;
      }
      return joined;
    }
    return "";
  }
  return "";
}

std::string LowerTrimmed(std::string_view text) {
  return AsciiLower(Trim(text));
}

}  // namespace judgeopt::prompts
