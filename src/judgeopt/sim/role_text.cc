#include "judgeopt/sim/role_text.h"

#include <algorithm>
#include <array>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/tags.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

constexpr data::Scale kDefaultScale{1, 5, true};

// Sentence templates of the optimizer and OPRO roles; "{}" is the concept's name.
constexpr std::array<std::string_view, 3> kSentencePrefixes = {
    "Pay attention to ", "Check the text for ", "Take into account "};

bool EndsSentence(std::string_view text, std::size_t i) {
  char c = text[i];
  if (c == '\n') return true;
  if (c != '.' && c != '!' && c != '?') return false;
  return i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
}

}  // namespace

std::vector<std::string_view> Sentences(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!EndsSentence(text, i)) continue;
    if (i + 1 > start) out.push_back(text.substr(start, i + 1 - start));
    start = i + 1;
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

ConceptIndex::ConceptIndex(const SimWorld& world, const std::vector<std::string>& prompt_criteria) {
  std::vector<bool> used(world.criteria().size(), false);
  for (const auto& name : prompt_criteria) {
    int idx = world.FindCriterion(name);
    CriterionModel model =
        idx >= 0 ? world.criteria()[idx] : SimWorld::AdHocCriterion(name, kDefaultScale);
    if (idx >= 0) used[idx] = true;
    model.name = name;
    criteria_.push_back(std::move(model));
  }
  prompt_count_ = static_cast<int>(criteria_.size());
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (!used[i]) criteria_.push_back(world.criteria()[i]);
  }
}

int ConceptIndex::Find(std::string_view name) const {
  std::string lower = AsciiLower(Trim(name));
  for (std::size_t i = 0; i < criteria_.size(); ++i) {
    if (AsciiLower(criteria_[i].name) == lower) return static_cast<int>(i);
  }
  return -1;
}

const Concept& ConceptIndex::Get(ConceptRef ref) const {
  return criteria_[ref.criterion].concepts[ref.concept_];
}

std::vector<ConceptRef> ConceptIndex::Mentioned(std::string_view text) const {
  std::string lower = AsciiLower(text);
  std::vector<ConceptRef> out;
  for (std::size_t c = 0; c < criteria_.size(); ++c) {
    const auto& concepts = criteria_[c].concepts;
    for (std::size_t k = 0; k < concepts.size(); ++k) {
      if (Mentions(concepts[k], lower)) out.push_back({static_cast<int>(c), static_cast<int>(k)});
    }
  }
  return out;
}

std::vector<ConceptRef> ConceptIndex::Missing(int criterion, std::string_view text) const {
  std::string lower = AsciiLower(text);
  std::vector<ConceptRef> out;
  const auto& concepts = criteria_[criterion].concepts;
  for (std::size_t k = 0; k < concepts.size(); ++k) {
    if (!Mentions(concepts[k], lower)) out.push_back({criterion, static_cast<int>(k)});
  }
  return out;
}

std::vector<int> ConceptIndex::QuotedCriteria(std::string_view text) const {
  std::string lower = AsciiLower(text);
  std::vector<int> out;
  for (int c = 0; c < prompt_count_; ++c) {
    if (lower.find("'" + AsciiLower(criteria_[c].name) + "'") != std::string::npos) {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<AttributedConcept> ConceptIndex::Attributions(std::string_view text,
                                                          int fallback) const {
  std::vector<AttributedConcept> out;
  for (std::string_view sentence : Sentences(text)) {
    std::vector<int> quoted = QuotedCriteria(sentence);
    int to = quoted.empty() ? fallback : quoted.front();
    for (ConceptRef ref : Mentioned(sentence)) {
      bool seen = false;
      for (const auto& a : out) seen = seen || a.ref == ref;
      if (!seen) out.push_back({ref, to});
    }
  }
  return out;
}

std::vector<std::size_t> PickIndices(std::size_t n, std::size_t k, uint64_t key) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  k = std::min(k, n);
  for (std::size_t i = 0; i < k; ++i) {
    auto j = i + static_cast<std::size_t>(UniformAt(key, i) * (n - i));
    std::swap(all[i], all[std::min(j, n - 1)]);
  }
  all.resize(k);
  return all;
}

std::string ConceptSentence(const Concept& concept_, uint64_t key) {
  uint64_t k = StableHash(key).Add("sentence").Add(concept_.name).Digest();
  auto pick = static_cast<std::size_t>(UniformAt(k, 0) * kSentencePrefixes.size());
  return std::string(kSentencePrefixes[pick]) + concept_.name + ".";
}

std::string AppendSentences(std::string_view instruction,
                            const std::vector<std::string>& sentences) {
  std::string out(Trim(instruction));
  for (const auto& s : sentences) {
    if (!out.empty()) out += " ";
    out += s;
  }
  return out;
}

const std::vector<std::string_view>& GenericAdvice() {
  static const std::vector<std::string_view> kAdvice = {
      "Be more careful when reading the text.",
      "Consider the overall quality of the text before scoring.",
      "Read the whole input before giving any score.",
      "Use the full range of the scale where it fits.",
  };
  return kAdvice;
}

int CountGenericAdvice(std::string_view text) {
  std::string lower = AsciiLower(text);
  int count = 0;
  for (std::string_view advice : GenericAdvice()) {
    std::string needle = AsciiLower(advice.substr(0, advice.size() - 1));  // without the period
    count += lower.find(needle) != std::string::npos ? 1 : 0;
  }
  return count;
}

Error MissingPart(SimRole role, std::string_view kind, std::string_view what) {
  return Error(ErrorCode::kBadRequest, "sim " + std::string(SimRoleName(role)) + ": the " +
                                           std::string(kind) + " prompt has no " +
                                           std::string(what) + " (has the layout changed?)");
}

std::optional<std::string> TagContent(std::string_view text, std::string_view name,
                                      std::size_t from, std::size_t* end) {
  auto span = prompts::FindTag(text, name, from);
  if (!span) return std::nullopt;
  if (end != nullptr) *end = span->close_end;
  return std::string(
      Trim(text.substr(span->content_begin, span->content_end - span->content_begin)));
}

std::optional<std::string> MarkdownSection(std::string_view text, std::string_view header,
                                           bool last) {
  std::size_t at = FindAtLineStart(text, "## " + std::string(header));
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t begin = NextLineStart(text, at);
  if (Trim(text.substr(at, begin - at)) != "## " + std::string(header)) return std::nullopt;
  std::size_t end = last ? std::string_view::npos : FindAtLineStart(text, "## ", begin);
  if (end == std::string_view::npos) end = text.size();
  return std::string(Trim(text.substr(begin, end - begin)));
}

std::string MalformText(TextMalformation kind, std::string_view text) {
  switch (kind) {
    case TextMalformation::kTruncated: return std::string(text.substr(0, text.size() / 2));
    case TextMalformation::kEmpty:
    case TextMalformation::kCount: return "";
  }
  return "";
}

}  // namespace judgeopt::sim
