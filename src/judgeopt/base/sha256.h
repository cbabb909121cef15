#pragma once
// SHA-256 (FIPS 180-4) for content addressing: cache keys and request hashes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace judgeopt {

/// Incremental SHA-256. Feed bytes with Update(), read the digest once with Finish(); after
/// Finish() the object must be Reset() before reuse. Value type; not thread-safe (use one per
/// thread).
class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256() { Reset(); }
  void Reset();
  void Update(std::string_view bytes);
  Digest Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_{};
  std::array<uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

/// Lower-case hex of a byte sequence.
std::string HexEncode(const uint8_t* bytes, std::size_t n);
/// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

}  // namespace judgeopt
