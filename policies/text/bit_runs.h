#pragma once
// Runs of set bits in a bit array kept as 64-bit words, word b holding bits [64b, 64b + 64):
// `word(b)` returns word b for any b, 0 outside the array. Used where a mask scanner
// (block64.h) meets the rare run it must measure one by one.
#include <bit>
#include <cstddef>
#include <cstdint>

namespace sb::policies::text {

// The first clear bit at or after pos.
template <class Word>
size_t next_clear(const Word& word, size_t pos) {
  size_t b = pos / 64;
  uint64_t clear = ~word(b) & (~uint64_t{0} << (pos % 64));
  while (clear == 0) clear = ~word(++b);
  return b * 64 + static_cast<size_t>(std::countr_zero(clear));
}

// The first bit of the run of set bits that holds pos (pos itself when the bit before is clear).
template <class Word>
size_t run_begin(const Word& word, size_t pos) {
  size_t b = pos / 64;
  const unsigned within = pos % 64;
  uint64_t clear = ~word(b) & (within == 63 ? ~uint64_t{0} : (uint64_t{2} << within) - 1);  // bits <= pos
  while (clear == 0) {
    if (b == 0) return 0;
    clear = ~word(--b);
  }
  return b * 64 + 64 - static_cast<size_t>(std::countl_zero(clear));
}

// Set bits in [from, to).
template <class Word>
size_t count_set(const Word& word, size_t from, size_t to) {
  size_t count = 0;
  for (size_t b = from / 64; b * 64 < to; ++b) {
    uint64_t w = word(b);
    if (b == from / 64) w &= ~uint64_t{0} << (from % 64);
    if (to < b * 64 + 64) w &= (uint64_t{1} << (to % 64)) - 1;
    count += static_cast<size_t>(std::popcount(w));
  }
  return count;
}

}  // namespace sb::policies::text
