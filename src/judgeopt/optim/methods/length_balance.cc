#include "judgeopt/optim/methods/length_balance.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"

namespace judgeopt::optim {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Offsets just past each sentence end of `text`, the last being text.size() when text follows the
// last terminator.
std::vector<std::size_t> SentenceEnds(std::string_view text) {
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool terminator =
        (c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || IsSpace(text[i + 1]));
    if (terminator || c == '\n') ends.push_back(i + 1);
  }
  if (ends.empty() || !Trim(text.substr(ends.back())).empty()) {
    ends.push_back(text.size());
  }
  return ends;
}

// One cut of one candidate's instruction. Plain value.
struct Cut {
  std::string criterion;
  int candidate = 0;
  double others_mean = 0;
  double cap = 0;
  std::string before;
  std::string after;
  bool kept_incumbent = false;
};

DecisionRecord CutDecision(const Cut& cut, double ratio) {
  const int before = WordCount(cut.before), after = WordCount(cut.after);
  nlohmann::ordered_json payload = {{"candidate", cut.candidate},
                                    {"ratio", ratio},
                                    {"others_mean_words", cut.others_mean},
                                    {"cap_words", cut.cap},
                                    {"before_words", before},
                                    {"after_words", after},
                                    {"before_chars", cut.before.size()},
                                    {"after_chars", cut.after.size()},
                                    {"kept_incumbent", cut.kept_incumbent}};
  DecisionRecord d;
  d.kind = "length_cap";
  d.criterion = cut.criterion;
  d.summary =
      fmt::format("candidate {}: {} words > cap {} ({} x mean {} of the others): {} ({} words)",
                  cut.candidate, before, prompts::FormatNumber(cut.cap),
                  prompts::FormatNumber(ratio), prompts::FormatNumber(cut.others_mean),
                  cut.kept_incumbent ? "first sentence too long, kept the incumbent's instruction"
                                     : "cut to its leading sentences",
                  after);
  d.payload_json = payload.dump();
  return d;
}

// Caps one candidate; returns its cuts.
Result<std::vector<Cut>> Balance(const RunContext& ctx, const judge::JudgePrompt& incumbent,
                                 int index, judge::JudgePrompt& candidate) {
  const double ratio = ctx.config.method.max_length_ratio;
  const std::size_t n = ctx.criteria.size();
  std::vector<std::string> texts;
  double total = 0;
  for (const std::string& c : ctx.criteria) {
    texts.push_back(*candidate.Instruction(c));
    total += WordCount(texts.back());
  }
  std::vector<Cut> cuts;
  for (std::size_t i = 0; i < n && n > 1; ++i) {
    const double mean = (total - WordCount(texts[i])) / static_cast<double>(n - 1);
    const double cap = ratio * mean;
    if (mean <= 0 || WordCount(texts[i]) <= cap) continue;
    Cut cut{ctx.criteria[i], index, mean, cap, texts[i], "", false};
    if (auto kept = LeadingSentencesWithin(texts[i], cap)) {
      cut.after = std::move(*kept);
    } else {
      cut.after = *incumbent.Instruction(ctx.criteria[i]);
      cut.kept_incumbent = true;
    }
    JO_ASSIGN_OR_RETURN(candidate, candidate.WithInstruction(cut.criterion, cut.after));
    cuts.push_back(std::move(cut));
  }
  return cuts;
}

}  // namespace

int WordCount(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = IsSpace(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::optional<std::string> LeadingSentencesWithin(std::string_view text, double max_words) {
  std::optional<std::string> best;
  for (std::size_t end : SentenceEnds(text)) {
    const std::string_view prefix = Trim(text.substr(0, end));
    if (prefix.empty()) continue;
    if (WordCount(prefix) > max_words) break;
    best = std::string(prefix);
  }
  return best;
}

Status ApplyLengthBalance(const RunContext& ctx, const judge::JudgePrompt& incumbent,
                          std::vector<judge::JudgePrompt>& candidates,
                          std::vector<DecisionRecord>& decisions) {
  const double ratio = ctx.config.method.max_length_ratio;
  if (ratio <= 0) return Status::Ok();
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    JO_ASSIGN_OR_RETURN(const std::vector<Cut> cuts,
                        Balance(ctx, incumbent, static_cast<int>(k), candidates[k]));
    for (const Cut& cut : cuts) decisions.push_back(CutDecision(cut, ratio));
  }
  return Status::Ok();
}

}  // namespace judgeopt::optim
