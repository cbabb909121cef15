#pragma once
// Reading data files as UTF-8 text, with the position of any invalid byte reported as a line.

#include <cstddef>
#include <string>
#include <string_view>

#include "judgeopt/base/result.h"

namespace judgeopt::data {

/// Byte offset of the first invalid UTF-8 sequence in `text` (overlong forms, surrogates and
/// code points above U+10FFFF are invalid), or std::string_view::npos when it is all valid.
std::size_t FindInvalidUtf8(std::string_view text);

/// 1-based line number of byte `offset` in `text`.
std::size_t LineOfOffset(std::string_view text, std::size_t offset);

/// Fails with "<origin>:<line>: invalid UTF-8 (byte 0x..)" when `text` is not valid UTF-8.
Status CheckUtf8(std::string_view text, const std::string& origin);

/// Reads a whole file. NotFound when it cannot be opened. Does not check the encoding.
Result<std::string> ReadFileBytes(const std::string& path);

/// Reads a file, strips a leading UTF-8 byte-order mark and checks that the rest is UTF-8.
Result<std::string> ReadUtf8File(const std::string& path);

}  // namespace judgeopt::data
