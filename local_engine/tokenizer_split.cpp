#include "local_engine/tokenizer_split.h"

#include <algorithm>
#include <array>
#include <span>

namespace sb::engine {

namespace {

struct CodepointRange {
  uint32_t first;
  uint32_t last;
};

constexpr bool sorted_and_disjoint(std::span<const CodepointRange> ranges) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].first > ranges[i].last) return false;
    if (i > 0 && ranges[i - 1].last >= ranges[i].first) return false;
  }
  return true;
}

bool in_ranges(std::span<const CodepointRange> ranges, uint32_t cpt) {
  const auto it = std::upper_bound(ranges.begin(), ranges.end(), cpt,
                                   [](uint32_t c, const CodepointRange& r) { return c < r.first; });
  return it != ranges.begin() && cpt <= std::prev(it)->last;
}

// DeepSeek LLM's cased-letter class, code point ranges of its regex in order.
constexpr CodepointRange kDeepseekCasedLetters[] = {
    {0x41, 0x5A},       {0x61, 0x7A},       {0xB5, 0xB5},       {0xC0, 0xD6},       {0xD8, 0xF6},
    {0xF8, 0x1BA},      {0x1BC, 0x1BF},     {0x1C4, 0x293},     {0x295, 0x2AF},     {0x370, 0x373},
    {0x376, 0x377},     {0x37B, 0x37D},     {0x37F, 0x37F},     {0x386, 0x386},     {0x388, 0x38A},
    {0x38C, 0x38C},     {0x38E, 0x3A1},     {0x3A3, 0x3F5},     {0x3F7, 0x481},     {0x48A, 0x52F},
    {0x531, 0x556},     {0x10A0, 0x10C5},   {0x13A0, 0x13F5},   {0x13F8, 0x13FD},   {0x1C90, 0x1CBA},
    {0x1CBD, 0x1CBF},   {0x1D00, 0x1D2B},   {0x1D6B, 0x1D77},   {0x1D79, 0x1D9A},   {0x1E00, 0x1F15},
    {0x1F18, 0x1F1D},   {0x1F20, 0x1F45},   {0x1F48, 0x1F4D},   {0x1F50, 0x1F57},   {0x1F59, 0x1F59},
    {0x1F5B, 0x1F5B},   {0x1F5D, 0x1F5D},   {0x1F5F, 0x1F7D},   {0x1F80, 0x1FB4},   {0x1FB6, 0x1FBC},
    {0x1FBE, 0x1FBE},   {0x1FC2, 0x1FC4},   {0x1FC6, 0x1FCC},   {0x1FD0, 0x1FD3},   {0x1FD6, 0x1FDB},
    {0x1FE0, 0x1FEC},   {0x1FF2, 0x1FF4},   {0x1FF6, 0x1FFC},   {0x2102, 0x2102},   {0x2107, 0x2107},
    {0x210A, 0x2113},   {0x2115, 0x2115},   {0x2119, 0x211D},   {0x2124, 0x2124},   {0x2126, 0x2126},
    {0x2128, 0x2128},   {0x212A, 0x212D},   {0x212F, 0x2134},   {0x2139, 0x2139},   {0x213C, 0x213F},
    {0x2145, 0x2149},   {0x214E, 0x214E},   {0x2183, 0x2184},   {0x2C00, 0x2C7B},   {0x2C7E, 0x2CE4},
    {0x2CEB, 0x2CEE},   {0x2CF2, 0x2CF3},   {0xA640, 0xA66D},   {0xA680, 0xA69B},   {0xA722, 0xA76F},
    {0xA771, 0xA787},   {0xA78B, 0xA78E},   {0xAB70, 0xABBF},   {0xFB00, 0xFB06},   {0xFB13, 0xFB17},
    {0xFF21, 0xFF3A},   {0xFF41, 0xFF5A},   {0x10400, 0x1044F}, {0x104B0, 0x104D3}, {0x104D8, 0x104FB},
    {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x118A0, 0x118DF}, {0x1E900, 0x1E943},
};
static_assert(sorted_and_disjoint(kDeepseekCasedLetters));

// DeepSeek LLM's symbol class [!-/:-~！-／：-～‘-‟　-。].
constexpr CodepointRange kDeepseekSymbols[] = {
    {0x21, 0x2F}, {0x3A, 0x7E}, {0x2018, 0x201F}, {0x3000, 0x3002}, {0xFF01, 0xFF0F}, {0xFF1A, 0xFF5E},
};
static_assert(sorted_and_disjoint(kDeepseekSymbols));

// [一-龥ࠀ-一가-퟿]: CJK ideographs, everything from U+0800 up to them, Hangul syllables.
constexpr CodepointRange kCjk[] = {{0x0800, 0x9FA5}, {0xAC00, 0xD7FF}};
static_assert(sorted_and_disjoint(kCjk));

// What Bloom's class [^(\s|.,!?…。，、।۔،)] excludes besides white space.
constexpr std::array<uint32_t, 14> kBloomStops = {'(',    ')',    '|',    '.',    ',',   '!',   '?',
                                                  0x2026, 0x3002, 0xFF0C, 0x3001, 0x964, 0x6D4, 0x60C};

constexpr uint32_t kOutside = 0xFFFFFFFF;  // the "code point" past the end of the span

// The matchers of one span. Regex classes map to properties this way: \s is the
// White_Space property, \p{L} / \p{N} / \p{P} the category class. Literal ranges never
// match white space: the reference turns non-ASCII white space into U+000B before
// matching them.
class SpanMatcher {
 public:
  SpanMatcher(const SplitText& text, size_t end) : text_(text), end_(end) {}

  size_t match(SplitPattern pattern, size_t p) const {
    switch (pattern) {
      case SplitPattern::Gpt2: return gpt2(p);
      case SplitPattern::Llama3: return llama3(p, 3);
      case SplitPattern::Qwen2: return llama3(p, 1);
      case SplitPattern::PunctuationRun:
        return run(p, [&](size_t i) { return is_punctuation_or_operator(i, false); }) - p;
      case SplitPattern::PunctuationRunBacktick:
        return run(p, [&](size_t i) { return is_punctuation_or_operator(i, true); }) - p;
      case SplitPattern::NumberRun: return run(p, [&](size_t i) { return flags(i).is_number(); }) - p;
      case SplitPattern::SingleNumber: return flags(p).is_number() ? 1 : 0;
      case SplitPattern::AsciiDigitTriple:
        return is_ascii_digit(p) && is_ascii_digit(p + 1) && is_ascii_digit(p + 2) ? 3 : 0;
      case SplitPattern::LineBreak: return is_line_break(p) ? 1 : 0;
      case SplitPattern::SpaceLetters:
        return optional_space_then_run(p, [&](size_t i) { return flags(i).is_letter(); });
      case SplitPattern::SpacePunctuation:
        return optional_space_then_run(p, [&](size_t i) { return flags(i).is_punctuation(); });
      case SplitPattern::CjkRun: return run(p, [&](size_t i) { return in_literal_ranges(kCjk, i); }) - p;
      case SplitPattern::DeepseekCasedLetters:
        return optional_space_then_run(p,
                                       [&](size_t i) { return in_literal_ranges(kDeepseekCasedLetters, i); });
      case SplitPattern::DeepseekSymbols:
        return optional_space_then_run(p, [&](size_t i) { return in_literal_ranges(kDeepseekSymbols, i); });
      case SplitPattern::BloomWord: return bloom_word(p);
      case SplitPattern::TrailingSpace: break;  // split_span cuts it directly
    }
    return 0;
  }

 private:
  uint32_t cpt(size_t i) const { return i < end_ ? text_.cpts[i] : kOutside; }
  CodepointFlags flags(size_t i) const { return i < end_ ? text_.flags[i] : CodepointFlags{}; }
  bool is_space(size_t i) const { return flags(i).is_whitespace(); }
  bool is_line_break(size_t i) const { return cpt(i) == '\r' || cpt(i) == '\n'; }
  bool is_ascii_digit(size_t i) const { return cpt(i) >= '0' && cpt(i) <= '9'; }
  // [^\s\p{L}\p{N}] inside the span
  bool is_other(size_t i) const {
    const CodepointFlags f = flags(i);
    return f.bits != 0 && !(f.is_whitespace() || f.is_letter() || f.is_number());
  }
  bool is_punctuation_or_operator(size_t i, bool with_backtick) const {
    const uint32_t c = cpt(i);
    return flags(i).is_punctuation() || c == '$' || c == '+' || c == '<' || c == '=' || c == '>' ||
           c == '^' || c == '~' || c == '|' || (with_backtick && c == '`');
  }
  bool in_literal_ranges(std::span<const CodepointRange> ranges, size_t i) const {
    return i < end_ && !is_space(i) && in_ranges(ranges, cpt(i));
  }

  // First index >= i where pred fails (or end_).
  template <typename Pred>
  size_t run(size_t i, Pred pred) const {
    while (i < end_ && pred(i)) ++i;
    return i;
  }

  // \s?X+
  template <typename Pred>
  size_t optional_space_then_run(size_t p, Pred is_x) const {
    if (is_space(p) && p + 1 < end_ && is_x(p + 1)) return run(p + 1, is_x) - p;
    if (p < end_ && is_x(p)) return run(p, is_x) - p;
    return 0;
  }

  // 's|'t|'re|'ve|'m|'ll|'d, optionally case-insensitive
  size_t contraction(size_t p, bool ignore_case) const {
    if (cpt(p) != '\'' || p + 1 >= end_) return 0;
    const auto at = [&](size_t i) { return ignore_case ? to_lower(cpt(i)) : cpt(i); };
    const uint32_t c1 = at(p + 1);
    if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return 2;
    if (p + 2 >= end_) return 0;
    const uint32_t c2 = at(p + 2);
    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return 3;
    return 0;
  }

  // \s+(?!\S)|\s+ for the white-space run starting at p.
  size_t trailing_spaces(size_t p) const {
    const size_t n = run(p, [&](size_t i) { return is_space(i); }) - p;
    if (n > 1 && p + n < end_) return n - 1;  // leave the last space to the next word
    return std::max<size_t>(n, 1);
  }

  size_t gpt2(size_t p) const {
    if (const size_t n = contraction(p, false)) return n;
    const size_t q = p + (cpt(p) == ' ' ? 1 : 0);  // the optional leading space
    const CodepointFlags f = flags(q);
    if (f.is_letter()) return run(q, [&](size_t i) { return flags(i).is_letter(); }) - p;
    if (f.is_number()) return run(q, [&](size_t i) { return flags(i).is_number(); }) - p;
    if (is_other(q)) return run(q, [&](size_t i) { return is_other(i); }) - p;
    return trailing_spaces(p);
  }

  size_t llama3(size_t p, size_t max_digits) const {
    if (const size_t n = contraction(p, true)) return n;
    const CodepointFlags f = flags(p);
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (!is_line_break(p) && !f.is_number() && (f.is_letter() || flags(p + 1).is_letter())) {
      return run(p + 1, [&](size_t i) { return flags(i).is_letter(); }) - p;
    }
    // \p{N}{1,max_digits}
    if (f.is_number()) {
      return run(p, [&](size_t i) { return i - p < max_digits && flags(i).is_number(); }) - p;
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    const size_t q = p + (cpt(p) == ' ' ? 1 : 0);
    if (is_other(q)) {
      const size_t symbols_end = run(q, [&](size_t i) { return is_other(i); });
      return run(symbols_end, [&](size_t i) { return is_line_break(i); }) - p;
    }
    // \s*[\r\n]+ : up to the last line break of the white-space run
    const size_t spaces_end = run(p, [&](size_t i) { return is_space(i); });
    for (size_t i = spaces_end; i > p; --i) {
      if (is_line_break(i - 1)) return i - p;
    }
    return trailing_spaces(p);
  }

  size_t bloom_word(size_t p) const {
    const auto is_word = [&](size_t i) {
      return i < end_ && !is_space(i) &&
             std::find(kBloomStops.begin(), kBloomStops.end(), cpt(i)) == kBloomStops.end();
    };
    if (cpt(p) == ' ' && is_word(p + 1)) return run(p + 1, is_word) - p;
    return run(p, is_word) - p;
  }

  const SplitText& text_;
  size_t end_;
};

}  // namespace

SplitText SplitText::decode(std::string_view utf8) {
  SplitText text;
  text.cpts = decode_utf8(utf8);
  text.flags.reserve(text.cpts.size());
  for (uint32_t c : text.cpts) text.flags.push_back(codepoint_flags(c));
  return text;
}

void split_span(SplitPattern pattern, const SplitText& text, CodepointSpan span,
                std::vector<CodepointSpan>& out) {
  if (pattern == SplitPattern::TrailingSpace) {
    size_t cut = span.end;
    while (cut > span.begin && text.flags[cut - 1].is_whitespace()) --cut;
    if (cut > span.begin) out.push_back({span.begin, cut});
    if (cut < span.end) out.push_back({cut, span.end});
    return;
  }
  const SpanMatcher matcher(text, span.end);
  size_t gap_begin = span.begin;  // text no match has covered yet
  size_t p = span.begin;
  while (p < span.end) {
    const size_t n = matcher.match(pattern, p);
    if (n == 0) {
      ++p;
      continue;
    }
    if (gap_begin < p) out.push_back({gap_begin, p});
    out.push_back({p, p + n});
    p += n;
    gap_begin = p;
  }
  if (gap_begin < span.end) out.push_back({gap_begin, span.end});
}

}  // namespace sb::engine
