#include "judgeopt/sim/stable_hash.h"

#include <cmath>
#include <cstring>
#include <numbers>

namespace judgeopt::sim {
namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kTextTag = 0x7465787474657874ULL;  // "texttext"
constexpr uint64_t kWordTag = 0x776f7264776f7264ULL;  // "wordword"

}  // namespace

uint64_t SplitMix64(uint64_t x) {
  x += kGolden;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Fnv1a64(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

StableHash& StableHash::Add(std::string_view text) {
  uint64_t part = SplitMix64(Fnv1a64(text) ^ (static_cast<uint64_t>(text.size()) * kGolden));
  state_ = SplitMix64(state_ ^ part ^ kTextTag);
  return *this;
}

StableHash& StableHash::Add(uint64_t value) {
  state_ = SplitMix64(state_ ^ SplitMix64(value ^ kWordTag));
  return *this;
}

StableHash& StableHash::AddDouble(double value) {
  if (value == 0.0) value = 0.0;
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return Add(bits);
}

double UniformAt(uint64_t key, uint64_t counter) {
  uint64_t bits = SplitMix64(key ^ SplitMix64(counter * kGolden + 1));
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

double NormalAt(uint64_t key, uint64_t counter) {
  double u1 = 1.0 - UniformAt(key, 2 * counter);  // (0, 1]: the log stays finite
  double u2 = UniformAt(key, 2 * counter + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace judgeopt::sim
