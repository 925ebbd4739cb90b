#include "policies/privacy/text_scan.h"

namespace sb::policies {

size_t codepoint_offset(std::string_view text, size_t byte_offset) {
  const size_t end = byte_offset < text.size() ? byte_offset : text.size();
  size_t count = 0;
  for (size_t i = 0; i < end; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;  // not a continuation byte
  return count;
}

}  // namespace sb::policies

namespace sb::policies::text {
namespace {

constexpr bool is_number_joiner(char c) { return c == '.' || c == '-' || c == '/' || c == ','; }

// What may sit between a cue word and its value: "DOB: 01/02/1990", "MRN #123", "(born) 1990".
constexpr bool is_gap_char(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case ':': case '#': case '=': case '-': case '(': case ')':
    case ',': case '"': case '\'': case '*': case '.': case '[': case ']':
      return true;
    default:
      return false;
  }
}

}  // namespace

void find_digit_runs(std::string_view text, std::vector<DigitRun>& runs) {
  for (size_t pos = 0; (pos = find_digit_or<>(text, pos)) != npos;) {
    const size_t end = skip_digits(text, pos);
    runs.push_back({pos, end});
    pos = end;
  }
}

bool starts_number_token(std::string_view text, size_t i) {
  const char prev = before(text, i);
  if (is_word(prev)) return false;
  return !(is_number_joiner(prev) && is_alnum(before(text, i - 1)));
}

bool ends_number_token(std::string_view text, size_t i) {
  const char next = at(text, i);
  if (is_word(next)) return false;
  return !(is_number_joiner(next) && is_alnum(at(text, i + 1)));
}

bool matches_ci(std::string_view text, size_t pos, std::string_view lower_literal) {
  if (pos > text.size() || text.size() - pos < lower_literal.size()) return false;
  for (size_t k = 0; k < lower_literal.size(); ++k)
    if (to_lower(text[pos + k]) != lower_literal[k]) return false;
  return true;
}

bool contains_ci(std::string_view text, std::string_view lower_needle) {
  const size_t k = lower_needle.size();
  if (k == 0) return true;
  if (text.size() < k) return false;
  const size_t last_start = text.size() - k;
  const char first = lower_needle.front(), last = lower_needle.back();
  size_t i = 0;
#if defined(__SSE2__)
  // OR-ing 0x20 folds A-Z onto a-z; only applied when the needle byte is a letter.
  const __m128i fold_first = _mm_set1_epi8(is_lower(first) ? 0x20 : 0);
  const __m128i fold_last = _mm_set1_epi8(is_lower(last) ? 0x20 : 0);
  const __m128i want_first = _mm_set1_epi8(first), want_last = _mm_set1_epi8(last);
  for (; i + 16 <= last_start + 1; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + k - 1));
    const __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, fold_first), want_first),
                                      _mm_cmpeq_epi8(_mm_or_si128(b, fold_last), want_last));
    for (int mask = _mm_movemask_epi8(hit); mask != 0; mask &= mask - 1)
      if (matches_ci(text, i + static_cast<size_t>(__builtin_ctz(mask)), lower_needle)) return true;
  }
#endif
  for (; i <= last_start; ++i)
    if (to_lower(text[i]) == first && matches_ci(text, i, lower_needle)) return true;
  return false;
}

std::string_view cue_before(std::string_view text, size_t pos, std::span<const std::string_view> cues,
                            size_t max_gap, int max_gap_words) {
  const size_t limit = pos > max_gap ? pos - max_gap : 0;  // the cue must end at or after this
  size_t i = pos;
  for (int words = 0;; ++words) {
    while (i > limit && is_gap_char(text[i - 1])) --i;
    for (std::string_view cue : cues) {
      if (cue.size() > i) continue;
      const size_t start = i - cue.size();
      if (matches_ci(text, start, cue) && !is_alnum(before(text, start)) && !is_alpha(at(text, i)))
        return text.substr(start, cue.size());
    }
    // Not a cue: step over one filler word, if allowed.
    if (words >= max_gap_words || i <= limit || !is_alpha(text[i - 1])) return {};
    while (i > limit && is_alpha(text[i - 1])) --i;
    if (is_alpha(before(text, i))) return {};  // the word runs past the window
  }
}

}  // namespace sb::policies::text
