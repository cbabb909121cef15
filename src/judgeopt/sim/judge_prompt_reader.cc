#include "judgeopt/sim/judge_prompt_reader.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "judgeopt/base/strings.h"
#include "judgeopt/judge/render.h"
#include "judgeopt/sim/prompt_text.h"

namespace judgeopt::sim {
namespace {

constexpr std::string_view kInstructions = "## Instructions:";
constexpr std::string_view kSample = "## Sample:";
constexpr std::string_view kResponse = "## Response:";
constexpr std::string_view kOutputFormat = "## Output format";
constexpr std::string_view kCriteria = "## Criteria";  // the sectioned layout's header

struct Sections {
  std::size_t instructions = std::string_view::npos;
  std::size_t sample = std::string_view::npos;
  std::size_t response = std::string_view::npos;
};

Sections Locate(std::string_view prompt) {
  Sections s;
  s.response = RFindAtLineStart(prompt, kResponse);
  if (s.response == std::string_view::npos) return s;
  std::string_view head = prompt.substr(0, s.response);
  s.instructions = RFindAtLineStart(head, kInstructions);
  if (s.instructions == std::string_view::npos) return s;
  s.sample = FindAtLineStart(head, kSample, s.instructions);
  return s;
}

// The sectioned layout: "## Sample:" before "## Criteria" before the last "## Response:".
Sections LocateSectioned(std::string_view prompt) {
  Sections s;
  s.response = RFindAtLineStart(prompt, kResponse);
  if (s.response == std::string_view::npos) return s;
  const std::size_t criteria = RFindAtLineStart(prompt.substr(0, s.response), kCriteria);
  if (criteria == std::string_view::npos) return s;
  s.sample = FindAtLineStart(prompt.substr(0, criteria), kSample);
  if (s.sample != std::string_view::npos) s.instructions = criteria;
  return s;
}

bool Complete(const Sections& s) {
  return s.response != std::string_view::npos && s.instructions != std::string_view::npos &&
         s.sample != std::string_view::npos;
}

std::optional<double> ToNumber(std::string_view text) {
  text = Trim(text);
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// `  "name": format,` lines between "{" and "}" after the output-format header.
std::map<std::string, std::string> ReadFormats(std::string_view prompt, std::size_t limit) {
  std::map<std::string, std::string> formats;
  std::size_t at = RFindAtLineStart(prompt.substr(0, limit), kOutputFormat);
  if (at == std::string_view::npos) return formats;
  std::string_view body = prompt.substr(at, limit - at);
  for (std::string_view line : SplitLines(body)) {
    line = Trim(line);
    if (line == "}") break;
    if (line.size() < 3 || line.front() != '"') continue;
    std::size_t close = line.find("\":", 1);
    if (close == std::string_view::npos) continue;
    std::string_view format = Trim(line.substr(close + 2));
    if (!format.empty() && format.back() == ',') format.remove_suffix(1);
    formats[std::string(line.substr(1, close - 1))] = std::string(Trim(format));
  }
  return formats;
}

// "- <name>: rest" → name (empty when the line is not shaped like an entry).
std::string_view EntryName(std::string_view line) {
  if (line.substr(0, 2) != "- ") return {};
  std::size_t colon = line.find(':', 2);
  if (colon == std::string_view::npos) return {};
  return Trim(line.substr(2, colon - 2));
}

std::vector<JudgePromptView::Entry> ReadEntries(std::string_view block,
                                                const std::vector<std::string>& known) {
  auto is_known = [&](std::string_view n) {
    return std::find(known.begin(), known.end(), n) != known.end();
  };
  std::vector<std::string_view> lines = SplitLines(block);
  bool any_known = std::any_of(lines.begin(), lines.end(),
                               [&](std::string_view l) { return is_known(EntryName(l)); });
  std::vector<JudgePromptView::Entry> entries;
  for (std::string_view line : lines) {
    std::string_view name = EntryName(line);
    bool seen = std::any_of(entries.begin(), entries.end(),
                            [&](const auto& e) { return e.criterion == name; });
    bool starts = !name.empty() && !seen && (any_known ? is_known(name) : true);
    if (starts) {
      std::string_view rest = line.substr(line.find(':') + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      entries.push_back({std::string(name), std::string(rest), std::nullopt});
    } else if (!entries.empty()) {
      entries.back().instruction.append("\n").append(line);
    }
  }
  for (auto& e : entries) e.instruction = std::string(Trim(e.instruction));
  return entries;
}

// "### <k>. <name>" with k == `number` -> name (empty when the line is not that header).
std::string_view SectionName(std::string_view line, std::size_t number) {
  const std::string start = std::string(judge::kSectionPrefix) + std::to_string(number) + ". ";
  if (line.substr(0, start.size()) != start) return {};
  return Trim(line.substr(start.size()));
}

std::string JoinLines(const std::vector<std::string_view>& lines, std::size_t end) {
  std::string out;
  for (std::size_t i = 0; i < end; ++i) out.append(i > 0 ? "\n" : "").append(lines[i]);
  return std::string(Trim(out));
}

// One section's lines -> its entry: the instruction up to the last reply line of its criterion.
JudgePromptView::Entry ReadSection(std::string_view name,
                                   const std::vector<std::string_view>& lines) {
  JudgePromptView::Entry e{std::string(name), "", std::nullopt};
  const std::string reply_line = std::string(judge::kReplyLinePrefix) + e.criterion + ":";
  std::size_t end = lines.size();
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (Trim(lines[i]).substr(0, reply_line.size()) == reply_line) {
      end = i;
      e.shown_scale = ScaleFromFormat(Trim(lines[i]).substr(reply_line.size()));
      break;
    }
  }
  e.instruction = JoinLines(lines, end);
  return e;
}

Result<JudgePromptView> ReadSectioned(std::string_view prompt, const Sections& s) {
  JudgePromptView view;
  view.sectioned = true;
  std::size_t sample_body = NextLineStart(prompt, s.sample);
  view.sample_block = std::string(Trim(prompt.substr(sample_body, s.instructions - sample_body)));
  std::size_t body = NextLineStart(prompt, s.instructions);
  std::vector<std::string_view> names;
  std::vector<std::vector<std::string_view>> sections;
  for (std::string_view line : SplitLines(prompt.substr(body, s.response - body))) {
    std::string_view name = SectionName(line, names.size() + 1);
    if (!name.empty()) {
      names.push_back(name);
      sections.emplace_back();
    } else if (!sections.empty()) {
      sections.back().push_back(line);
    }
  }
  if (names.empty()) {
    return Error(ErrorCode::kBadRequest,
                 "sim judge: no '### 1. <criterion>' section under '## Criteria'");
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    view.entries.push_back(ReadSection(names[i], sections[i]));
  }
  return view;
}

}  // namespace

bool LooksLikeJudgePrompt(std::string_view prompt) {
  Sections s = LocateSectioned(prompt);
  if (!Complete(s)) s = Locate(prompt);
  if (s.sample == std::string_view::npos) return false;
  std::string_view tail = Trim(prompt.substr(s.response + kResponse.size()));
  return tail.find('\n') == std::string_view::npos;
}

Result<JudgePromptView> ReadJudgePrompt(std::string_view prompt,
                                        const std::vector<std::string>& known_criteria) {
  if (Sections sectioned = LocateSectioned(prompt); Complete(sectioned)) {
    return ReadSectioned(prompt, sectioned);
  }
  Sections s = Locate(prompt);
  if (s.response == std::string_view::npos) {
    return Error(ErrorCode::kBadRequest, "sim judge: no '## Response:' line in the prompt");
  }
  if (s.instructions == std::string_view::npos || s.sample == std::string_view::npos) {
    return Error(ErrorCode::kBadRequest,
                 "sim judge: expected '## Instructions:' then '## Sample:' before '## Response:'");
  }
  std::map<std::string, std::string> formats = ReadFormats(prompt, s.instructions);
  std::vector<std::string> known = known_criteria;
  for (const auto& [name, format] : formats) known.push_back(name);

  std::size_t body = NextLineStart(prompt, s.instructions);
  JudgePromptView view;
  view.entries = ReadEntries(prompt.substr(body, s.sample - body), known);
  if (view.entries.empty()) {
    return Error(ErrorCode::kBadRequest,
                 "sim judge: no '- <criterion>: <instruction>' line under '## Instructions:'");
  }
  for (auto& e : view.entries) {
    auto f = formats.find(e.criterion);
    if (f != formats.end()) e.shown_scale = ScaleFromFormat(f->second);
  }
  std::size_t sample_body = NextLineStart(prompt, s.sample);
  view.sample_block = std::string(Trim(prompt.substr(sample_body, s.response - sample_body)));
  return view;
}

std::optional<data::Scale> ScaleFromFormat(std::string_view format) {
  format = Trim(format);
  if (format.size() > 2 && format.front() == '<' && format.back() == '>') {
    std::string_view inner = format.substr(1, format.size() - 2);
    std::size_t to = inner.find(" to ");
    if (to == std::string_view::npos) return std::nullopt;
    auto lo = ToNumber(inner.substr(0, to));
    auto hi = ToNumber(inner.substr(to + 4));
    if (!lo || !hi || *hi <= *lo) return std::nullopt;
    return data::Scale{*lo, *hi, false};
  }
  std::vector<double> values;
  std::size_t start = 0;
  while (start <= format.size()) {
    std::size_t bar = std::min(format.find('|', start), format.size());
    auto v = ToNumber(format.substr(start, bar - start));
    if (!v) return std::nullopt;
    values.push_back(*v);
    start = bar + 1;
  }
  if (values.size() < 2) return std::nullopt;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return data::Scale{*lo, *hi, true};
}

}  // namespace judgeopt::sim
