#include "judgeopt/sim/optimizer_errors.h"

#include <algorithm>
#include <array>
#include <vector>

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

// What a vaguer rewording of a concrete sentence says: the aspect, without naming it.
constexpr std::array<std::string_view, 3> kVague = {
    "Keep this aspect of the text in mind as well.",
    "Weigh the related details as a whole.",
    "Look at this side of the text more broadly."};

// Padding: long sentences that add words and no guidance.
constexpr std::array<std::string_view, 3> kFiller = {
    "Before you settle on a score, think carefully about everything you have read and make sure "
    "that the number you give reflects your considered overall judgement of this dimension.",
    "It is important to be thorough, careful and consistent here, and to apply the same standard "
    "to every sample you are asked to evaluate, whatever its length or topic.",
    "Take your time, reflect on the sample as a whole and on its individual parts, and only then "
    "decide which score on the scale describes it best."};

std::string_view Pick(const std::array<std::string_view, 3>& options, uint64_t key, int slot) {
  auto i = static_cast<std::size_t>(UniformAt(key, slot) * options.size());
  return options[std::min(i, options.size() - 1)];
}

}  // namespace

WritingErrorRates ErrorRates(const SimConstants& k, int criteria, double temperature) {
  const int extra = std::max(0, criteria - 1);
  const double w = k.optimizer_error_temperature_weight;
  const double heat = std::max(0.0, 1.0 - w + w * temperature / 0.7);
  WritingErrorRates r;
  r.vague = std::min(k.optimizer_vague_max,
                     k.optimizer_vague_base + k.optimizer_vague_per_extra_criterion * extra) *
            heat;
  r.filler = std::min(1.0, k.optimizer_filler_base + k.optimizer_filler_per_extra_criterion *
                                                         extra) *
             heat;
  r.overcorrect = std::min(1.0, k.optimizer_overcorrect_base +
                                    k.optimizer_overcorrect_per_extra_criterion * extra) *
                  heat;
  r.leak = std::min(1.0, k.optimizer_leak_per_extra_criterion * extra) * heat;
  return r;
}

std::string WithWritingErrors(std::string_view text, const CriterionModel& own,
                              const WritingErrorRates& rates, uint64_t key) {
  const bool vague = UniformAt(key, 0) < rates.vague;
  const bool filler = UniformAt(key, 3) < rates.filler;
  if (!vague && !filler) return std::string(text);
  std::vector<std::string> sentences;
  std::vector<std::size_t> concrete;  // sentences that mention a concept of `own`
  for (std::string_view s : Sentences(text)) {
    std::string_view t = Trim(s);
    if (t.empty()) continue;
    if (CountMentions(own.concepts, AsciiLower(t)) > 0) concrete.push_back(sentences.size());
    sentences.emplace_back(t);
  }
  if (vague && !concrete.empty()) {
    auto i = static_cast<std::size_t>(UniformAt(key, 1) * concrete.size());
    sentences[concrete[std::min(i, concrete.size() - 1)]] = Pick(kVague, key, 2);
  }
  if (filler) sentences.emplace_back(Pick(kFiller, key, 4));
  return AppendSentences("", sentences);
}

}  // namespace judgeopt::sim
