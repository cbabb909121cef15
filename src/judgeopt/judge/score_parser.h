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
};

/// The parsed reply. `values` is aligned with the criteria given to ParseScores.
struct ParsedReply {
  std::vector<CriterionValue> values;
  ReplyError error = ReplyError::kNone;
  std::string error_message;  // empty when error == kNone

  /// No JSON object could be read (the study's parse failure).
  bool Unparsable() const {
    return error == ReplyError::kNoJson || error == ReplyError::kInvalidJson;
  }
  std::size_t MissingCount() const;
};

/// Parses `reply` for `criteria` (a prompt's criteria, in prompt order). Never fails: problems
/// are reported in the result.
ParsedReply ParseScores(std::string_view reply,
                        const std::vector<const data::Criterion*>& criteria);

/// Checks one raw number against a scale: the value, or why it is not acceptable.
CriterionValue CheckOnScale(double v, const data::Scale& scale);

/// "1-5" for a scale, as used in messages.
std::string DescribeScale(const data::Scale& scale);

}  // namespace judgeopt::judge
