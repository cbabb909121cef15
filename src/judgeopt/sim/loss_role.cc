#include "judgeopt/sim/loss_role.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/layout.h"
#include "judgeopt/sim/malformed.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/role_text.h"

namespace judgeopt::sim {
namespace {

using prompts::PromptKind;

constexpr double kTolerance = 1e-9;

// A shown value: "missing" -> nullopt; a number; anything else -> nullopt with numeric = false.
std::optional<double> ReadValue(std::string_view text, bool* numeric) {
  std::string v(Trim(text));
  if (v == "missing") return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(d)) {
    *numeric = false;
    return std::nullopt;
  }
  return d;
}

// The value after the first line starting with `label` in `block`, or nullopt.
std::optional<std::string_view> LabelledValue(std::string_view block, std::string_view label) {
  std::size_t at = FindAtLineStart(block, label);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t begin = at + label.size();
  std::size_t end = block.find('\n', begin);
  return block.substr(begin, end == std::string_view::npos ? end : end - begin);
}

Result<std::vector<LossItem>> ReadSeparate(std::string_view inputs, const std::string& c) {
  auto pred = LabelledValue(inputs, "**Model prediction (" + c + ")**:");
  auto gold = LabelledValue(inputs, "**Ground truth (" + c + ")**:");
  if (!pred || !gold) {
    return MissingPart(SimRole::kLoss, "loss_separate",
                       "'**Model prediction (" + c + ")**' or '**Ground truth (" + c +
                           ")**' line in INPUTS_TO_FUNCTION");
  }
  LossItem item{c, {}, {}, true};
  item.prediction = ReadValue(*pred, &item.numeric);
  item.gold = ReadValue(*gold, &item.numeric);
  return std::vector<LossItem>{item};
}

Result<std::vector<LossItem>> ReadCombined(std::string_view inputs,
                                           const std::vector<std::string>& criteria) {
  std::size_t preds = FindAtLineStart(inputs, "**Model predictions**:");
  std::size_t golds = FindAtLineStart(inputs, "**Ground truths**:");
  if (preds == std::string_view::npos || golds == std::string_view::npos || golds < preds) {
    return MissingPart(SimRole::kLoss, "loss_combined",
                       "'**Model predictions**:' and '**Ground truths**:' blocks");
  }
  std::string_view pred_block = inputs.substr(preds, golds - preds);
  std::string_view gold_block = inputs.substr(golds);
  std::vector<LossItem> items;
  for (const auto& c : criteria) {
    auto pred = LabelledValue(pred_block, "  " + c + ":");
    auto gold = LabelledValue(gold_block, "  " + c + ":");
    if (!pred || !gold) {
      return MissingPart(SimRole::kLoss, "loss_combined", "value line for '" + c + "'");
    }
    LossItem item{c, {}, {}, true};
    item.prediction = ReadValue(*pred, &item.numeric);
    item.gold = ReadValue(*gold, &item.numeric);
    items.push_back(item);
  }
  return items;
}

bool IsCorrect(const LossItem& item) {
  return item.prediction && item.gold && std::fabs(*item.prediction - *item.gold) <= kTolerance;
}

}  // namespace

std::string LossCritique(const LossItem& item) {
  const std::string& c = item.criterion;
  if (!item.numeric) {
    return fmt::format("{}: INCORRECT. The shown values cannot be compared as numbers.", c);
  }
  if (!item.prediction) {
    if (!item.gold) return fmt::format("{}: INCORRECT. No score was given.", c);
    return fmt::format("{}: INCORRECT. No score was given; the right score is {}.", c, *item.gold);
  }
  if (!item.gold) return fmt::format("{}: UNKNOWN. There is no ground truth to compare with.", c);
  const double p = *item.prediction;
  const double g = *item.gold;
  if (IsCorrect(item)) {
    return fmt::format("{}: CORRECT. The predicted score {} equals the ground truth {}; score "
                       "samples like this one the same way.", c, p, g);
  }
  const double d = std::fabs(p - g);
  const bool over = p > g;
  return fmt::format("{}: INCORRECT. The predicted score {} is {} {} the ground truth {} "
                     "(difference: {:.2f}), so the sample was {}; the right score is {}.",
                     c, p, d, over ? "above" : "below", g, d, over ? "over-rated" : "under-rated",
                     g);
}

bool LossRole::Recognizes(std::string_view prompt) const {
  auto kind = prompts::ReadPromptLayout(prompt).kind;
  return kind == PromptKind::kLossSeparate || kind == PromptKind::kLossCombined;
}

Result<std::vector<LossItem>> LossRole::Read(std::string_view prompt) {
  auto layout = prompts::ReadPromptLayout(prompt);
  std::string_view kind = prompts::PromptKindName(layout.kind);
  auto inputs = TagContent(prompt, "INPUTS_TO_FUNCTION");
  if (!inputs) return MissingPart(SimRole::kLoss, kind, "INPUTS_TO_FUNCTION section");
  if (layout.kind == PromptKind::kLossSeparate) return ReadSeparate(*inputs, layout.criteria[0]);
  return ReadCombined(*inputs, layout.criteria);
}

Result<std::string> LossRole::Reply(const SimCall& call) const {
  JO_ASSIGN_OR_RETURN(std::vector<LossItem> items, Read(call.prompt));
  std::string text;
  int correct = 0;
  for (const auto& item : items) {
    if (!text.empty()) text += "\n";
    text += LossCritique(item);
    correct += IsCorrect(item) ? 1 : 0;
  }
  if (items.size() > 1) text += fmt::format("\nOverall: {} of {} correct.", correct, items.size());
  constexpr int kKinds = static_cast<int>(TextMalformation::kCount);
  auto kind = DrawMalformation(call.call_key, options_.malformed.loss, kKinds);
  if (!kind) return text;
  return MalformText(static_cast<TextMalformation>(*kind), text);
}

}  // namespace judgeopt::sim
