#pragma once
// Shared pieces of the simulator's malformed replies: the hash-chosen decision whether a reply is
// malformed (and which kind), and text-level damage that any role can apply.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace judgeopt::sim {

/// Whether the call with `call_key` answers malformed: nullopt for a well-formed reply, else a
/// kind index in [0, kinds), both drawn from the key (so a share of about `share` of calls is
/// malformed, with the kinds equally likely).
std::optional<int> DrawMalformation(uint64_t call_key, double share, int kinds);

/// `json` in a Markdown code fence ("```json" or a bare "```", chosen by `key`).
std::string FenceJson(std::string_view json, uint64_t key);

/// `text` with a sentence of prose before it and, for some keys, one after it.
std::string SurroundWithProse(std::string_view text, uint64_t key);

/// A JSON object cut off before its last value and closing brace: no longer parseable.
std::string TruncateJson(std::string_view json);

}  // namespace judgeopt::sim
