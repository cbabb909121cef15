#pragma once
// Reads the judge's reply into one optional value per criterion. Follows the study's parser
// (reference-protocol §1.4) with documented fixes (docs/judge.md): scale checks, per-criterion
// missing values with reasons, case-insensitive trimmed keys, one level of nesting, and lenient
// retries for smart quotes, single quotes and trailing commas.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/data/dataset.h"

namespace judgeopt::judge {

/// One criterion's outcome: a value on its scale, or the reason there is none.
struct CriterionValue {
  std::optional<double> value;
  std::string problem;  // empty when value is present
  bool operator==(const CriterionValue&) const = default;
};

/// Why a reply gave nothing at all.
enum class ReplyError {
  kNone,         // at least one criterion has a value
  kNoJson,       // empty reply, or no "{ ... }" in it
  kInvalidJson,  // a "{ ... }" that no parse attempt could read
  kNoValues,     // a JSON object, but no usable value for any criterion
  kNoScoreLines,  // a reply to the sectioned layout with no "<criterion>: <value>" line
                  // (and no JSON object either); an empty one included
  kIncomplete,    // the reply was not read at all: cut off at max_tokens or withheld by a
                  // content filter (llm::ReplyOutcome); an empty one is kNoJson / kNoScoreLines
};

/// What the judge was asked to reply with: a JSON object (the study's layout, and each call of
/// per-criterion mode) or one "<criterion>: <value>" line per criterion (sectioned layout).
enum class ReplyShape { kJsonObject, kScoreLines };

/// The parsed reply. `values` is aligned with the criteria given to ParseScores.
struct ParsedReply {
  std::vector<CriterionValue> values;
  ReplyError error = ReplyError::kNone;
  std::string error_message;  // empty when error == kNone

  /// No JSON object could be read (the study's parse failure).
  bool Unparsable() const {
    return error == ReplyError::kNoJson || error == ReplyError::kInvalidJson ||
           error == ReplyError::kNoScoreLines || error == ReplyError::kIncomplete;
  }
  std::size_t MissingCount() const;
};

/// Parses `reply` for `criteria` (a prompt's criteria, in prompt order). Never fails: problems
/// are reported in the result.
ParsedReply ParseScores(std::string_view reply,
                        const std::vector<const data::Criterion*>& criteria);

/// Parses a reply to the sectioned layout (docs/judge.md, "Reading score lines"): one
/// "<criterion>: <value>" line per criterion, tolerating bullets, numbering, headings, Markdown
/// emphasis, code fences, echoed "Reply line:" prefixes, "=" for ":", trailing comments, "4/5"
/// fractions over the scale's maximum, several pairs on one line, and a heading line naming the
/// criterion followed by a value line, and prose before the first pair on its line. A reply that
/// starts with "{" is read with ParseScores; otherwise a JSON object in it is read too and wins
/// when it gives more values. Never fails.
ParsedReply ParseScoreLines(std::string_view reply,
                            const std::vector<const data::Criterion*>& criteria);

/// ParseScores or ParseScoreLines, as `shape` says.
ParsedReply ParseReply(std::string_view reply,
                       const std::vector<const data::Criterion*>& criteria, ReplyShape shape);

/// Checks one raw number against a scale: the value, or why it is not acceptable.
CriterionValue CheckOnScale(double v, const data::Scale& scale);

/// "1-5" for a scale, as used in messages.
std::string DescribeScale(const data::Scale& scale);

}  // namespace judgeopt::judge
