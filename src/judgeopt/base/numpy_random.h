#pragma once
// Random numbers and permutations identical to numpy's legacy `RandomState(seed)`, so that data
// splits and training batches match the study's pandas `sample(frac=1, random_state=seed)`.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace judgeopt {

/// MT19937 seeded like numpy's legacy RandomState with an integer seed (`init_genrand`), drawing
/// 32-bit outputs and bounded integers by masked rejection (numpy's `random_interval`).
/// Value type (about 2.5 KB of state); not thread-safe: use one instance per thread.
class NumpyRandomState {
 public:
  explicit NumpyRandomState(std::uint32_t seed);

  /// The next 32-bit output of the generator (numpy `next_uint32`).
  std::uint32_t NextUint32();
  /// Two outputs, high word first (numpy `next_uint64` for MT19937).
  std::uint64_t NextUint64();
  /// A uniform integer in [0, max]: draws masked by the smallest all-ones mask >= max and retries
  /// while the value exceeds max; uses 64-bit draws only when max does not fit in 32 bits.
  std::uint64_t Interval(std::uint64_t max);
  /// Shuffles in place exactly as numpy's legacy `shuffle`: for i from n-1 down to 1, swap
  /// element i with element Interval(i).
  void Shuffle(std::span<std::size_t> values);
  /// numpy `permutation(n)`: 0..n-1 shuffled.
  std::vector<std::size_t> Permutation(std::size_t n);

 private:
  void Regenerate();

  static constexpr int kStateSize = 624;
  std::uint32_t mt_[kStateSize];
  int pos_ = kStateSize;
};

/// numpy `RandomState(seed).permutation(n)`. Row k of pandas `df.sample(frac=1,
/// random_state=seed)` is row Permutation(n, seed)[k] of df.
std::vector<std::size_t> Permutation(std::size_t n, std::uint32_t seed);

}  // namespace judgeopt
