#pragma once
// OPRO (reference-protocol §5): the bounded trajectory of scored instruction sets and the
// meta-prompt that shows it, with exemplars, to the optimizer model.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judgeopt/prompts/prompt_types.h"

namespace judgeopt::prompts {

/// One criterion's instruction and its score (in metric units, e.g. accuracy 0.708) within an
/// OPRO entry. Plain value.
struct OproItem {
  std::string criterion;
  std::string instruction;
  double score = 0;
};

/// One scored instruction set. `key` ranks entries (higher = better), e.g. the mean over criteria
/// of the direction-normalized scores. Plain value.
struct OproEntry {
  std::vector<OproItem> items;
  double key = 0;

  /// Same criteria with the same instructions, in the same order (scores ignored).
  bool SameInstructions(const OproEntry& other) const;
};

enum class TrajectoryOrder { kWorstToBest, kBestToWorst };

/// The k best entries seen so far. Pushing beyond capacity evicts the entry with the lowest key,
/// the oldest first among equal keys. By default an entry whose instructions equal a kept
/// entry's is rejected (the study keeps duplicates: pass reject_duplicates = false). Value type;
/// not thread-safe.
class OproTrajectory {
 public:
  explicit OproTrajectory(std::size_t capacity = 20, bool reject_duplicates = true);

  /// Adds `entry`; false when it is rejected as a duplicate or is itself the one evicted.
  bool Push(OproEntry entry);
  /// Every kept entry sorted by key; equal keys keep insertion order (oldest first).
  std::vector<OproEntry> Sorted(TrajectoryOrder order = TrajectoryOrder::kWorstToBest) const;
  std::size_t size() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  struct Item {
    OproEntry entry;
    std::uint64_t seq = 0;
  };
  std::size_t capacity_;
  bool reject_duplicates_;
  std::uint64_t next_seq_ = 0;
  std::vector<Item> items_;
};

/// How scores are described and displayed. Defaults: accuracy-like, shown as 0-100, 1 decimal.
/// Plain value.
struct OproScoreScale {
  double min = 0;
  std::optional<double> max = 100;  // nullopt: no upper bound
  bool higher_is_better = true;
  double display_multiplier = 100;  // score * multiplier, then Python-style rounding
  int display_decimals = 1;
};

/// One demonstration: the judge's input and the expected (gold) output per criterion.
/// Plain value.
struct OproExemplar {
  std::vector<Field> inputs;
  std::vector<Prediction> expected;  // gold values; nullopt renders as "missing"
};

/// Everything the OPRO meta-prompt shows. Plain value.
struct OproPromptInput {
  std::vector<std::string> criteria;
  std::vector<OproEntry> entries;  // in display order, e.g. OproTrajectory::Sorted(order)
  TrajectoryOrder order = TrajectoryOrder::kWorstToBest;
  OproScoreScale scale;
  std::string prompt_head;  // its first line, minus a final ".", heads each exemplar
  std::vector<OproExemplar> exemplars;
};

/// One entry as "<c>:\n- Instruction: ...\n- Score: 70.8" blocks, one per criterion.
std::string RenderOproEntry(const OproEntry& entry, const OproScoreScale& scale);

/// The OPRO meta-prompt: opening and order sentence, score-range sentence, entries joined by
/// "\n---\n", then "---" and the exemplars (left out when there are none) with <INS_c>
/// placeholders, the ask, and the JSON answer template (one line, keys = criteria).
std::string OproMetaPrompt(const OproPromptInput& input);

}  // namespace judgeopt::prompts
