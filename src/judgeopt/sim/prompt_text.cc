#include "judgeopt/sim/prompt_text.h"

#include "judgeopt/base/strings.h"

namespace judgeopt::sim {
namespace {

bool IsSpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

bool AtLineStart(std::string_view text, std::size_t pos) {
  return pos == 0 || text[pos - 1] == '\n';
}

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

int CountWords(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char ch : text) {
    bool space = IsSpace(ch);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::size_t FindAtLineStart(std::string_view text, std::string_view header, std::size_t from) {
  for (std::size_t pos = text.find(header, from); pos != std::string_view::npos;
       pos = text.find(header, pos + 1)) {
    if (AtLineStart(text, pos)) return pos;
  }
  return std::string_view::npos;
}

std::size_t RFindAtLineStart(std::string_view text, std::string_view header) {
  for (std::size_t pos = text.rfind(header); pos != std::string_view::npos;
       pos = pos == 0 ? std::string_view::npos : text.rfind(header, pos - 1)) {
    if (AtLineStart(text, pos)) return pos;
  }
  return std::string_view::npos;
}

std::size_t NextLineStart(std::string_view text, std::size_t pos) {
  std::size_t nl = text.find('\n', pos);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

std::optional<std::vector<std::string>> ReadLabeledFields(std::string_view block,
                                                          const std::vector<std::string>& labels) {
  if (labels.empty()) return std::nullopt;
  std::vector<std::string> values;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::string prefix = labels[i] + ":";
    if (block.substr(pos, prefix.size()) != prefix) return std::nullopt;
    std::size_t start = pos + prefix.size();
    std::size_t end = block.size();
    if (i + 1 < labels.size()) {
      end = block.find("\n" + labels[i + 1] + ":", start);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 1;
    }
    values.emplace_back(Trim(block.substr(start, end - start)));
  }
  return values;
}

}  // namespace judgeopt::sim
