#include "judgeopt/base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace judgeopt {
namespace {

// Test vectors from FIPS 180-2, Appendix B.
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kTwoBlock[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kTwoBlockMessage[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr char kMillionA[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(Sha256Hex(""), kEmpty);
  EXPECT_EQ(Sha256Hex("abc"), kAbc);
  EXPECT_EQ(Sha256Hex(kTwoBlockMessage), kTwoBlock);
}

TEST(Sha256Test, MillionAInUnevenChunks) {
  Sha256 hasher;
  const std::string chunk(997, 'a');  // prime length: blocks straddle Update() calls
  std::size_t left = 1000000;
  while (left > 0) {
    std::size_t n = std::min(left, chunk.size());
    hasher.Update(std::string_view(chunk).substr(0, n));
    left -= n;
  }
  Sha256::Digest d = hasher.Finish();
  EXPECT_EQ(HexEncode(d.data(), d.size()), kMillionA);
}

TEST(Sha256Test, ByteAtATimeMatchesOneShot) {
  Sha256 hasher;
  for (char c : std::string(kTwoBlockMessage)) hasher.Update(std::string_view(&c, 1));
  Sha256::Digest d = hasher.Finish();
  EXPECT_EQ(HexEncode(d.data(), d.size()), kTwoBlock);
}

TEST(Sha256Test, PaddingBoundaryLengthsDiffer) {
  // Lengths 55, 56 and 64 exercise the one- and two-block padding paths.
  std::string a55(55, 'x'), a56(56, 'x'), a64(64, 'x');
  EXPECT_NE(Sha256Hex(a55), Sha256Hex(a56));
  EXPECT_NE(Sha256Hex(a56), Sha256Hex(a64));
  Sha256 hasher;
  hasher.Update(a56);
  hasher.Reset();
  hasher.Update("abc");
  Sha256::Digest d = hasher.Finish();
  EXPECT_EQ(HexEncode(d.data(), d.size()), kAbc);
}

}  // namespace
}  // namespace judgeopt
