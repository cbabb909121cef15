#pragma once
// SplitMix64: a fast, well-mixed 64-bit hash step (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014). Used to derive seeds and jitter from other
// numbers deterministically. Pure; thread-safe.

#include <cstdint>

namespace judgeopt {

constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace judgeopt
