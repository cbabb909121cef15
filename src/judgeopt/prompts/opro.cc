#include "judgeopt/prompts/opro.h"

#include <fmt/format.h>

#include <algorithm>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/format.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::prompts {
namespace {

constexpr std::string_view kOrderWorstToBest =
    "Earlier instruction sets are listed below with their scores, ordered from worst to best, so "
    "the strongest sets come last.";
constexpr std::string_view kOrderBestToWorst =
    "Earlier instruction sets are listed below with their scores, ordered from best to worst, so "
    "the strongest sets come first.";
constexpr std::string_view kExemplarLead =
    "The exemplars below show how the instructions are used: your instructions take the place "
    "of the placeholders {} in the judge prompt, and the expected output is the correct answer "
    "for that input.";
constexpr std::string_view kAsk =
    "Write one instruction per criterion that differs from every instruction set above and "
    "should score higher. Each should be short, effective and general enough to suit any input.\n"
    "Reply with a JSON object in exactly this form:";
constexpr std::string_view kNoExtraText = "Write nothing outside the JSON.";

std::string ScaleSentence(const OproScoreScale& s) {
  const std::string better = s.higher_is_better ? "higher is better" : "lower is better";
  if (!s.max) {
    return fmt::format("Scores start at {} and have no upper bound; {}.", FormatNumber(s.min),
                       better);
  }
  return fmt::format("Scores range from {} to {}; {}.", FormatNumber(s.min), FormatNumber(*s.max),
                     better);
}

std::string Head(std::string_view prompt_head) {
  std::string_view line = Trim(prompt_head);
  line = Trim(line.substr(0, line.find('\n')));
  if (line.ends_with('.')) line.remove_suffix(1);
  return std::string(line);
}

std::string RenderExemplar(std::size_t number, const OproExemplar& ex,
                           const std::vector<std::string>& criteria, const std::string& head) {
  std::vector<std::string> lines = {fmt::format("Exemplar {}:", number), "  Input:"};
  for (const Field& f : ex.inputs) lines.push_back(fmt::format("    {}: {}", f.label, f.value));
  lines.push_back("  Instructions: " + head);
  for (const std::string& c : criteria) lines.push_back(fmt::format("    {0}: <INS_{0}>", c));
  std::vector<std::string> expected;
  for (const Prediction& p : ex.expected) {
    expected.push_back(p.criterion + ": " + FormatOptionalScore(p.value));
  }
  lines.push_back("  Expected output: " + Join(expected, ", "));
  return Join(lines, "\n");
}

std::string AnswerTemplate(const std::vector<std::string>& criteria) {
  std::vector<std::string> items;
  for (const std::string& c : criteria) {
    items.push_back(JsonQuote(c) + ": " + JsonQuote("<instruction for " + c + ">"));
  }
  return "{" + Join(items, ", ") + "}";
}

}  // namespace

bool OproEntry::SameInstructions(const OproEntry& other) const {
  return std::equal(items.begin(), items.end(), other.items.begin(), other.items.end(),
                    [](const OproItem& a, const OproItem& b) {
                      return a.criterion == b.criterion && a.instruction == b.instruction;
                    });
}

OproTrajectory::OproTrajectory(std::size_t capacity, bool reject_duplicates)
    : capacity_(capacity), reject_duplicates_(reject_duplicates) {}

bool OproTrajectory::Push(OproEntry entry) {
  if (reject_duplicates_ && std::any_of(items_.begin(), items_.end(), [&](const Item& i) {
        return i.entry.SameInstructions(entry);
      })) {
    return false;
  }
  const std::uint64_t seq = next_seq_++;
  items_.push_back({std::move(entry), seq});
  if (items_.size() <= capacity_) return true;
  const auto worst =
      std::min_element(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
        return a.entry.key < b.entry.key || (a.entry.key == b.entry.key && a.seq < b.seq);
      });
  const bool evicted_new = worst->seq == seq;
  items_.erase(worst);
  return !evicted_new;
}

std::vector<OproEntry> OproTrajectory::Sorted(TrajectoryOrder order) const {
  std::vector<const Item*> sorted;
  for (const Item& i : items_) sorted.push_back(&i);
  std::sort(sorted.begin(), sorted.end(), [order](const Item* a, const Item* b) {
    if (a->entry.key != b->entry.key) {
      return order == TrajectoryOrder::kWorstToBest ? a->entry.key < b->entry.key
                                                    : a->entry.key > b->entry.key;
    }
    return a->seq < b->seq;
  });
  std::vector<OproEntry> out;
  for (const Item* i : sorted) out.push_back(i->entry);
  return out;
}

std::string RenderOproEntry(const OproEntry& entry, const OproScoreScale& scale) {
  std::vector<std::string> blocks;
  for (const OproItem& item : entry.items) {
    blocks.push_back(fmt::format(
        "{}:\n- Instruction: {}\n- Score: {}", item.criterion, item.instruction,
        PythonRoundDisplay(item.score * scale.display_multiplier, scale.display_decimals)));
  }
  return Join(blocks, "\n");
}

std::string OproMetaPrompt(const OproPromptInput& input) {
  std::vector<std::string> entries;
  for (const OproEntry& e : input.entries) entries.push_back(RenderOproEntry(e, input.scale));
  std::string out = fmt::format(
      "{} {}\n{}\n\n{}", kOproOpening,
      input.order == TrajectoryOrder::kWorstToBest ? kOrderWorstToBest : kOrderBestToWorst,
      ScaleSentence(input.scale), Join(entries, "\n---\n"));
  if (!input.exemplars.empty()) {
    std::vector<std::string> placeholders;
    for (const std::string& c : input.criteria) placeholders.push_back("<INS_" + c + ">");
    std::vector<std::string> demos;
    const std::string head = Head(input.prompt_head);
    for (std::size_t i = 0; i < input.exemplars.size(); ++i) {
      demos.push_back(RenderExemplar(i + 1, input.exemplars[i], input.criteria, head));
    }
    out += "\n\n---\n\n" + fmt::format(kExemplarLead, Join(placeholders, ", ")) + "\n\n" +
           Join(demos, "\n\n");
  }
  out += fmt::format("\n\n{}\n{}\n{}", kAsk, AnswerTemplate(input.criteria), kNoExtraText);
  return out;
}

}  // namespace judgeopt::prompts
