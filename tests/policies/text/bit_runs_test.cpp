// Run lookups and counts over multi-word bit arrays, against a plain loop over the bits.
#include "policies/text/bit_runs.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace sb::policies::text {
namespace {

TEST(BitRuns, RunBoundsAndCountsMatchALoopOverBits) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint64_t> words(4);
    for (auto& w : words) w = round % 4 == 0 ? ~uint64_t{0} : rng() | rng();  // long runs and short ones
    if (round % 5 == 0) words[1] = ~uint64_t{0};
    const auto word = [&words](size_t b) { return b < words.size() ? words[b] : 0; };
    const auto bit = [&](size_t i) { return (word(i / 64) >> (i % 64)) & 1; };
    for (size_t pos = 0; pos < 64 * words.size(); pos += 1 + rng() % 7) {
      size_t clear = pos;
      while (bit(clear)) ++clear;
      EXPECT_EQ(next_clear(word, pos), clear) << pos;
      if (bit(pos)) {
        size_t begin = pos;
        while (begin > 0 && bit(begin - 1)) --begin;
        EXPECT_EQ(run_begin(word, pos), begin) << pos;
      }
      const size_t to = pos + rng() % 150;
      size_t set = 0;
      for (size_t i = pos; i < to; ++i) set += bit(i);
      EXPECT_EQ(count_set(word, pos, to), set) << pos << ".." << to;
    }
  }
}

}  // namespace
}  // namespace sb::policies::text
