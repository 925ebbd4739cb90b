// Block64's masks against a byte loop, on every byte value at every position, and the
// BlockedText walk at the ends of a text.
#include "policies/text/block64.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace sb::policies::text {
namespace {

template <class Test>
uint64_t reference(const unsigned char* p, Test&& test) {
  uint64_t m = 0;
  for (size_t i = 0; i < Block64::kBytes; ++i) m |= static_cast<uint64_t>(test(p[i], i)) << i;
  return m;
}

TEST(Block64, MasksMatchAByteLoop) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::array<unsigned char, 2 * Block64::kBytes> bytes;
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = round < 8 ? static_cast<unsigned char>(32 * round + i) : rng();
    if (round % 3 == 0) bytes[40] = bytes[39];  // some repeats for equal(other)
    const unsigned char* p = bytes.data() + 1;
    const Block64 block(p), earlier(p - 1);
    EXPECT_EQ(block.equal(' '), reference(p, [](unsigned char b, size_t) { return b == ' '; }));
    EXPECT_EQ(block.equal(0xFF), reference(p, [](unsigned char b, size_t) { return b == 0xFF; }));
    EXPECT_EQ((block.equal_any<' ', '\t', 0xFF>()),
              reference(p, [](unsigned char b, size_t) { return b == ' ' || b == '\t' || b == 0xFF; }));
    EXPECT_EQ(block.in_range('0', '9'), reference(p, [](unsigned char b, size_t) { return b >= '0' && b <= '9'; }));
    EXPECT_EQ(block.in_range(0x80, 0xBF), reference(p, [](unsigned char b, size_t) { return b >= 0x80 && b <= 0xBF; }));
    EXPECT_EQ(block.ascii_letter(), reference(p, [](unsigned char b, size_t) {
      return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }));
    EXPECT_EQ(block.masked_equal(0xE0, 0xC0), reference(p, [](unsigned char b, size_t) { return (b & 0xE0) == 0xC0; }));
    EXPECT_EQ(block.high(), reference(p, [](unsigned char b, size_t) { return b >= 0x80; }));
    EXPECT_EQ(block.equal(earlier), reference(p, [p](unsigned char b, size_t i) { return b == p[i - 1]; }));
  }
}

TEST(Block64, BlockedTextPadsTheLastBlockAndReadsZeroBeforeTheFirst) {
  const std::string text(130, 'x');
  const BlockedText blocked(text);
  ASSERT_EQ(blocked.blocks(), 3u);
  EXPECT_EQ(blocked.valid(0), ~uint64_t{0});
  EXPECT_EQ(blocked.valid(2), uint64_t{3});
  const auto [first, before_first] = blocked.current_and_previous(0);
  EXPECT_EQ(first.equal('x'), ~uint64_t{0});
  EXPECT_EQ(before_first.equal('x'), ~uint64_t{1});  // byte -1 reads as 0
  const auto [last, before_last] = blocked.current_and_previous(2);
  EXPECT_EQ(last.equal('x'), uint64_t{3});          // two bytes of text, then zeros
  EXPECT_EQ(before_last.equal('x'), uint64_t{7});   // bytes 127..129
  EXPECT_EQ(blocked.block(1).equal('x'), ~uint64_t{0});
  EXPECT_EQ(blocked.block(2).equal('x'), uint64_t{3});
  EXPECT_EQ(blocked.block(2).equal(0), ~uint64_t{3});  // the padding
  EXPECT_EQ(BlockedText("").blocks(), 0u);
}

}  // namespace
}  // namespace sb::policies::text
