#include "judgeopt/base/numpy_random.h"

#include <numeric>
#include <utility>

namespace judgeopt {
namespace {

constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
constexpr int kShift = 397;

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint32_t seed) {
  mt_[0] = seed;
  for (int i = 1; i < kStateSize; ++i) {
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
  }
  pos_ = kStateSize;
}

void NumpyRandomState::Regenerate() {
  for (int i = 0; i < kStateSize; ++i) {
    std::uint32_t y = (mt_[i] & kUpperMask) | (mt_[(i + 1) % kStateSize] & kLowerMask);
    std::uint32_t next = mt_[(i + kShift) % kStateSize] ^ (y >> 1);
    mt_[i] = (y & 1U) ? next ^ kMatrixA : next;
  }
  pos_ = 0;
}

std::uint32_t NumpyRandomState::NextUint32() {
  if (pos_ >= kStateSize) Regenerate();
  std::uint32_t y = mt_[pos_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

std::uint64_t NumpyRandomState::NextUint64() {
  std::uint64_t hi = NextUint32();
  return (hi << 32) | NextUint32();
}

std::uint64_t NumpyRandomState::Interval(std::uint64_t max) {
  if (max == 0) return 0;
  std::uint64_t mask = max;
  for (int shift = 1; shift <= 32; shift *= 2) mask |= mask >> shift;
  std::uint64_t value;
  if (max <= 0xffffffffULL) {
    while ((value = (NextUint32() & mask)) > max) {
    }
  } else {
    while ((value = (NextUint64() & mask)) > max) {
    }
  }
  return value;
}

void NumpyRandomState::Shuffle(std::span<std::size_t> values) {
  for (std::size_t i = values.size(); i-- > 1;) {
    std::size_t j = static_cast<std::size_t>(Interval(i));
    std::swap(values[i], values[j]);
  }
}

std::vector<std::size_t> NumpyRandomState::Permutation(std::size_t n) {
  std::vector<std::size_t> out(n);
  std::iota(out.begin(), out.end(), std::size_t{0});
  Shuffle(out);
  return out;
}

std::vector<std::size_t> Permutation(std::size_t n, std::uint32_t seed) {
  return NumpyRandomState(seed).Permutation(n);
}

}  // namespace judgeopt
