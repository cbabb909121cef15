#pragma once
// The judge: turns (dataset, prompt, example positions) into per-criterion predictions by calling
// the judge model through the LlmClient port, concurrently through a WorkPool.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/base/work_pool.h"
#include "judgeopt/data/dataset.h"
#include "judgeopt/judge/judge_mode.h"
#include "judgeopt/judge/prompt.h"
#include "judgeopt/judge/score_parser.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::judge {

/// One judge call for one example, as a mode plans it. Points into the dataset it was rendered
/// for (which must outlive it).
struct JudgeCall {
  std::vector<const data::Criterion*> criteria;  // what the call scores, in prompt order
  std::vector<llm::ChatMessage> messages;        // exactly what is sent
  ReplyShape shape = ReplyShape::kJsonObject;    // how its reply is read
  /// "" for a call scoring every criterion of the prompt; the criterion's name in
  /// per-criterion mode (it ends the request tag).
  std::string label;
};

/// The calls of one example in `mode`, in the order Predict issues them: kJoint one call in the
/// study's layout; kPerCriterion one call per criterion of the prompt (prompt order), each in
/// the study's layout filtered to that criterion; kSectioned one call in the sectioned layout.
/// Fails as RenderJudgeMessages does.
Result<std::vector<JudgeCall>> RenderJudgeCalls(const JudgePrompt& prompt,
                                                const data::Dataset& dataset,
                                                const data::Example& example, JudgeMode mode);

struct JudgeSettings {
  std::string model;
  double temperature = 0.1;
  int max_tokens = 256;
  std::optional<int64_t> seed;
  /// Further calls after an unusable reply (0 = the study's behaviour: none).
  int max_reasks = 1;
  /// Also re-ask when the JSON parsed but some criterion has no usable value.
  bool reask_on_missing = false;
  JudgeMode mode = JudgeMode::kJoint;
};

/// Per-call labels for one Predict.
struct PredictOptions {
  /// Prefix of every request's tag (e.g. "step3/train"); "" = "judge".
  std::string tag;
  /// Which repetition of the same evaluation this is; becomes the requests' sample_index, so
  /// that evaluating one prompt twice gives two independent samples (and two cache entries).
  int repeat = 0;
};

/// The judge's verdict on one example.
struct Prediction {
  std::string id;
  /// Aligned with Dataset::criteria; criteria the prompt does not cover are missing.
  std::vector<CriterionValue> values;
  /// The last reply received ("" when no call succeeded); per-criterion: the calls' last
  /// replies, trimmed, joined by newlines in prompt order (empty ones left out).
  std::string raw_reply;
  /// The last reply of each call, in call order (one entry per call; "" when it failed).
  std::vector<std::string> replies;
  int attempts = 0;            // judge calls made for this example, re-asks included
  /// A call failure, or no usable value after the last attempt. Per-criterion: set only when
  /// no criterion got a value (the first call failure, else a kParse error); a failed call
  /// otherwise only leaves its criterion missing, with the reason.
  std::optional<Error> error;
  llm::Usage usage;  // summed over attempts and calls

  std::optional<double> Value(std::size_t criterion) const { return values[criterion].value; }
};

/// Scores examples with a judge prompt. Holds references to the client and the pool (neither
/// owned; both must outlive the Judge). Immutable after construction: Predict may be called from
/// several threads at once.
class Judge {
 public:
  Judge(llm::LlmClient& client, WorkPool& pool, JudgeSettings settings);

  const JudgeSettings& settings() const { return settings_; }

  /// Predicts the examples at `positions` (indices into dataset.examples) in settings().mode.
  /// Every call of every example (RenderJudgeCalls) runs in one concurrent wave; the result is
  /// in input order whatever the completion order. A failed call only affects its own example
  /// (per-criterion: its own criterion). Fails (before any call) when the prompt does not fit
  /// the dataset or a position is out of range.
  Result<std::vector<Prediction>> Predict(const data::Dataset& dataset, const JudgePrompt& prompt,
                                          std::span<const std::size_t> positions,
                                          const PredictOptions& options = {}) const;

 private:
  struct Outcome;  // what one conversation (first call plus re-asks) gave
  Outcome Converse(const JudgeCall& call, const std::string& tag, int sample_index) const;
  Prediction Merge(const data::Dataset& dataset, const data::Example& example,
                   const Result<std::vector<JudgeCall>>& calls,
                   std::span<Outcome> outcomes) const;
  llm::ChatRequest MakeRequest(const std::vector<llm::ChatMessage>& messages, std::string tag,
                               int sample_index) const;

  llm::LlmClient& client_;
  WorkPool& pool_;
  JudgeSettings settings_;
};

}  // namespace judgeopt::judge
