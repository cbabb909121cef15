#pragma once
// Pieces the simulator's optimization roles (loss, gradient, optimizer, diagnostic, OPRO) share:
// an index of the rubric concepts of the criteria a prompt is about, concept attribution read
// from sentences, the sentences the roles write, generic advice, and layout errors.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/sim/sim_options.h"
#include "judgeopt/sim/sim_world.h"

namespace judgeopt::sim {

/// One concept by position in a ConceptIndex: criterion index, concept index. Plain value.
struct ConceptRef {
  int criterion = -1;
  int concept_ = -1;
  bool operator==(const ConceptRef&) const = default;
};

/// A concept mentioned in a text and the criterion its sentence attributes it to (-1: none).
struct AttributedConcept {
  ConceptRef ref;
  int attributed_to = -1;
};

/// The criteria of one prompt (its spelling and order; criteria the dataset lacks get concepts
/// derived from their name) followed by the dataset's other criteria, with their concept lists.
/// Value type, built per call; immutable after construction.
class ConceptIndex {
 public:
  ConceptIndex(const SimWorld& world, const std::vector<std::string>& prompt_criteria);

  const std::vector<CriterionModel>& criteria() const { return criteria_; }
  /// The first prompt_count() criteria are the prompt's.
  int prompt_count() const { return prompt_count_; }
  /// Index of a criterion (ASCII case-insensitive), or -1.
  int Find(std::string_view name) const;
  const Concept& Get(ConceptRef ref) const;

  /// Distinct concepts `text` mentions, criterion by criterion, in list order.
  std::vector<ConceptRef> Mentioned(std::string_view text) const;
  /// Concepts of criterion `criterion` that `text` does not mention, in list order.
  std::vector<ConceptRef> Missing(int criterion, std::string_view text) const;
  /// Concepts mentioned in `text` in order of first mention, each attributed to the prompt
  /// criterion whose name its sentence quotes ('fluency'), else to `fallback`. A sentence ends at
  /// '.', '!' or '?' before whitespace, or at a line break.
  std::vector<AttributedConcept> Attributions(std::string_view text, int fallback = -1) const;
  /// Prompt criteria whose quoted name ('c') appears in `text`, in index order.
  std::vector<int> QuotedCriteria(std::string_view text) const;

 private:
  std::vector<CriterionModel> criteria_;
  int prompt_count_ = 0;
};

/// `k` distinct indices of [0, n) (all of them when k >= n) in draw order: a partial
/// Fisher-Yates shuffle driven by the uniform draws of stream `key`.
std::vector<std::size_t> PickIndices(std::size_t n, std::size_t k, uint64_t key);

/// A sentence that asks the judge to look at `concept_` ("Pay attention to grammar."); the
/// template is chosen by `key`. It mentions no other shipped concept.
std::string ConceptSentence(const Concept& concept_, uint64_t key);

/// The sentences of `text`: each ends at '.', '!' or '?' before whitespace (included), or at a
/// line break; views into `text`, in order, leading spaces kept.
std::vector<std::string_view> Sentences(std::string_view text);

/// `instruction` with `sentences` appended, separated by single spaces.
std::string AppendSentences(std::string_view instruction,
                            const std::vector<std::string>& sentences);

/// The generic advice the combined gradient mixes in; none mentions a shipped concept.
const std::vector<std::string_view>& GenericAdvice();
/// Number of distinct generic-advice sentences in `text` (case-insensitive).
int CountGenericAdvice(std::string_view text);

/// The kBadRequest error of a handler that recognized its layout but cannot find a part of it:
/// "sim <role>: the <kind> prompt has no <what> (has the layout changed?)".
Error MissingPart(SimRole role, std::string_view kind, std::string_view what);

/// The trimmed content of the first `name` tag at or after `from`; `end` (when given) receives
/// the position after its closing tag.
std::optional<std::string> TagContent(std::string_view text, std::string_view name,
                                      std::size_t from = 0, std::size_t* end = nullptr);

/// The text after the line "## <header>" up to the next line starting with "## " (or the end),
/// trimmed; `last` takes everything to the end. nullopt when the header is missing.
std::optional<std::string> MarkdownSection(std::string_view text, std::string_view header,
                                           bool last = false);

/// The kinds of malformed free-text replies (loss and gradient).
enum class TextMalformation { kEmpty, kTruncated, kCount };
/// `text` damaged as `kind` says: empty, or cut off in the middle of a word.
std::string MalformText(TextMalformation kind, std::string_view text);

}  // namespace judgeopt::sim
