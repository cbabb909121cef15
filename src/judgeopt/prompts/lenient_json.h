#pragma once
// Finding one JSON value inside a model's free-form reply: inside code fences or surrounded by
// prose, with curly double quotes, trailing commas and raw line breaks inside strings repaired.
// Used by the parsers of structured gradients (edit lists) and of the conflict classifier's
// verdicts. Pure functions.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace judgeopt::prompts {

/// Tells whether a parsed JSON value is the kind the caller looks for.
using JsonAcceptor = std::function<bool(const nlohmann::ordered_json&)>;

/// The first JSON value in `reply` that `accept` takes. Where it looks, in order: the body of each
/// ``` fence (a language tag such as "json" dropped), then the whole reply. In each, every '[' or
/// '{' is tried in order as the start of a value, up to its matching bracket (strings and escapes
/// respected); a span is parsed as is, then repaired (curly double quotes made straight, commas
/// before a closing bracket removed, raw line breaks and tabs made spaces). A span that parses but
/// is not accepted does not stop the search: brackets inside it are tried next, so a list nested in
/// an unwanted object is still found. A bracket that never closes ends the search in that region:
/// the value was cut off, and no complete piece of it is taken for the whole. nullopt when nothing
/// is accepted.
std::optional<nlohmann::ordered_json> FindJsonValue(std::string_view reply,
                                                    const JsonAcceptor& accept);

/// True for a list of entries a reply may give: a JSON array that is empty or holds an object, an
/// object whose value under one of `wrappers` is such an array, or a single object that `is_entry`
/// takes.
bool IsEntryList(const nlohmann::ordered_json& j, std::initializer_list<const char*> wrappers,
                 const JsonAcceptor& is_entry);

/// The entries of a value IsEntryList took: the array, the wrapped array, or the single object as a
/// one-element array.
nlohmann::ordered_json EntriesOf(const nlohmann::ordered_json& j,
                                 std::initializer_list<const char*> wrappers);

/// `text` with the repairs FindJsonValue applies (exposed for tests).
std::string RepairJson(std::string_view text);

/// A JSON string field of `object` under the first of `keys` it has, trimmed; arrays of strings are
/// joined with spaces, numbers and booleans written out; "" when absent or of another type.
std::string StringField(const nlohmann::ordered_json& object,
                        std::initializer_list<std::string_view> keys);

/// ASCII lowercase copy of `text`, trimmed.
std::string LowerTrimmed(std::string_view text);

}  // namespace judgeopt::prompts
