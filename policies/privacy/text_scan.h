#pragma once
// Byte-level helpers the privacy detectors share: ASCII character classes, a vectorised
// "next interesting byte" search (the cheap first pass that keeps clean prose fast), token
// boundaries for numbers, and the cue-word lookup of the context-dependent detectors.
// Everything works on UTF-8 bytes; non-ASCII bytes are never letters or digits here.
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sb::policies {

// Byte offset -> Unicode code point offset (counts the UTF-8 lead bytes before byte_offset;
// an offset past the end counts the whole text).
size_t codepoint_offset(std::string_view text, size_t byte_offset);

}  // namespace sb::policies

namespace sb::policies::text {

constexpr size_t npos = std::string_view::npos;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_word(char c) { return is_alnum(c) || c == '_'; }
constexpr bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr int digit_value(char c) { return c - '0'; }

// The character at `i`, or '\0' outside the text (so callers can peek without bounds checks).
constexpr char at(std::string_view text, size_t i) { return i < text.size() ? text[i] : '\0'; }
constexpr char before(std::string_view text, size_t i) { return i > 0 && i <= text.size() ? text[i - 1] : '\0'; }

// First byte at or after `from` that is an ASCII digit or one of `Extra`; npos if none.
// 16 bytes per step with SSE2, a byte loop elsewhere.
template <char... Extra>
size_t find_digit_or(std::string_view text, size_t from) {
  const size_t n = text.size();
  const char* p = text.data();
  size_t i = from;
#if defined(__SSE2__)
  const __m128i zero_char = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i offset = _mm_sub_epi8(v, zero_char);
    __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(offset, nine), offset);  // (v - '0') <= 9 unsigned
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Extra)))), ...);
    if (const int mask = _mm_movemask_epi8(hit)) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    const char c = p[i];
    if (is_digit(c) || ((c == Extra) || ...)) return i;
  }
  return npos;
}

inline size_t find_byte(std::string_view text, size_t from, char c) {
  if (from >= text.size()) return npos;
  const void* hit = std::memchr(text.data() + from, c, text.size() - from);
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : npos;
}

// End of the run of digits starting at `i`.
inline size_t skip_digits(std::string_view text, size_t i) {
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

struct DigitRun {
  size_t start = 0, end = 0;  // [start, end): a maximal run of ASCII digits
};

// Every digit run of the text, in order, appended to `runs` (one vectorised pass).
void find_digit_runs(std::string_view text, std::vector<DigitRun>& runs);

// Calls on_run(start, end) for the runs in order; on_run returns the offset before which
// runs are skipped (its own `end` to go on with the next run), so a detector can step over
// what it consumed.
template <class OnRun>
void for_each_run(std::span<const DigitRun> runs, OnRun&& on_run) {
  size_t resume = 0;
  for (const DigitRun& run : runs) {
    if (run.start < resume) continue;
    resume = on_run(run.start, run.end);
  }
}

// Whether a number may start at `i`: not glued to a word, and not the continuation of a
// dotted/dashed/slashed number or word ("v1.2", "ORD-2020", "a/12").
bool starts_number_token(std::string_view text, size_t i);
// Whether a number may end at `i` (exclusive): not glued to a word, and not followed by a
// separator that continues it ("1.2" , "12-34", "12/34").
bool ends_number_token(std::string_view text, size_t i);

// ASCII case-insensitive comparison of text[pos...] with a lowercase literal.
bool matches_ci(std::string_view text, size_t pos, std::string_view lower_literal);

// Whether `text` contains `lower_needle` (lowercase ASCII), ignoring ASCII case. Vectorised:
// candidates are positions whose first and last bytes match, then verified.
bool contains_ci(std::string_view text, std::string_view lower_needle);

// A cue word (lowercase literals, matched case-insensitively on word boundaries) ending at
// most `max_gap` bytes before `pos`, separated from it only by spaces, punctuation such as
// ":#=-()" and at most `max_gap_words` short filler words ("on", "is", "number").
// Returns the cue as written in `text`, or an empty view.
std::string_view cue_before(std::string_view text, size_t pos, std::span<const std::string_view> cues,
                            size_t max_gap, int max_gap_words);

}  // namespace sb::policies::text
