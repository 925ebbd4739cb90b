#pragma once
// Bit masks over 64 bytes of text: bit i of a mask describes byte i. Scanners that classify
// every byte build a few masks per block and then count with popcounts and shifts, so the
// work per byte has no branch and no dependence on the byte before it (a byte loop that
// looks for word ends waits on each end before it can look for the next).
//
// SSE2 (every x86-64) when available, a byte loop elsewhere; both give the same masks
// (tests/policies/text/block64_test.cpp).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sb::policies::text {

class Block64 {
 public:
  static constexpr size_t kBytes = 64;

  // Reads exactly kBytes bytes at p.
  explicit Block64(const unsigned char* p) {
#if defined(__SSE2__)
    for (size_t k = 0; k < 4; ++k) v_[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
#else
    std::memcpy(b_.data(), p, kBytes);
#endif
  }

  // Bytes equal to c.
  uint64_t equal(unsigned char c) const {
#if defined(__SSE2__)
    const __m128i cv = _mm_set1_epi8(static_cast<char>(c));
    return combine([&](__m128i v, size_t) { return _mm_cmpeq_epi8(v, cv); });
#else
    return scalar([c](unsigned char b) { return b == c; });
#endif
  }
  // Bytes equal to any of Cs: one mask for the set (cheaper than OR-ing masks of each).
  template <unsigned char... Cs>
  uint64_t equal_any() const {
#if defined(__SSE2__)
    return combine([](__m128i v, size_t) {
      __m128i hit = _mm_setzero_si128();
      ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(Cs))))), ...);
      return hit;
    });
#else
    return scalar([](unsigned char b) { return ((b == Cs) || ...); });
#endif
  }
  // Bytes in [lo, hi] (unsigned).
  uint64_t in_range(unsigned char lo, unsigned char hi) const {
#if defined(__SSE2__)
    const __m128i lov = _mm_set1_epi8(static_cast<char>(lo));
    const __m128i width = _mm_set1_epi8(static_cast<char>(hi - lo));
    return combine([&](__m128i v, size_t) {
      const __m128i offset = _mm_sub_epi8(v, lov);
      return _mm_cmpeq_epi8(_mm_min_epu8(offset, width), offset);  // v - lo <= hi - lo
    });
#else
    return scalar([lo, hi](unsigned char b) { return b >= lo && b <= hi; });
#endif
  }
  // ASCII letters, either case.
  uint64_t ascii_letter() const {
#if defined(__SSE2__)
    const __m128i fold = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'), width = _mm_set1_epi8('z' - 'a');
    return combine([&](__m128i v, size_t) {
      const __m128i offset = _mm_sub_epi8(_mm_or_si128(v, fold), a);
      return _mm_cmpeq_epi8(_mm_min_epu8(offset, width), offset);
    });
#else
    return scalar([](unsigned char b) { return (b | 0x20) >= 'a' && (b | 0x20) <= 'z'; });
#endif
  }
  // Bytes whose bits under `mask` equal `value`.
  uint64_t masked_equal(unsigned char mask, unsigned char value) const {
#if defined(__SSE2__)
    const __m128i mv = _mm_set1_epi8(static_cast<char>(mask)), vv = _mm_set1_epi8(static_cast<char>(value));
    return combine([&](__m128i v, size_t) { return _mm_cmpeq_epi8(_mm_and_si128(v, mv), vv); });
#else
    return scalar([mask, value](unsigned char b) { return (b & mask) == value; });
#endif
  }
  // Bytes >= 0x80 (everything of UTF-8 that is not ASCII).
  uint64_t high() const {
#if defined(__SSE2__)
    return combine([](__m128i v, size_t) { return v; });
#else
    return scalar([](unsigned char b) { return b >= 0x80; });
#endif
  }
  // Bytes equal to the byte at the same place in `other`.
  uint64_t equal(const Block64& other) const {
#if defined(__SSE2__)
    return combine([&](__m128i v, size_t k) { return _mm_cmpeq_epi8(v, other.v_[k]); });
#else
    uint64_t m = 0;
    for (size_t i = 0; i < kBytes; ++i) m |= static_cast<uint64_t>(b_[i] == other.b_[i]) << i;
    return m;
#endif
  }

 private:
#if defined(__SSE2__)
  // The sign bits of f(lane k, k) over the four 16-byte lanes, as one
  // mask. Written out: the loop is not unrolled at -O2.
  template <class F>
  uint64_t combine(F&& f) const {
    const auto bits = [&](size_t k) -> uint64_t {
      return static_cast<uint16_t>(_mm_movemask_epi8(f(v_[k], k)));
    };
    return bits(0) | bits(1) << 16 | bits(2) << 32 | bits(3) << 48;
  }
  __m128i v_[4];
#else
  template <class F>
  uint64_t scalar(F&& f) const {
    uint64_t m = 0;
    for (size_t i = 0; i < kBytes; ++i) m |= static_cast<uint64_t>(f(b_[i])) << i;
    return m;
  }
  std::array<unsigned char, kBytes> b_;
#endif
};

// A text walked as 64-byte blocks. Block b covers bytes [64b, 64b + 64); its last block
// is copied into a zero-padded buffer, and `valid(b)` masks the bytes that are text.
// `current_and_previous(b)` gives the block and the same 64 bytes one byte earlier (byte -1
// reads as 0), for comparing each byte with the one before it. Every b < blocks().
class BlockedText {
 public:
  explicit BlockedText(std::string_view text)
      : p_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()) {}

  size_t size() const { return n_; }
  size_t blocks() const { return (n_ + Block64::kBytes - 1) / Block64::kBytes; }
  uint64_t valid(size_t b) const {
    const size_t left = n_ - b * Block64::kBytes;
    return left >= Block64::kBytes ? ~uint64_t{0} : (uint64_t{1} << left) - 1;
  }
  // Block b.
  Block64 block(size_t b) const {
    const size_t start = b * Block64::kBytes;
    if (start + Block64::kBytes <= n_) return Block64(p_ + start);
    std::array<unsigned char, Block64::kBytes> buffer{};
    std::memcpy(buffer.data(), p_ + start, n_ - start);
    return Block64(buffer.data());
  }
  // Block b and its one-byte-earlier twin.
  std::pair<Block64, Block64> current_and_previous(size_t b) const {
    const size_t start = b * Block64::kBytes;
    if (start > 0 && start + Block64::kBytes <= n_) return {Block64(p_ + start), Block64(p_ + start - 1)};
    std::array<unsigned char, Block64::kBytes + 1> buffer{};
    buffer[0] = start > 0 ? p_[start - 1] : 0;
    std::memcpy(buffer.data() + 1, p_ + start, std::min(Block64::kBytes, n_ - start));
    return {Block64(buffer.data() + 1), Block64(buffer.data())};
  }

 private:
  const unsigned char* p_;
  size_t n_;
};

}  // namespace sb::policies::text
