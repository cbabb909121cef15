#pragma once
// The judge prompt: the variable that prompt optimization changes. A shared preamble (the
// evaluation directive), a switch for the output-format block, and one instruction per criterion.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/data/dataset.h"

namespace judgeopt::judge {

/// The instruction the judge follows for one criterion.
struct CriterionInstruction {
  std::string criterion;  // a Criterion::name of the dataset
  std::string text;       // e.g. "Rate from 1 to 5."
  bool operator==(const CriterionInstruction&) const = default;
};

/// A judge prompt: preamble, output-format switch, and instructions in the dataset's criteria
/// order (a single-criterion prompt holds just one). Immutable value type: copies share one
/// state block, so copying is cheap and a prompt may be read from any number of threads; the
/// With*/Only* methods return modified copies. The fingerprint is a SHA-256 of a canonical
/// encoding of every field (stable across runs, platforms and versions of this code unless its
/// format tag changes), used to reuse evaluations of identical prompts.
class JudgePrompt {
 public:
  /// An empty prompt (no preamble, output format on, no instructions).
  JudgePrompt();
  JudgePrompt(std::string preamble, bool output_format,
              std::vector<CriterionInstruction> instructions);

  /// The seed prompt: the dataset's preamble and each criterion's seed instruction, output
  /// format on.
  static JudgePrompt FromDataset(const data::Dataset& dataset);

  const std::string& preamble() const { return state_->preamble; }
  bool output_format() const { return state_->output_format; }
  const std::vector<CriterionInstruction>& instructions() const { return state_->instructions; }
  /// The instruction for `criterion`, or nullptr when the prompt does not cover it.
  const std::string* Instruction(std::string_view criterion) const;
  bool Covers(std::string_view criterion) const { return Instruction(criterion) != nullptr; }

  /// A copy with one instruction replaced; fails when the prompt does not cover `criterion`.
  Result<JudgePrompt> WithInstruction(std::string_view criterion, std::string text) const;
  JudgePrompt WithPreamble(std::string preamble) const;
  JudgePrompt WithOutputFormat(bool on) const;
  /// A single-criterion prompt (the study's single-task template): same preamble and switch,
  /// just that criterion's instruction. Fails when the prompt does not cover it.
  Result<JudgePrompt> OnlyCriterion(std::string_view criterion) const;

  /// Checks that every instruction names a criterion of `dataset`, once each, in the dataset's
  /// order. The error names the offending criterion.
  Status CheckAgainst(const data::Dataset& dataset) const;
  /// The dataset's criteria this prompt covers, in prompt order (CheckAgainst's errors).
  Result<std::vector<const data::Criterion*>> Criteria(const data::Dataset& dataset) const;

  /// 64 lowercase hex digits: SHA-256 of the canonical encoding (CanonicalEncoding()).
  const std::string& Fingerprint() const { return state_->fingerprint; }

  /// "<len>:<bytes>" for each of: "judgeopt.judge_prompt.v1", preamble, "1"/"0" (output
  /// format), the instruction count, then criterion and text of each instruction in order.
  std::string CanonicalEncoding() const;

  bool operator==(const JudgePrompt& other) const;
  bool operator!=(const JudgePrompt& other) const { return !(*this == other); }

 private:
  struct State {
    std::string preamble;
    bool output_format = true;
    std::vector<CriterionInstruction> instructions;
    std::string fingerprint;
  };
  explicit JudgePrompt(State state);

  std::shared_ptr<const State> state_;
};

}  // namespace judgeopt::judge
