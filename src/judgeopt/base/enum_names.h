#pragma once
// Name tables for enum-like settings. One constexpr array of {value, canonical name} pairs per
// enum serves parsing (an error that names the field and lists the choices), printing, JSON,
// command-line choices (CLI11's IsMember) and help text.
//
// An enum takes part by declaring, in its own namespace, a function that argument-dependent
// lookup finds:
//   inline constexpr NamedValue<Color> kColorNames[] = {{Color::kRed, "red"}, ...};
//   constexpr std::span<const NamedValue<Color>> NamesOf(Color) { return kColorNames; }

#include <cassert>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "judgeopt/base/result.h"

namespace judgeopt {

/// One entry of an enum's name table.
template <typename E>
struct NamedValue {
  E value;
  std::string_view name;
};

/// "a or b", "a, b or c": `choices` for help text.
std::string ChoiceText(const std::vector<std::string>& choices);

/// Why `got` is not one of `choices`: `must be "a" or "b", got "x"` for two choices, else
/// `must be one of a, b, c; got "x"`.
std::string InvalidChoiceMessage(const std::vector<std::string>& choices, std::string_view got);

/// The canonical name of `value`.
template <typename E>
std::string EnumName(E value) {
  for (const NamedValue<E>& entry : NamesOf(value)) {
    if (entry.value == value) return std::string(entry.name);
  }
  assert(false && "the value is missing from its enum's name table");
  return "";
}

/// The value named exactly `name`; nullopt for any other text.
template <typename E>
std::optional<E> FindEnum(std::string_view name) {
  for (const NamedValue<E>& entry : NamesOf(E{})) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

/// Every name, in table order.
template <typename E>
std::vector<std::string> EnumChoices() {
  std::vector<std::string> names;
  for (const NamedValue<E>& entry : NamesOf(E{})) names.emplace_back(entry.name);
  return names;
}

/// The names for help text ("a, b or c").
template <typename E>
std::string EnumChoiceText() {
  return ChoiceText(EnumChoices<E>());
}

/// Parses `name`; otherwise fails with `<field>: ` and InvalidChoiceMessage.
template <typename E>
Result<E> ParseEnum(std::string_view name, std::string_view field) {
  if (std::optional<E> value = FindEnum<E>(name)) return *value;
  return InvalidArgument(
      fmt::format("{}: {}", field, InvalidChoiceMessage(EnumChoices<E>(), name)));
}

}  // namespace judgeopt
