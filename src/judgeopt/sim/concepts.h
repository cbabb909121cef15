#pragma once
// Rubric concepts: the hidden lists K_c the simulated judge checks an instruction against.
// Lists come from a criterion's own `concepts`, else from the concept catalog (data/sim/
// concepts.json, embedded at build time), else they are derived from the criterion's name and
// description.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"

namespace judgeopt::sim {

/// One rubric concept: a canonical name (what a gradient would name) and the lowercase phrases
/// (synonyms, the name among them) whose presence as a substring counts as a mention.
struct Concept {
  std::string name;
  std::vector<std::string> phrases;
};

/// True when `lower_text` (already lowercased) contains one of the concept's phrases.
bool Mentions(const Concept& concept_, std::string_view lower_text);

/// Number of `concepts` mentioned in `lower_text`.
int CountMentions(const std::vector<Concept>& concepts, std::string_view lower_text);

/// The concept catalog: lists per criterion name, grouped into named sets (one per built-in
/// dataset; the set's name is only a label). Immutable after parsing; safe to share across
/// threads.
class ConceptCatalog {
 public:
  /// Parses catalog JSON: {"datasets": {"<dataset>": {"<criterion>": [{"concept": "...",
  /// "phrases": ["...", ...]}, ...]}}} (an optional top-level "about" string is ignored).
  /// Errors name `origin` and the key path.
  static Result<ConceptCatalog> Parse(std::string_view json_text, const std::string& origin);
  /// The catalog embedded in the library at build time (from data/sim/concepts.json).
  static Result<ConceptCatalog> Embedded();

  /// The list for (set, criterion), or nullptr when the catalog has none.
  const std::vector<Concept>* Find(const std::string& set, const std::string& criterion) const;
  /// The first set (in name order) that lists every one of `criteria`; "" when none does (or
  /// `criteria` is empty). Matching reads criterion names only, never a dataset's name.
  std::string SetListing(const std::vector<std::string>& criteria) const;
  /// The sets' names, sorted.
  std::vector<std::string> Datasets() const;

 private:
  std::map<std::string, std::map<std::string, std::vector<Concept>>> lists_;
};

/// K_c for `criterion` of a dataset whose criteria are named `dataset_criteria`: the criterion's
/// own `concepts` when non-empty (each entry one concept, synonyms separated by '|', the first
/// being its name), else the list of the catalog set that lists all of `dataset_criteria`
/// (ConceptCatalog::SetListing), else DeriveConcepts(name, description).
std::vector<Concept> ConceptsFor(const data::Criterion& criterion,
                                 const std::vector<std::string>& dataset_criteria,
                                 const ConceptCatalog& catalog);

/// The derivation rule for criteria with no list: the name itself ('_' and '-' read as spaces),
/// then up to 7 distinct content words of the description in order of appearance (letters and
/// digits, at least 4 characters, not a stop word, not the name). A word of 8 or more characters
/// also matches through its stem (the word minus its last 2 characters).
std::vector<Concept> DeriveConcepts(std::string_view name, std::string_view description);

}  // namespace judgeopt::sim
