#pragma once
// The splitting patterns of the BPE pre-tokenizers. The reference engine expresses them
// as regular expressions (ECMAScript semantics, \p{..} classes by Unicode category);
// here each is a hand-written matcher over code points that runs in linear time and
// gives exactly the reference's pieces:
//  - a matcher answers "how long is the match that starts at this position" with the
//    regex's leftmost-alternative, greedy-with-backtracking semantics;
//  - split_span() scans a span like std::regex_iterator does: the matches become
//    pieces, and each run of text between matches becomes one piece too.
// Matching never crosses the span (pieces of an earlier stage stay separate), and
// lookaheads / `$` see the span's end as the end of the text.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "local_engine/unicode.h"

namespace sb::engine {

enum class SplitPattern {
  // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  Gpt2,
  // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
  //   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
  Llama3,
  // as Llama3 with \p{N} instead of \p{N}{1,3}
  Qwen2,
  PunctuationRun,          // [\p{P}\$\+<=>\^~\|]+
  PunctuationRunBacktick,  // [\p{P}\$\+<=>\^~\|`]+
  NumberRun,               // \p{N}+
  SingleNumber,            // \p{N}
  AsciiDigitTriple,        // [0-9][0-9][0-9]
  LineBreak,               // [\r\n]
  SpaceLetters,            // \s?\p{L}+
  SpacePunctuation,        // \s?\p{P}+
  CjkRun,                  // [一-龥ࠀ-一가-퟿]+
  DeepseekCasedLetters,    // \s?[A-Za-zµÀ-ÖØ-öø-ƺ ... 𞤀-𞥃]+  (cased letters)
  DeepseekSymbols,         // \s?[!-/:-~！-／：-～‘-‟　-。]+
  TrailingSpace,           // \s+$
  BloomWord,               //  ?[^(\s|.,!?…。，、।۔،)]+
};

// The text being split: its code points and their properties, looked up once.
struct SplitText {
  std::vector<uint32_t> cpts;         // [n] code points (invalid UTF-8 became U+FFFD)
  std::vector<CodepointFlags> flags;  // [n] codepoint_flags(cpts[i])

  static SplitText decode(std::string_view utf8);
};

// [begin, end) indexes into SplitText::cpts.
struct CodepointSpan {
  size_t begin = 0;
  size_t end = 0;
};

// Appends the pieces of `span` (non-empty, in order, covering it exactly) to `out`.
void split_span(SplitPattern pattern, const SplitText& text, CodepointSpan span,
                std::vector<CodepointSpan>& out);

}  // namespace sb::engine
