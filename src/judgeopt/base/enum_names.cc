#include "judgeopt/base/enum_names.h"

namespace judgeopt {

std::string ChoiceText(const std::vector<std::string>& choices) {
  std::string text;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) text += i + 1 == choices.size() ? " or " : ", ";
    text += choices[i];
  }
  return text;
}

std::string InvalidChoiceMessage(const std::vector<std::string>& choices, std::string_view got) {
  if (choices.size() == 2) {
    return fmt::format("must be \"{}\" or \"{}\", got \"{}\"", choices[0], choices[1], got);
  }
  return fmt::format("must be one of {}; got \"{}\"", fmt::join(choices, ", "), got);
}

}  // namespace judgeopt
