#include "judgeopt/prompts/layout.h"

#include <nlohmann/json.hpp>

#include "judgeopt/base/strings.h"
#include "judgeopt/prompts/tags.h"

namespace judgeopt::prompts {
namespace {

constexpr std::string_view kLossSPrefix = "predicted score of a language model for the criterion: ";
constexpr std::string_view kLossCPrefix = "predicted scores of a language model for the criteria: ";
constexpr std::string_view kInstrSPrefix = "instruction for the criterion '";
constexpr std::string_view kInstrSSuffix = "' in the system prompt of a language model";
constexpr std::string_view kInstrCPrefix = "instructions for the criteria (";
constexpr std::string_view kInstrCSuffix = ") in the system prompt of a language model";
constexpr std::string_view kOwnedPrefix = "instruction block of the criterion '";
constexpr std::string_view kOwnedMiddle = "' among the instructions for the criteria (";

std::vector<std::string> SplitList(std::string_view list) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = list.find(", ");
    out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 2);
  }
}

// The text between `prefix` and `suffix` if `s` is exactly prefix + x + suffix.
std::optional<std::string_view> Between(std::string_view s, std::string_view prefix,
                                        std::string_view suffix) {
  if (!s.starts_with(prefix) || !s.ends_with(suffix) || s.size() < prefix.size() + suffix.size()) {
    return std::nullopt;
  }
  return s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
}

// Loss, gradient and optimizer prompts: the ROLE text gives S/C and the criteria; the first tag
// after ROLE tells the stage.
PromptLayout ReadTextGradLayout(std::string_view text, bool optimizer) {
  const auto role_span = FindTag(text, "ROLE");
  if (!role_span) return {};
  const std::string_view role = Trim(
      text.substr(role_span->content_begin, role_span->content_end - role_span->content_begin));
  const auto next = NextTagName(text, role_span->close_end);
  if (!next) return {};
  const bool loss = !optimizer && *next == "INPUTS_TO_FUNCTION";
  const bool gradient = !optimizer && *next == "LM_SYSTEM_PROMPT";
  if (optimizer && *next != "VARIABLE") return {};
  if (!loss && !gradient && !optimizer) return {};
  if (loss) {
    if (auto c = Between(role, kLossCPrefix, "")) return {PromptKind::kLossCombined, SplitList(*c)};
    if (auto c = Between(role, kLossSPrefix, ""))
      return {PromptKind::kLossSeparate, {std::string(*c)}};
    return {};
  }
  if (auto c = Between(role, kOwnedPrefix, kInstrCSuffix); c && optimizer) {
    const auto middle = c->find(kOwnedMiddle);
    if (middle == std::string_view::npos) return {};
    return {PromptKind::kOptimizerOwned, SplitList(c->substr(middle + kOwnedMiddle.size())),
            std::string(c->substr(0, middle))};
  }
  if (auto c = Between(role, kInstrCPrefix, kInstrCSuffix)) {
    return {optimizer ? PromptKind::kOptimizerCombined : PromptKind::kGradientCombined,
            SplitList(*c)};
  }
  if (auto c = Between(role, kInstrSPrefix, kInstrSSuffix)) {
    return {optimizer ? PromptKind::kOptimizerSeparate : PromptKind::kGradientSeparate,
            {std::string(*c)}};
  }
  return {};
}

// The first line after the line "## <header>".
std::optional<std::string> SectionFirstLine(std::string_view text, std::string_view header) {
  const std::string marker = "\n## " + std::string(header) + "\n";
  const auto at = text.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + marker.size());
  return std::string(Trim(rest.substr(0, rest.find('\n'))));
}

// OPRO: the criteria are the keys of the one-line JSON answer template after the last "\n{".
std::vector<std::string> OproCriteria(std::string_view text) {
  const auto at = text.rfind("\n{");
  if (at == std::string_view::npos) return {};
  std::string_view line = text.substr(at + 1);
  line = line.substr(0, line.find('\n'));
  const auto json = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!json.is_object()) return out;
  for (const auto& [key, value] : json.items()) out.push_back(key);
  return out;
}

}  // namespace

std::string_view PromptKindName(PromptKind kind) {
  switch (kind) {
    case PromptKind::kLossSeparate:
      return "loss_separate";
    case PromptKind::kLossCombined:
      return "loss_combined";
    case PromptKind::kGradientSeparate:
      return "gradient_separate";
    case PromptKind::kGradientCombined:
      return "gradient_combined";
    case PromptKind::kOptimizerSeparate:
      return "optimizer_separate";
    case PromptKind::kOptimizerCombined:
      return "optimizer_combined";
    case PromptKind::kOptimizerOwned:
      return "optimizer_owned";
    case PromptKind::kSpecificity:
      return "specificity";
    case PromptKind::kAdherence:
      return "adherence";
    case PromptKind::kOpro:
      return "opro";
    case PromptKind::kUnknown:
      break;
  }
  return "unknown";
}

std::string RoleLossSeparate(std::string_view criterion) {
  return std::string(kLossSPrefix) + std::string(criterion);
}

std::string RoleLossCombined(std::span<const std::string> criteria) {
  return std::string(kLossCPrefix) + Join(criteria, ", ");
}

std::string RoleInstructionSeparate(std::string_view criterion) {
  return std::string(kInstrSPrefix) + std::string(criterion) + std::string(kInstrSSuffix);
}

std::string RoleInstructionsCombined(std::span<const std::string> criteria) {
  return std::string(kInstrCPrefix) + Join(criteria, ", ") + std::string(kInstrCSuffix);
}

std::string RoleInstructionOwned(std::string_view owner, std::span<const std::string> criteria) {
  return std::string(kOwnedPrefix) + std::string(owner) + std::string(kOwnedMiddle) +
         Join(criteria, ", ") + std::string(kInstrCSuffix);
}

PromptLayout ReadPromptLayout(std::string_view text) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  if (text.starts_with(kBackwardOpening)) return ReadTextGradLayout(text, /*optimizer=*/false);
  if (text.starts_with(kOptimizerOpening)) return ReadTextGradLayout(text, /*optimizer=*/true);
  if (text.starts_with(kSpecificityOpening)) {
    if (auto c = SectionFirstLine(text, "Target Criterion"))
      return {PromptKind::kSpecificity, {*c}};
    return {};
  }
  if (text.starts_with(kAdherenceOpening)) {
    if (auto c = SectionFirstLine(text, "Criterion")) return {PromptKind::kAdherence, {*c}};
    return {};
  }
  if (text.starts_with(kOproOpening)) return {PromptKind::kOpro, OproCriteria(text)};
  return {};
}

}  // namespace judgeopt::prompts
