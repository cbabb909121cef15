#include "judgeopt/prompts/tags.h"

#include <string>

namespace judgeopt::prompts {
namespace {

bool IsTagChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::optional<TagSpan> FindTag(std::string_view text, std::string_view name, std::size_t from) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const std::size_t o = text.find(open, from);
  if (o == std::string_view::npos) return std::nullopt;
  const std::size_t begin = o + open.size();
  const std::size_t c = text.find(close, begin);
  if (c == std::string_view::npos) return std::nullopt;
  return TagSpan{o, begin, c, c + close.size()};
}

std::optional<std::string_view> ExtractTag(std::string_view text, std::string_view name) {
  const auto span = FindTag(text, name);
  if (!span) return std::nullopt;
  return text.substr(span->content_begin, span->content_end - span->content_begin);
}

std::vector<std::string_view> ExtractAllTags(std::string_view text, std::string_view name) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  while (const auto span = FindTag(text, name, from)) {
    out.push_back(text.substr(span->content_begin, span->content_end - span->content_begin));
    from = span->close_end;
  }
  return out;
}

std::optional<std::string_view> NextTagName(std::string_view text, std::size_t from) {
  for (std::size_t i = text.find('<', from); i != std::string_view::npos;
       i = text.find('<', i + 1)) {
    std::size_t j = i + 1;
    if (j >= text.size() || text[j] < 'A' || text[j] > 'Z') continue;
    while (j < text.size() && IsTagChar(text[j])) ++j;
    if (j < text.size() && text[j] == '>') return text.substr(i + 1, j - i - 1);
  }
  return std::nullopt;
}

}  // namespace judgeopt::prompts
