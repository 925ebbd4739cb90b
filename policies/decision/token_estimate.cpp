#include "policies/decision/token_estimate.h"

#include <bit>
#include <span>
#include <vector>

#include "policies/text/bit_runs.h"
#include "policies/text/block64.h"
#include "policies/text/popcount_dispatch.h"

namespace sb::policies {
namespace {

using text::Block64;
using text::BlockedText;

// Token counts are kept in twentieths of a token: every rule's fraction is a whole number
// of them, so the sum is exact.
constexpr int64_t kToken = 20;
constexpr int64_t kPerLongWordByte = 5;      // 1/4
constexpr int64_t kPerKeyByte = 8;           // 1/2.5
constexpr int64_t kThreeByteCharacter = 24;  // 1.2
constexpr int64_t kFourByteCharacter = 40;   // 2
constexpr size_t kShortWordBytes = 7;

// What one pass of SIMD compares finds in each 64-byte block.
struct ByteClasses {
  uint64_t letter = 0, upper = 0, digit = 0;
  uint64_t space = 0;         // ' ', '\t', '\n', '\r'
  uint64_t space_char = 0;    // ' '
  uint64_t punct = 0;         // other ASCII (control characters included)
  uint64_t repeat_punct = 0;  // punct equal to the byte before
  uint64_t high = 0;          // >= 0x80; the four below only when the block has any
  uint64_t lead2 = 0, lead3 = 0, lead4 = 0, continuation = 0;
  uint64_t word = 0;          // letter runs: filled in by the second pass
};

[[gnu::always_inline]] inline ByteClasses classify_block(const BlockedText& text, size_t b) {
  const auto [block, previous] = text.current_and_previous(b);
  const uint64_t valid = text.valid(b);
  ByteClasses c;
  c.letter = block.ascii_letter() & valid;
  c.upper = block.in_range('A', 'Z') & valid;
  c.digit = block.in_range('0', '9') & valid;
  c.space_char = block.equal(' ') & valid;
  c.space = block.equal_any<' ', '\t', '\n', '\r'>() & valid;
  c.high = block.high() & valid;
  c.punct = valid & ~(c.letter | c.digit | c.space | c.high);
  c.repeat_punct = c.punct & block.equal(previous) & (b == 0 ? ~uint64_t{1} : ~uint64_t{0});
  if (c.high) {
    c.lead2 = block.masked_equal(0xE0, 0xC0) & valid;
    c.lead3 = block.masked_equal(0xF0, 0xE0) & valid;
    c.lead4 = block.masked_equal(0xF0, 0xF0) & valid;
    c.continuation = block.masked_equal(0xC0, 0x80) & valid;
  }
  return c;
}

// Every block's `word`: the letters, and each two-byte character (lead + continuation)
// whose byte before is already in the word. Chains of such characters settle in a few
// rounds; blocks without one take none.
void mark_words(std::span<ByteClasses> blocks) {
  uint64_t previous_word = 0, carried_continuation = 0;
  for (size_t b = 0; b < blocks.size(); ++b) {
    ByteClasses& c = blocks[b];
    const uint64_t next_continuation = b + 1 < blocks.size() ? blocks[b + 1].continuation : 0;
    const uint64_t pair_leads = c.lead2 & ((c.continuation >> 1) | (next_continuation << 63));
    uint64_t word = c.letter | carried_continuation, leads = 0;
    for (;;) {
      leads = pair_leads & ((word << 1) | (previous_word >> 63));
      const uint64_t grown = word | leads | (leads << 1);
      if (grown == word) break;
      word = grown;
    }
    c.word = word;
    previous_word = word;
    carried_continuation = leads >> 63;
  }
}

// Corrections for the runs the popcounts price as ordinary: each call looks at the runs
// holding the set bits of `marks` in block b, once per run (`resume` skips the rest).
template <class Word, class Price>
int64_t runs_marked(uint64_t marks, size_t b, const Word& run_bits, size_t& resume, Price&& price) {
  int64_t extra = 0;
  for (; marks != 0; marks &= marks - 1) {
    const size_t pos = b * 64 + static_cast<size_t>(std::countr_zero(marks));
    if (pos < resume) continue;
    const size_t begin = text::run_begin(run_bits, pos), end = text::next_clear(run_bits, pos);
    extra += price(begin, end);
    resume = end;
  }
  return extra;
}

// Bit i of the result: all of bits i - kSpan + 1 .. i of the bits (earlier, current) are
// set, i.e. the byte ends a run of at least kSpan (doubling shifts: a power of two).
template <unsigned kSpan>
uint64_t run_of_at_least(uint64_t earlier, uint64_t current) {
  static_assert(kSpan >= 1 && kSpan <= 64 && std::has_single_bit(kSpan), "run_of_at_least: span is a power of two");
  unsigned __int128 bits = (static_cast<unsigned __int128>(current) << 64) | earlier;
  for (unsigned k = 1; k < kSpan; k *= 2) bits &= bits << k;
  return static_cast<uint64_t>(bits >> 64);
}

[[gnu::always_inline]] inline int64_t estimate_twentieths(std::string_view input) {
  const BlockedText text(input);
  // Block b is blocks[b + 1]; the first and last entries stand for the (empty) bytes
  // around the text.
  std::vector<ByteClasses> blocks(text.blocks() + 2);
  for (size_t b = 0; b < text.blocks(); ++b) blocks[b + 1] = classify_block(text, b);
  mark_words(std::span(blocks).subspan(1, text.blocks()));

  const auto bits = [&blocks](uint64_t ByteClasses::*member) {
    return [&blocks, member](size_t b) { return b + 1 < blocks.size() ? blocks[b + 1].*member : 0; };
  };
  const auto word = bits(&ByteClasses::word), digit = bits(&ByteClasses::digit), upper = bits(&ByteClasses::upper),
             repeat = bits(&ByteClasses::repeat_punct);
  int64_t total = 0;
  size_t key_resume = 0, digit_resume = 0, punct_resume = 0;
  for (size_t b = 0; b < text.blocks(); ++b) {
    const ByteClasses &before = blocks[b], &c = blocks[b + 1], &after = blocks[b + 2];
    // Letter runs: one token each, a quarter more per byte that has 7 word bytes before it.
    const uint64_t word_before = (c.word << 1) | (before.word >> 63);
    total += kToken * std::popcount(c.word & ~word_before) +
             kPerLongWordByte * std::popcount(run_of_at_least<kShortWordBytes + 1>(before.word, c.word));
    // ... but 0.4 per byte for a run with two capitals after its first byte.
    if (const uint64_t inner_capitals = c.upper & word_before)
      total += runs_marked(inner_capitals, b, word, key_resume, [&](size_t begin, size_t end) -> int64_t {
        if (text::count_set(upper, begin + 1, end) < 2) return 0;
        const size_t len = end - begin;
        return kPerKeyByte * static_cast<int64_t>(len) -
               (kToken + kPerLongWordByte * static_cast<int64_t>(len > kShortWordBytes ? len - kShortWordBytes : 0));
      });

    // Digit runs: a token per three, counted as one per run plus the runs of 4 or more.
    total += kToken * std::popcount(c.digit & ~((c.digit << 1) | (before.digit >> 63)));
    if (const uint64_t fourth_digit = run_of_at_least<4>(before.digit, c.digit))
      total += runs_marked(fourth_digit, b, digit, digit_resume, [](size_t begin, size_t end) {
        return kToken * static_cast<int64_t>((end - begin + 2) / 3 - 1);
      });

    // Space runs, but not a lone ' '.
    const uint64_t space_starts = c.space & ~((c.space << 1) | (before.space >> 63));
    const uint64_t lone_space = c.space_char & space_starts & ~((c.space >> 1) | (after.space << 63));
    total += kToken * (std::popcount(space_starts) - std::popcount(lone_space));

    // Punctuation: a token per run of one character, up to four long. `repeat` marks the
    // bytes after a run's first, so a run of 5 or more has 4 repeats in a row.
    total += kToken * std::popcount(c.punct & ~c.repeat_punct);
    if (const uint64_t fifth = run_of_at_least<4>(before.repeat_punct, c.repeat_punct))
      total += runs_marked(fifth, b, repeat, punct_resume, [](size_t begin, size_t end) {
        return kToken * static_cast<int64_t>((end - begin + 1 + 3) / 4 - 1);  // the run is [begin - 1, end)
      });

    if (c.high)
      total += kFourByteCharacter * std::popcount(c.lead4) + kThreeByteCharacter * std::popcount(c.lead3) +
               kToken * std::popcount(c.lead2 & ~c.word);
  }
  return total;
}

}  // namespace

int64_t estimate_text_tokens(std::string_view text) {
  const int64_t twentieths = text::with_popcount_instruction([text]() __attribute__((always_inline)) { return estimate_twentieths(text); });
  return (twentieths + kToken / 2) / kToken;
}

}  // namespace sb::policies
