#pragma once
// Stable hashing and counter-based random numbers for the simulator. Every value here is a fixed
// function of its inputs on every platform and standard library (no std::hash, no
// std::*_distribution), so a simulated reply never changes with the toolchain.

#include <cstdint>
#include <string_view>

namespace judgeopt::sim {

/// The splitmix64 finalizer: a bijective 64-bit mixer.
uint64_t SplitMix64(uint64_t x);

/// FNV-1a over the bytes of `text` (64-bit offset basis and prime).
uint64_t Fnv1a64(std::string_view text);

/// Builds one 64-bit key from a sequence of parts. Parts are length- and type-separated, so
/// ("ab", "c") and ("a", "bc") give different keys. Value type; not thread-safe while mutated.
class StableHash {
 public:
  StableHash() = default;
  explicit StableHash(uint64_t seed) : state_(SplitMix64(seed ^ kSeedTag)) {}

  StableHash& Add(std::string_view text);
  StableHash& Add(uint64_t value);
  StableHash& AddSigned(int64_t value) { return Add(static_cast<uint64_t>(value)); }
  /// Adds the bit pattern of `value` (-0.0 is folded into 0.0).
  StableHash& AddDouble(double value);
  uint64_t Digest() const { return SplitMix64(state_); }

 private:
  static constexpr uint64_t kSeedTag = 0x5eed5eed5eed5eedULL;
  uint64_t state_ = 0x6a09e667f3bcc909ULL;
};

/// The `counter`-th uniform draw in [0, 1) of the stream named by `key` (53-bit resolution).
double UniformAt(uint64_t key, uint64_t counter);

/// The `counter`-th standard normal draw of stream `key`: Box-Muller over the uniform draws
/// 2*counter and 2*counter+1 (cosine branch only).
double NormalAt(uint64_t key, uint64_t counter);

}  // namespace judgeopt::sim
