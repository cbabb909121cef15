#include "judgeopt/optim/config/mode.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "judgeopt/optim/config/method_registry.h"

namespace judgeopt::optim {
namespace {

char Letter(Strategy s) { return s == Strategy::kSeparate ? 'S' : 'C'; }

}  // namespace

std::string Mode::Name() const {
  return std::string{Letter(loss), Letter(gradient), Letter(optimizer)};
}

std::vector<std::string> ModeNames() {
  std::vector<std::string> names = {"SSS", "SSC", "SCC", "CCC", "ST"};
  for (const MethodEntry& m : AllMethods()) {
    if (*m.label != '\0') names.emplace_back(m.label);
  }
  return names;
}

std::string ModeNameChoices() { return ChoiceText(ModeNames()); }

Result<Mode> ParseMode(std::string_view text, std::string_view field) {
  std::string upper;
  for (char c : text) {
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  const bool shape_ok =
      upper.size() == 3 && upper.find_first_not_of("SC") == std::string::npos;
  if (!shape_ok) {
    return InvalidArgument(
        fmt::format("{}: '{}' is not a mode; use {}", field, text, ModeNameChoices()));
  }
  Mode mode;
  Strategy* stages[] = {&mode.loss, &mode.gradient, &mode.optimizer};
  for (int i = 0; i < 3; ++i) {
    *stages[i] = upper[i] == 'S' ? Strategy::kSeparate : Strategy::kCombined;
  }
  const bool combined_then_separate =
      (mode.loss == Strategy::kCombined && mode.gradient == Strategy::kSeparate) ||
      (mode.gradient == Strategy::kCombined && mode.optimizer == Strategy::kSeparate);
  if (combined_then_separate) {
    return InvalidArgument(fmt::format(
        "{}: '{}' is not supported: once a stage combines the criteria its output is one text "
        "for all of them, so a later stage cannot work per criterion; valid modes are SSS, SSC, "
        "SCC and CCC",
        field, upper));
  }
  return mode;
}

}  // namespace judgeopt::optim
