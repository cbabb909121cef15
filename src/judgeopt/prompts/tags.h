#pragma once
// A small reader for the tagged sections of judgeopt's optimization prompts ("<VARIABLE> ...
// </VARIABLE>"), used by tests and by the offline simulator to read the layouts back.
//
// Conventions it relies on (see docs/prompts.md): our own wording never writes a tag with angle
// brackets, so every "<NAME>" in a prompt opens a real section; sections of one name do not nest.
// Text pasted into a section (an instruction, a sample, a reply) could still contain a tag; a
// reader that cares searches from a known position (FindTag's `from`).

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace judgeopt::prompts {

/// Where one tagged section lies in a text: text[open, close_end) is "<NAME>...</NAME>" and
/// text[content_begin, content_end) what lies between the tags. Plain value.
struct TagSpan {
  std::size_t open = 0;
  std::size_t content_begin = 0;
  std::size_t content_end = 0;
  std::size_t close_end = 0;
};

/// The first "<name>" at or after `from` and the first "</name>" after it; nullopt if either is
/// missing.
std::optional<TagSpan> FindTag(std::string_view text, std::string_view name, std::size_t from = 0);

/// The raw content of the first `name` section (whitespace kept); nullopt if there is none.
std::optional<std::string_view> ExtractTag(std::string_view text, std::string_view name);

/// The raw contents of every `name` section, in order (non-overlapping).
std::vector<std::string_view> ExtractAllTags(std::string_view text, std::string_view name);

/// The name of the first opening tag "<NAME>" at or after `from`, where NAME is made of capital
/// letters, digits and underscores and starts with a letter; nullopt if there is none.
std::optional<std::string_view> NextTagName(std::string_view text, std::size_t from = 0);

}  // namespace judgeopt::prompts
