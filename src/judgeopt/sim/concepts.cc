#include "judgeopt/sim/concepts.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "judgeopt/base/strings.h"
#include "judgeopt/config/tree.h"
#include "judgeopt/sim/embedded_concepts.h"

namespace judgeopt::sim {
namespace {

using config::Json;
using config::TreePath;

constexpr std::size_t kMaxDerivedConcepts = 8;
constexpr std::size_t kMinWordLength = 4;
constexpr std::size_t kStemFromLength = 8;

// Words that carry no rubric content; the derivation rule skips them.
constexpr std::array<std::string_view, 40> kStopWords = {
    "about", "also", "and", "based", "been", "being", "does", "each", "from", "given", "have",
    "into", "like", "more", "most", "much", "must", "only", "other", "over", "rate", "rated",
    "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these",
    "this", "very", "what", "when", "whether", "which", "with"};

bool IsStopWord(std::string_view w) {
  return std::find(kStopWords.begin(), kStopWords.end(), w) != kStopWords.end();
}

Result<Concept> ParseConcept(const Json& j, const TreePath& at) {
  JO_RETURN_IF_ERROR(config::CheckKeys(j, {"concept", "phrases"}, at));
  JO_ASSIGN_OR_RETURN(std::string name, config::RequiredString(j, "concept", at));
  JO_ASSIGN_OR_RETURN(auto phrases, config::GetStringList(j, "phrases", at));
  Concept c;
  c.name = name;
  c.phrases.push_back(AsciiLower(name));
  for (const auto& p : phrases) {
    if (p.empty()) return at.Key("phrases").Fail("empty phrase");
    std::string lower = AsciiLower(p);
    if (std::find(c.phrases.begin(), c.phrases.end(), lower) == c.phrases.end()) {
      c.phrases.push_back(lower);
    }
  }
  if (name.empty()) return at.Key("concept").Fail("empty concept name");
  return c;
}

Result<std::vector<Concept>> ParseList(const Json& j, const TreePath& at) {
  if (!j.is_array() || j.empty()) return at.Fail("expected a non-empty array of concepts");
  std::vector<Concept> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    JO_ASSIGN_OR_RETURN(Concept c, ParseConcept(j[i], at.Index(i)));
    out.push_back(std::move(c));
  }
  return out;
}

Concept SingleWordConcept(const std::string& word) {
  Concept c{word, {word}};
  if (word.size() >= kStemFromLength) c.phrases.push_back(word.substr(0, word.size() - 2));
  return c;
}

}  // namespace

bool Mentions(const Concept& concept_, std::string_view lower_text) {
  for (const auto& p : concept_.phrases) {
    if (lower_text.find(p) != std::string_view::npos) return true;
  }
  return false;
}

int CountMentions(const std::vector<Concept>& concepts, std::string_view lower_text) {
  int n = 0;
  for (const auto& c : concepts) n += Mentions(c, lower_text) ? 1 : 0;
  return n;
}

Result<ConceptCatalog> ConceptCatalog::Parse(std::string_view json_text,
                                             const std::string& origin) {
  JO_ASSIGN_OR_RETURN(Json root, config::ParseJson(json_text, origin));
  TreePath at(origin);
  JO_RETURN_IF_ERROR(config::CheckKeys(root, {"about", "datasets"}, at));
  if (!root.contains("datasets") || !root["datasets"].is_object()) {
    return at.Key("datasets").Fail("expected an object of datasets");
  }
  ConceptCatalog catalog;
  for (const auto& [dataset, criteria] : root["datasets"].items()) {
    TreePath dat = at.Key("datasets").Key(dataset);
    if (!criteria.is_object()) return dat.Fail("expected an object of criteria");
    for (const auto& [criterion, list] : criteria.items()) {
      JO_ASSIGN_OR_RETURN(auto concepts, ParseList(list, dat.Key(criterion)));
      catalog.lists_[dataset][criterion] = std::move(concepts);
    }
  }
  return catalog;
}

Result<ConceptCatalog> ConceptCatalog::Embedded() {
  return Parse(EmbeddedConceptsJson(), "data/sim/concepts.json (embedded)");
}

const std::vector<Concept>* ConceptCatalog::Find(const std::string& set,
                                                 const std::string& criterion) const {
  auto d = lists_.find(set);
  if (d == lists_.end()) return nullptr;
  auto c = d->second.find(criterion);
  return c == d->second.end() ? nullptr : &c->second;
}

std::string ConceptCatalog::SetListing(const std::vector<std::string>& criteria) const {
  if (criteria.empty()) return "";
  for (const auto& [name, lists] : lists_) {
    if (std::all_of(criteria.begin(), criteria.end(),
                    [&](const std::string& c) { return lists.contains(c); })) {
      return name;
    }
  }
  return "";
}

std::vector<std::string> ConceptCatalog::Datasets() const {
  std::vector<std::string> out;
  for (const auto& [name, lists] : lists_) out.push_back(name);
  return out;
}

std::vector<Concept> ConceptsFor(const data::Criterion& criterion,
                                 const std::vector<std::string>& dataset_criteria,
                                 const ConceptCatalog& catalog) {
  if (!criterion.concepts.empty()) {
    std::vector<Concept> out;
    for (const auto& entry : criterion.concepts) {
      Concept c;
      std::size_t start = 0;
      while (start <= entry.size()) {
        std::size_t bar = std::min(entry.find('|', start), entry.size());
        std::string phrase = AsciiLower(entry.substr(start, bar - start));
        if (!phrase.empty()) c.phrases.push_back(phrase);
        start = bar + 1;
      }
      if (c.phrases.empty()) continue;
      c.name = c.phrases.front();
      out.push_back(std::move(c));
    }
    if (!out.empty()) return out;
  }
  if (const auto* listed = catalog.Find(catalog.SetListing(dataset_criteria), criterion.name)) {
    return *listed;
  }
  return DeriveConcepts(criterion.name, criterion.description);
}

std::vector<Concept> DeriveConcepts(std::string_view name, std::string_view description) {
  std::string lower_name = AsciiLower(name);
  std::replace(lower_name.begin(), lower_name.end(), '_', ' ');
  std::replace(lower_name.begin(), lower_name.end(), '-', ' ');
  std::vector<Concept> out;
  if (!lower_name.empty()) out.push_back(Concept{lower_name, {lower_name}});
  std::string lower = AsciiLower(description);
  std::string word;
  auto flush = [&] {
    bool fresh = std::none_of(out.begin(), out.end(),
                              [&](const Concept& c) { return c.name == word; });
    if (word.size() >= kMinWordLength && !IsStopWord(word) && fresh &&
        out.size() < kMaxDerivedConcepts) {
      out.push_back(SingleWordConcept(word));
    }
    word.clear();
  };
  for (char ch : lower) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      word.push_back(ch);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace judgeopt::sim
