#pragma once
// The typed getter for an enum-like setting: a string key of a config tree read through the
// enum's name table (base/enum_names.h).

#include <optional>
#include <string>

#include "judgeopt/base/enum_names.h"
#include "judgeopt/base/result.h"
#include "judgeopt/config/tree.h"

namespace judgeopt::config {

/// The value `obj[key]` names; `fallback` when the key is missing. A name outside the table
/// fails naming the key and listing the valid names.
template <typename E>
Result<E> GetEnum(const Json& obj, const std::string& key, const TreePath& at, E fallback) {
  JO_ASSIGN_OR_RETURN(const std::string name, GetString(obj, key, at, EnumName(fallback)));
  if (std::optional<E> value = FindEnum<E>(name)) return *value;
  return at.Key(key).Fail(InvalidChoiceMessage(EnumChoices<E>(), name));
}

}  // namespace judgeopt::config
