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
